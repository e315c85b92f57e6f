// nbguard's detectors against the other secret scanners installable here, side by side in one run,
// on the same files: the detectors' own test vectors (rules/detectors/*.yaml: synthetic values
// made from each provider's documented format), one text file each; the same vectors inside
// generated notebooks, once as a string in a code cell and once as a cell's stored output (JSON
// escaping, the `source` list); and a generated Spark driver log with planted credentials and
// decoys (bench/redact), judged line by line against its ground truth. Per kind: how many
// positive samples each tool flags (found) and how many negative samples (placeholders,
// look-alikes, failed checksums: false positives), and how long each takes.
//
//   npm run build && node bench/run.mjs scanners [--write]     (--write: docs/scanners.md)
//
// The tools and how each is run: bench/scanners/tools.ts. SHOW_FALSE=<tool> lists the negative
// vectors that tool flags, per placement (to read what its "false" column holds).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import type { DetectorRule } from '../server/src/analysis/rules/ruleFile';
import { generateLog, type TruthItem } from './redact/logGenerator';
import { ROOT } from './redact/config';
import { installedTools, type Flags } from './scanners/tools';

interface Vector {
  id: string;
  positive: boolean;
  text: string;
  /** Base name without extension: `<id>__pos__<n>` or `<id>__neg__<n>`. */
  stem: string;
}

function readVectors(): { rules: DetectorRule[]; vectors: Vector[] } {
  const rulesDir = join(ROOT, 'rules', 'detectors');
  const rules = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => (parse(readFileSync(join(rulesDir, f), 'utf8')) as { detectors: DetectorRule[] }).detectors[0]);
  const vectors: Vector[] = [];
  for (const r of rules) {
    for (const [positive, samples] of [[true, r.samples?.positive ?? []], [false, r.samples?.negative ?? []]] as const) {
      samples.forEach((text, n) => vectors.push({ id: r.id, positive, text, stem: `${r.id}__${positive ? 'pos' : 'neg'}__${n}` }));
    }
  }
  return { rules, vectors };
}

type Placement = 'text' | 'code' | 'output';

