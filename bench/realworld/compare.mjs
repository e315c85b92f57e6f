// Compares a scan of the real-world corpus (`nbguard scan --format json`) with the judged
// findings in judgements.jsonl: per rule, how many of today's findings were judged true,
// acceptable or false, how many are new (not judged yet), and which judged-true findings are
// no longer reported (a real leak lost). Usage:
//   node bench/realworld/compare.mjs scan.json CORPUS_DIR [RULE] [--judged DIR]
// RULE: list its unjudged findings. --judged: the folder of judgements.jsonl and missed.jsonl
// (default this folder, the first corpus; bench/realworld/round2 for the second).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const judgedAt = args.indexOf('--judged');
const judgedDir = judgedAt >= 0 ? args.splice(judgedAt, 2)[1] : undefined;
const [scanFile, corpus, listRule] = args;
if (!scanFile || !corpus) {
  console.error('usage: node bench/realworld/compare.mjs scan.json CORPUS_DIR [RULE] [--judged DIR]');
  process.exit(2);
}
const here = judgedDir ?? dirname(fileURLToPath(import.meta.url));
const judged = readFileSync(join(here, 'judgements.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const key = (repo, path, cell, line, rule) => `${repo}|${path}|${cell}|${line}|${rule}`;
const byKey = new Map(judged.map((j) => [key(j.repo, j.path, j.cell, j.line, j.rule), j]));

const now = new Map();
for (const f of JSON.parse(readFileSync(scanFile, 'utf8')).findings) {
  const [owner, ...rest] = relative(corpus, f.file).split('/');
  now.set(key(owner.replace('__', '/'), rest.join('/'), f.cell, f.line, f.ruleId), f);
}
const table = {};
const row = (rule) => (table[rule] ??= { findings: 0, true: 0, acceptable: 0, false: 0, unjudged: 0, lostTrue: 0 });
for (const [k, f] of now) {
  const r = row(f.ruleId);
  r.findings++;
  r[byKey.get(k)?.verdict ?? 'unjudged']++;
  if (!byKey.has(k) && f.ruleId === listRule) console.log(`unjudged ${k}  ${f.message}`);
}
for (const j of judged) {
  if (j.verdict === 'true' && !now.has(key(j.repo, j.path, j.cell, j.line, j.rule))) {
    row(j.rule).lostTrue++;
    console.log(`lost ${j.rule} ${j.repo} ${j.path} cell ${j.cell} line ${j.line}: ${j.reason}`);
  }
}
// The real leaks found by reading notebooks (missed.jsonl): which of them a finding now covers
// (any rule, in the same cell; metadata leaks have cell null and count for any finding in the file).
const missed = readFileSync(join(here, 'missed.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const covered = missed.filter((m) => [...now.keys()].some((k) => k.startsWith(`${m.repo}|${m.path}|${m.cell === null ? '' : `${m.cell}|`}`)));
for (const m of missed) if (!covered.includes(m)) console.log(`still missed ${m.kind}: ${m.repo} ${m.path} cell ${m.cell}`);
const total = Object.values(table).reduce((a, r) => ({ t: a.t + r.true, f: a.f + r.false }), { t: 0, f: 0 });
console.table(table);
console.log(`judged precision ${(total.t / Math.max(1, total.t + total.f)).toFixed(3)} (true ${total.t}, false ${total.f})`);
console.log(`known misses now found: ${covered.length} of ${missed.length}`);
