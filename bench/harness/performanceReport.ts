// docs/performance.md: the report `npm run bench` writes, with the machine and code revision,
// the targets, the result tables, what exactly is measured, and (when profiled) where the time
// goes.

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { auditParagraph } from '../audit/performanceLink';
import { EDIT, FULL, MEMORY_EDITS, ROOT, SEED } from './config';
import { profileMarkdown, type ProfileSummary } from './cpuProfileSummary';
import { resultTables, targetTable, type SizeResult } from './resultTables';
import { writeDoc } from './writeDoc';

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'rules'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes to server/ or rules/' : ''}`;
}

function machineLines(load: number[]): string[] {
  const cpus = os.cpus();
  return [
    `- Load average when the run started: ${load.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min)${load[0] > 0.5 ? ': other work was running, so the times are noisier than usual' : ''}`,
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical cores`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node.js: ${process.version}`,
  ];
}

/** Everything one benchmark run measured. */
export interface BenchmarkRun {
  results: SizeResult[];
  seconds: number;
  load: number[];
  profiles?: { cells: number; full: ProfileSummary; edit: ProfileSummary };
}

function profileSection(run: BenchmarkRun): string[] {
  const p = run.profiles;
  if (!p) return [];
  return [
    `## Where the time goes (${p.cells} code cells)`,
    '',
    `CPU profiles (\`node --cpu-prof\`, 200 µs sampling) of the timing process for ${p.cells} cells, one for each`,
    'phase; shares are of all sampled time in that process, start-up included. Function locations',
    'are source lines at the time of the run. Reproduce with',
    `\`node bench/run.mjs profile --cells ${p.cells} --phase full\` (or \`--phase edit\`); the profiles are kept in`,
    '`bench/results/` and open in Chrome DevTools.',
    '',
    '### Full analysis',
    '',
    profileMarkdown(p.full, 12),
    '',
    '### Edit + re-analysis',
    '',
    profileMarkdown(p.edit, 12),
    '',
  ];
}

/** The whole report, as markdown. */
export function performanceReport(run: BenchmarkRun): string {
  const { results, seconds } = run;
  return [
    '# Performance',
    '',
    'How fast nbguard analyses a notebook, measured on generated notebooks that look like the',
    'real ones (pandas, Spark, mlflow, JDBC and HTTP code, secrets read from `dbutils.secrets.get`',
    'and `os.environ`, helper functions defined in one cell and called in later ones, loops,',
    'branches, markdown cells, a few planted leaks). The generator is `bench/generateNotebook.ts`',
    `(seeded, so every run analyses the same notebooks; seed ${SEED}).`,
    '',
    'Produced by:',
    '',
    '```sh',
    'npm run bench',
    '```',
    '',
    `(\`node bench/run.mjs --write\`: bundles \`bench/analysis.bench.ts\` with esbuild and runs it; ${seconds.toFixed(0)} s for this run.)`,
    '',
    '## Machine',
    '',
    ...machineLines(run.load),
    `- Code: ${gitRevision()}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '## Targets',
    '',
    ...targetTable(results),
    '',
    '## Results',
    '',
    resultTables(results),
    '',
    '## What is measured',
    '',
    '- **Full analysis**: `readNotebookText` (JSON parse of the .ipynb) + `analyzer.open(notebook)`',
    '  (tree-sitter parse and lowering of every cell, hardcoded-credential scan) + `analyze()` (the',
    '  taint dataflow over all cells in order, findings). The `Analyzer` (rules, wasm parser) is',
    `  created once per process, as in the CLI and the language server. ${FULL.warmup} warm-up runs, then up to`,
    `  ${FULL.runs} measured runs (at least ${FULL.minRuns}, about ${FULL.budgetMs / 1000} s per size).`,
    '- **Edit + re-analysis**: on one open analysis, `updateCell(index, source)` of a code cell in the',
    '  middle half of the notebook with a one-line edit (a number changed, a string literal',
    '  extended, or a statement appended), then `analyze()`; each edit starts from the cell\'s',
    `  original text and hits a different, random cell. ${EDIT.warmup} warm-up edits, then up to ${EDIT.runs} measured`,
    `  (at least ${EDIT.minRuns}, about ${EDIT.budgetMs / 1000} s per size). The re-parse column is \`updateCell\` alone.`,
    '- **Memory**: a separate process per size (`node --expose-gc`) opens and analyses the notebook',
    `  once and applies ${MEMORY_EDITS} edits. Peak RSS is \`process.resourceUsage().maxRSS\` for the whole process`,
    '  (node, the wasm parser and the analysis); heap peaks are sampled after open, analyze and each',
    '  edit; "retained" is the heap still used after a full GC with the notebook open, minus the',
    '  same before opening; external memory includes the tree-sitter wasm memory holding the trees.',
    '- **Findings** is a sanity check: the generated code follows the corpus conventions, so the',
    '  findings should be the planted leaks (in brackets) and nothing else.',
    '- Times are wall-clock `performance.now()` in one process per size, garbage collection included.',
    '',
    'Other commands: `node bench/run.mjs` (print only), `node bench/run.mjs --sizes 50,300`,',
    '`node bench/run.mjs profile --cells 300 --phase full|edit` (CPU profile, top self-time',
    'functions), `node bench/run.mjs generate --cells 300 --out nb.ipynb` (write a notebook).',
    '',
    ...profileSection(run),
    'Redaction (`nbguard redact` on a 1 GiB Spark driver log, against ripgrep and secretlint) is measured separately: [performance-redact.md](performance-redact.md) (`npm run bench:redact`).',
    'The language server (a one-cell edit to published diagnostics through LSP, opening, server memory) is measured separately: [performance-lsp.md](performance-lsp.md) (`npm run bench:lsp`).',
    'Syntax errors and big cells (one error in a 20,000-line cell against the clean cell, and the per-cell size limit) are measured separately: [performance-recovery.md](performance-recovery.md) (`node bench/run.mjs recovery`).',
    // Its headline numbers are read back from docs/performance-audit.md (bench/audit/performanceLink.ts).
    auditParagraph(),
  ].join('\n');
}

/** Writes the report to docs/performance.md and returns its path. */
export function writePerformanceReport(run: BenchmarkRun): string {
  return writeDoc('docs/performance.md', performanceReport(run));
}