/** A notebook's cell: a string literal holding the vector, or a stored output showing it. */
function notebookWith(text: string, where: 'code' | 'output'): string {
  const quote = text.includes('"""') || text.endsWith('"') ? "'''" : '"""';
  const cell =
    where === 'code'
      ? { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: [`value = r${quote}${text}${quote}\n`, 'len(value)'] }
      : { cell_type: 'code', execution_count: 1, metadata: {}, source: ['print(response)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`${text}\n`] }] };
  const nb = { cells: [{ cell_type: 'markdown', metadata: {}, source: ['# generated'] }, cell], metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
  return JSON.stringify(nb, null, 1);
}

function writeVectors(dir: string, vectors: readonly Vector[], where: Placement): void {
  mkdirSync(dir);
  for (const v of vectors) {
    if (where === 'text') writeFileSync(join(dir, `${v.stem}.txt`), `${v.text}\n`);
    else writeFileSync(join(dir, `${v.stem}.ipynb`), notebookWith(v.text, where));
  }
}

interface Count {
  found: number;
  positives: number;
  falsePositives: number;
  negatives: number;
}

const zero = (): Count => ({ found: 0, positives: 0, falsePositives: 0, negatives: 0 });

/** Per detector id: how many of its vectors a tool's flags cover. */
function countVectors(vectors: readonly Vector[], flags: Flags, ext: string): Map<string, Count> {
  const byKind = new Map<string, Count>();
  for (const v of vectors) {
    const k = byKind.get(v.id) ?? zero();
    const hit = flags.has(`${v.stem}.${ext}`);
    if (v.positive) {
      k.positives++;
      if (hit) k.found++;
    } else {
      k.negatives++;
      if (hit) k.falsePositives++;
    }
    byKind.set(v.id, k);
  }
  return byKind;
}

const total = (byKind: Map<string, Count>): Count =>
  [...byKind.values()].reduce((a, k) => ({ found: a.found + k.found, positives: a.positives + k.positives, falsePositives: a.falsePositives + k.falsePositives, negatives: a.negatives + k.negatives }), zero());

interface LogScore {
  /** Planted kind -> [found, planted]. */
  kinds: Map<string, [number, number]>;
  found: number;
  planted: number;
  decoysFlagged: number;
  decoys: number;
  /** Flagged lines outside every planted record: ordinary log lines. */
  otherLines: number;
}

/** A planted credential is found when a flagged line falls within its record's lines. */
function scoreLog(items: readonly TruthItem[], lines: Set<number>): LogScore {
  const score: LogScore = { kinds: new Map(), found: 0, planted: 0, decoysFlagged: 0, decoys: 0, otherLines: 0 };
  const covered = new Set<number>();
  for (const it of items) {
    let hit = false;
    for (let l = it.line; l < it.line + it.span; l++) {
      covered.add(l);
      if (lines.has(l)) hit = true;
    }
    if (it.decoy) {
      score.decoys++;
      if (hit) score.decoysFlagged++;
      continue;
    }
    score.planted++;
    if (hit) score.found++;
    const k = score.kinds.get(it.kind) ?? [0, 0];
    score.kinds.set(it.kind, [k[0] + (hit ? 1 : 0), k[1] + 1]);
  }
  for (const l of lines) if (!covered.has(l)) score.otherLines++;
  return score;
}

const PLACEMENTS: { where: Placement; ext: string; title: string }[] = [
  { where: 'text', ext: 'txt', title: 'vectors' },
  { where: 'code', ext: 'ipynb', title: 'in a code cell' },
  { where: 'output', ext: 'ipynb', title: 'in a stored output' },
];

function main(): void {
  const write = process.argv.includes('--write');
  const work = mkdtempSync(join(tmpdir(), 'nbguard-scanners-'));
  const { rules, vectors } = readVectors();
  for (const p of PLACEMENTS) writeVectors(join(work, p.where), vectors, p.where);
  const logDir = join(work, 'log');
  mkdirSync(logDir);
  const log = generateLog(join(logDir, 'driver.log'), 32 * 1024 * 1024, 20170101);
  const detectors = new CompiledRules(loadRuleSet()).detectors;
  const { available, missing } = installedTools(detectors);
  const rows: { tool: string; version: string; placements: { count: Count; seconds: number }[]; log: LogScore; logSeconds: number }[] = [];
  const perKind = new Map<string, Map<string, Count>>();
  for (const tool of available) {
    process.stderr.write(`${tool.name}...`);
    const placements = PLACEMENTS.map((p) => {
      const { flags, seconds } = tool.run(join(work, p.where));
      const byKind = countVectors(vectors, flags, p.ext);
      if (process.env.SHOW_FALSE === tool.name) for (const v of vectors) if (!v.positive && flags.has(`${v.stem}.${p.ext}`)) process.stderr.write(`false ${p.where}: ${v.stem} ${JSON.stringify(v.text).slice(0, 150)}\n`);
      if (p.where === 'text') perKind.set(tool.name, byKind);
      return { count: total(byKind), seconds };
    });
    const logRun = tool.run(logDir);
    const score = scoreLog(log.items, logRun.flags.get('driver.log') ?? new Set());
    rows.push({ tool: tool.name, version: tool.version.split('\n')[0], placements, log: score, logSeconds: logRun.seconds });
    process.stderr.write(` ${placements.map((p) => `${p.count.found}/${p.count.positives} found, ${p.count.falsePositives} false`).join('; ')}; log ${score.found}/${score.planted} (${logRun.seconds.toFixed(1)} s)\n`);
  }
  rmSync(work, { recursive: true, force: true });

  const names = available.map((t) => t.name);
  const logKinds = [...new Set(log.items.filter((i) => !i.decoy).map((i) => i.kind))].sort();
  const cell = (c: Count) => `${c.found}/${c.positives}, ${c.falsePositives}/${c.negatives}`;
  const lines = [
    '# nbguard and other secret scanners',
    '',
    '<!-- Generated by `node bench/run.mjs scanners --write` (bench/scanners.bench.ts); do not edit by hand. -->',
    '',
    `Side by side in one run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: every tool gets the same files.`,
    '',
    `- **Vectors:** the ${vectors.length} test vectors of nbguard's ${rules.length} detectors (rules/detectors/*.yaml), one text file each.`,
    '  They are synthetic, made from each provider\'s documented format, so they favour nbguard, whose patterns were written from',
    '  the same documents: read the table for what each tool covers rather than as a contest.',
    '- **Notebooks:** the same vectors in generated `.ipynb` files, once as a string in a code cell (`value = r"""…"""`) and',
    '  once as the stored output of a `print`: what a scanner meets in a repository of notebooks (JSON escaping, source lists).',
    '  nbguard is run as `nbguard scan` there (start-up included); on text, in process.',
    `- **Log:** a generated ${(log.bytes / 1048576).toFixed(0)} MiB Spark driver log (bench/redact) with ${rows[0]?.log.planted ?? 0} planted credentials and ${rows[0]?.log.decoys ?? 0} decoys`,
    '  (the AWS documentation key, digests, masked values, placeholders), scanned as one file and judged line by line against',
    '  its ground truth. nbguard is run as `nbguard redact` would (the lines it changes).',
    '',
    '"Found" counts positive vectors a tool flags (any rule), "false" negative vectors it flags (placeholders, look-alikes,',
    'failed checksums, published sample keys). A negative vector of one kind may hold a credential of another kind (an',
    "Anthropic admin key among the negatives of Anthropic API keys, a Stripe key among OpenAI's look-alikes): a tool that",
    "flags it is counted as false here, which is why nbguard's own count is not zero. In a stored output nbguard also",
    'reports a random value printed under a credential\'s name (`HF_TOKEN = "hf_…"` one character short of a Hugging Face',
    'token, `client_secret = "dose…"` with a wrong length): NBG401 takes a printed credential assignment for a leak whatever',
    'its format, which is most of its count in that column.',
    'trufflehog could not be installed (the Go module proxy refuses it); semgrep\'s secret rules come from its online',
    'registry, so it cannot scan for secrets here.',
    missing.length > 0 ? `Not installed in this run: ${missing.join(', ')}.` : '',
    '',
    `| tool | version | ${PLACEMENTS.map((p) => `${p.title}: found, false`).join(' | ')} | log: found | log: decoys flagged | log: other lines flagged | time (vectors, code, output, log) |`,
    `|---|---|${PLACEMENTS.map(() => '---').join('|')}|---:|---:|---:|---|`,
    ...rows.map(
      (r) =>
        `| ${r.tool} | ${r.version} | ${r.placements.map((p) => cell(p.count)).join(' | ')} | ${r.log.found}/${r.log.planted} | ${r.log.decoysFlagged}/${r.log.decoys} | ${r.log.otherLines} | ${[...r.placements.map((p) => p.seconds), r.logSeconds].map((x) => `${x.toFixed(1)} s`).join(', ')} |`,
    ),
    '',
    '## The log, per planted kind (found / planted)',
    '',
    `| kind | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...logKinds.map((k) => `| ${k} | ${rows.map((r) => (r.log.kinds.get(k) ?? [0, 0]).join('/')).join(' | ')} |`),
    '',
    '## Vectors, per kind (found / positive vectors, false / negative vectors)',
    '',
    `| kind | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...rules.map((r) => `| \`${r.id}\` | ${names.map((n) => { const k = perKind.get(n)?.get(r.id); return k ? cell(k) : ''; }).join(' | ')} |`),
    '',
  ];
  if (write) {
    writeFileSync(join(ROOT, 'docs', 'scanners.md'), lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n'));
    console.log('wrote docs/scanners.md');
  } else console.log(lines.join('\n'));
}

main();
