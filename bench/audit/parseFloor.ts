// `node bench/run.mjs audit floor`: how fast any analysis that parses every command with
// tree-sitter can be. On the same commands, in one process, one after the other: the wasm parser
// alone, the parser plus the copy of every node out of wasm (flatTree.ts: what
// lowering reads), parse and lowering as the analysis does them (ParsedCell), and the whole
// session analysis. The commands are those of a generated audit log (the generator's sessions, and with
// --cells-from DIR also a log whose sessions mostly run real notebooks' cells), cut into sessions
// as `nbguard audit` cuts them.
//
//   taskset -c 0 node bench/run.mjs audit floor [--size-mb 100] [--cells-from DIR] [--write]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../server/src/analysis';
import { analyseSession } from '../../server/src/analysis/audit/analyseSession';
import { readAuditLine } from '../../server/src/analysis/audit/auditEvent';
import { Sessionizer, type AuditSession } from '../../server/src/analysis/audit/sessionizer';
import { prepareCellCode } from '../../server/src/analysis/notebook/magics';
import { ParsedCell } from '../../server/src/analysis/parse/cellParser';
import { flattenTree } from '../../server/src/analysis/parse/flatTree';
import { newPythonParser } from '../../server/src/analysis/parse/pythonParser';
import { writeDoc } from '../harness/writeDoc';
import { IDLE_TIMEOUT_MINUTES, LATENESS_MINUTES, MIB, REAL_SHARE } from './config';
import { generateAuditLog } from './logGenerator';
import { loadRealCells } from './realCells';
import { createAnalyzer } from '../../server/src/node/createAnalyzer';

function sessionsOf(file: string): AuditSession[] {
  const sessions: AuditSession[] = [];
  const sessionizer = new Sessionizer((s) => sessions.push(s), { latenessMs: LATENESS_MINUTES * 60_000, idleMs: IDLE_TIMEOUT_MINUTES * 60_000 });
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, seq) => {
      const read = readAuditLine(line, seq);
      if (read.kind === 'event') sessionizer.add(read.event);
    });
  sessionizer.finish();
  return sessions;
}

/** Microseconds per command of `work` over all commands: the second of two passes (the first warms up). */
function perCommand(commands: number, work: () => void): number {
  let us = 0;
  for (let pass = 0; pass < 2; pass++) {
    const t = performance.now();
    work();
    us = ((performance.now() - t) * 1000) / commands;
  }
  return us;
}

function measure(analyzer: Analyzer, sessions: AuditSession[]): { commands: number; chars: number; stages: [string, number][] } {
  const texts: string[] = [];
  for (const s of sessions) {
    for (const c of s.commands) {
      const prepared = prepareCellCode(c.text.replace(/\r\n?/g, '\n'));
      if (prepared.skipReason === undefined) texts.push(prepared.code ?? c.text);
    }
  }
  const parser = newPythonParser();
  let id = 0;
  const stages: [string, number][] = [
    ['tree-sitter parse alone', perCommand(texts.length, () => texts.forEach((t) => parser.parse(t)?.delete()))],
    [
      'parse and copy the tree out of wasm memory (flatTree.ts, treeMemory.ts: the first half of lowering)',
      perCommand(texts.length, () => {
        for (const t of texts) {
          const tree = parser.parse(t)!;
          flattenTree(tree, t).release();
          tree.delete();
        }
      }),
    ],
    ['parse and lower (ParsedCell, as the analysis does)', perCommand(texts.length, () => texts.forEach((t) => new ParsedCell(parser, String(id++), t).dispose()))],
    ['the whole session analysis (analyseSession)', perCommand(texts.length, () => sessions.forEach((s) => analyseSession(analyzer, s)))],
  ];
  parser.delete();
  return { commands: texts.length, chars: texts.reduce((a, t) => a + t.length, 0), stages };
}

export async function parseFloorBench(argv: string[]): Promise<void> {
  const value = (flag: string, d: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : d);
  const sizeMib = Number(value('--size-mb', '100'));
  const cellsFrom = argv.includes('--cells-from') ? value('--cells-from', '') : undefined;
  const analyzer = await createAnalyzer();
  const dir = mkdtempSync(join(os.tmpdir(), 'nbguard-floor-'));
  const logs: { name: string; result: ReturnType<typeof measure> }[] = [];
  try {
    const generated = join(dir, 'generated.json');
    generateAuditLog(generated, sizeMib * MIB);
    logs.push({ name: 'generator', result: measure(analyzer, sessionsOf(generated)) });
    if (cellsFrom) {
      const mixed = join(dir, 'mixed.json');
      generateAuditLog(mixed, sizeMib * MIB, undefined, [], { pool: loadRealCells(cellsFrom), share: REAL_SHARE });
      logs.push({ name: `${Math.round(REAL_SHARE * 100)}% real cells`, result: measure(analyzer, sessionsOf(mixed)) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
  const doc = [
    '# The parser floor of audit throughput',
    '',
    '<!-- Generated by `node bench/run.mjs audit floor --write` (bench/audit/parseFloor.ts); do not edit by hand. -->',
    '',
    `How fast an analysis that parses every notebook command with tree-sitter (WebAssembly) can be, measured on the same commands in one process on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (Node.js ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}). Each figure is the second of two passes over all commands (run under \`taskset -c 0\` for one core); the CLI runs of [performance-audit.md](performance-audit.md) add reading and sessionizing the log.`,
    '',
    `Commands: ${logs.map((l) => `${l.name} ${n0(l.result.commands)} Python commands (${(l.result.chars / l.result.commands).toFixed(0)} characters each on average) from a ${sizeMib} MiB log`).join('; ')}.`,
    '',
    `| stage | ${logs.map((l) => `${l.name}: µs per command`).join(' | ')} | ${logs.map((l) => `${l.name}: commands/s`).join(' | ')} |`,
    `|---|${logs.map(() => '---:').join('|')}|${logs.map(() => '---:').join('|')}|`,
    ...logs[0].result.stages.map(([stage], i) => `| ${stage} | ${logs.map((l) => l.result.stages[i][1].toFixed(0)).join(' | ')} | ${logs.map((l) => n0(1e6 / l.result.stages[i][1])).join(' | ')} |`),
    '',
    'Tried on 2026-12-06 and dropped: skipping, within a session the prefilter kept, the commands that share no name through which a value could pass with a command a rule starts from (exact on 3,503 sessions of public notebooks, but it skipped only 16% of their commands and its per-command checks cost more than the parses it saved: 0.95x on the prefilter benchmark\'s logs).',
    '',
    'The parse alone bounds the throughput of any analysis built on this parser: no amount of work on lowering or the dataflow takes one core past the first row. Copying the tree out of WebAssembly (read straight from its memory, a few numbers per node: parse/treeMemory.ts) is the least lowering can do on top. Going further needs fewer parses (the session prefilter: [performance-audit-prefilter.md](performance-audit-prefilter.md)) or a faster parser.',
    '',
  ].join('\n');
  process.stdout.write(doc);
  if (argv.includes('--write')) process.stderr.write(`wrote ${writeDoc('docs/performance-audit-floor.md', doc)}\n`);
}
