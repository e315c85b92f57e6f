// The nbguard performance benchmark: how long a whole notebook takes to analyse, how long a
// re-analysis takes after a one-cell edit (what the language server does on every keystroke),
// and how much memory an open notebook costs, for generated notebooks of 50, 300 and 1000 code
// cells (bench/generateNotebook.ts).
//
// Run it through the bundler: `npm run bench` (= node bench/run.mjs --write). Every size is
// measured in fresh child processes (one for timing, one for memory) so that sizes do not
// share JIT state, heap growth or peak RSS. See bench/run.mjs for the other commands.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Analyzer, readNotebookText, type AnalysisResult } from '../server/src/analysis';
import { DEFAULT_SEED, editCell, generateCommand, generateNotebook, prng } from './generateNotebook';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SIZES = [50, 300, 1000];
const SEED = DEFAULT_SEED;
const RESULT_TAG = '@@bench-result ';

/** The issue's targets (300-cell notebook). */
const TARGET_CELLS = 300;
const TARGET_FULL_MS = 300;
const TARGET_EDIT_MS = 10;

/** Budgets per size: repeat until the count is reached or the time is spent (at least the minimum). */
const FULL = { warmup: 3, runs: 30, minRuns: 5, budgetMs: 12_000 };
const EDIT = { warmup: 20, runs: 200, minRuns: 30, budgetMs: 30_000 };
/** Edits run in the memory child (the open analysis should not grow with edits). */
const MEMORY_EDITS = 50;

// ---------------------------------------------------------------- statistics

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1] };
}

// ---------------------------------------------------------------- child: timing

interface TimingResult {
  cells: number;
  markdownCells: number;
  codeLines: number;
  notebookBytes: number;
  planted: Record<string, number>;
  findings: number;
  findingsByRule: Record<string, number>;
  syntaxErrors: number;
  full: Stats;
  read: Stats;
  open: Stats;
  analyze: Stats;
  edit: Stats;
  editUpdate: Stats;
  editAnalyze: Stats;
  findingsAfterEdits: number;
}

function byRule(result: AnalysisResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of result.findings) out[f.ruleId] = (out[f.ruleId] ?? 0) + 1;
  return out;
}

/** Runs `fn` for warm-up, then until `runs` samples or the budget is spent. */
function repeat(cfg: { warmup: number; runs: number; minRuns: number; budgetMs: number }, fn: (measured: boolean) => void): void {
  for (let i = 0; i < cfg.warmup; i++) fn(false);
  const start = performance.now();
  for (let i = 0; i < cfg.runs; i++) {
    if (i >= cfg.minRuns && performance.now() - start > cfg.budgetMs) break;
    fn(true);
  }
}

async function timingChild(cells: number, phase: 'all' | 'full' | 'edit'): Promise<TimingResult> {
  const analyzer = await Analyzer.create();
  const nb = generateNotebook({ codeCells: cells, seed: SEED });
  const path = `generated-${cells}.ipynb`;

  const full: number[] = [];
  const read: number[] = [];
  const open: number[] = [];
  const analyze: number[] = [];
  let first: AnalysisResult | undefined;
  const fullRun = (measured: boolean) => {
    const t0 = performance.now();
    const notebook = readNotebookText(path, nb.text);
    const t1 = performance.now();
    const analysis = analyzer.open(notebook);
    const t2 = performance.now();
    const result = analysis.analyze();
    const t3 = performance.now();
    analysis.dispose();
    first ??= result;
    if (!measured) return;
    full.push(t3 - t0);
    read.push(t1 - t0);
    open.push(t2 - t1);
    analyze.push(t3 - t2);
  };
  if (phase === 'edit') fullRun(false);
  else repeat(FULL, fullRun);

  // Re-analysis after editing one cell of the middle half of the notebook.
  const edit: number[] = [];
  const editUpdate: number[] = [];
  const editAnalyze: number[] = [];
  let last: AnalysisResult | undefined;
  if (phase !== 'full') {
    const notebook = readNotebookText(path, nb.text);
    const original = notebook.cells.map((c) => c.code);
    const analysis = analyzer.open(notebook);
    analysis.analyze();
    const r = prng(SEED ^ cells);
    const middle = nb.codeCellIndices.slice(Math.floor(nb.codeCellIndices.length / 4), Math.ceil((nb.codeCellIndices.length * 3) / 4));
    repeat(EDIT, (measured) => {
      const index = middle[Math.floor(r() * middle.length)];
      const source = editCell(original[index], r);
      const t0 = performance.now();
      analysis.updateCell(index, source);
      const t1 = performance.now();
      last = analysis.analyze();
      const t2 = performance.now();
      if (!measured) return;
      edit.push(t2 - t0);
      editUpdate.push(t1 - t0);
      editAnalyze.push(t2 - t1);
    });
    analysis.dispose();
  }
  const result = first!;
  return {
    cells: nb.codeCells,
    markdownCells: nb.markdownCells,
    codeLines: nb.codeLines,
    notebookBytes: Buffer.byteLength(nb.text),
    planted: nb.planted,
    findings: result.findings.length,
    findingsByRule: byRule(result),
    syntaxErrors: result.syntaxErrors.length,
    full: stats(full),
    read: stats(read),
    open: stats(open),
    analyze: stats(analyze),
    edit: stats(edit),
    editUpdate: stats(editUpdate),
    editAnalyze: stats(editAnalyze),
    findingsAfterEdits: last?.findings.length ?? NaN,
  };
}

// ---------------------------------------------------------------- child: memory

interface MemoryResult {
  /** Peak resident set size of the whole process (node + wasm + analysis). */
  peakRss: number;
  /** RSS before the notebook was opened (node, rules and the parser loaded). */
  baselineRss: number;
  /** Highest V8 heap used and committed, sampled after open, analyze and each edit. */
  peakHeapUsed: number;
  peakHeapTotal: number;
  /** Heap used after a full GC with the notebook open, minus the same before opening. */
  retainedHeap: number;
  /** External memory (wasm linear memory, buffers) after a full GC with the notebook open. */
  external: number;
}

async function memoryChild(cells: number): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory child needs --expose-gc');
  const analyzer = await Analyzer.create();
  const nb = generateNotebook({ codeCells: cells, seed: SEED });
  gc();
  const before = process.memoryUsage();
  let peakHeapUsed = before.heapUsed;
  let peakHeapTotal = before.heapTotal;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    peakHeapTotal = Math.max(peakHeapTotal, m.heapTotal);
  };
  const notebook = readNotebookText('generated.ipynb', nb.text);
  const analysis = analyzer.open(notebook);
  sample();
  analysis.analyze();
  sample();
  const r = prng(SEED ^ cells);
  for (let i = 0; i < MEMORY_EDITS; i++) {
    const index = nb.codeCellIndices[Math.floor(r() * nb.codeCellIndices.length)];
    analysis.updateCell(index, editCell(notebook.cells[index].code, r));
    analysis.analyze();
    sample();
  }
  gc();
  const after = process.memoryUsage();
  const result: MemoryResult = {
    peakRss: process.resourceUsage().maxRSS * 1024,
    baselineRss: before.rss,
    peakHeapUsed,
    peakHeapTotal,
    retainedHeap: after.heapUsed - before.heapUsed,
    external: after.external,
  };
  analysis.dispose();
  return result;
}

// ---------------------------------------------------------------- parent

function runChild<T>(nodeFlags: string[], args: string[]): T {
  const bundle = process.argv[1];
  const out = spawnSync(process.execPath, [...nodeFlags, bundle, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) {
    process.stderr.write(out.stdout ?? '');
    process.stderr.write(out.stderr ?? '');
    throw new Error(`benchmark child ${args.join(' ')} failed (status ${out.status}, signal ${out.signal})`);
  }
  const line = out.stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (!line) throw new Error(`benchmark child ${args.join(' ')} printed no result`);
  return JSON.parse(line.slice(RESULT_TAG.length)) as T;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (x: number) => (x / (1024 * 1024)).toFixed(0);
const plantedTotal = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);
const rules = (p: Record<string, number>) =>
  Object.entries(p)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

interface SizeResult {
  timing: TimingResult;
  memory: MemoryResult;
}

function tables(results: SizeResult[]): string {
  const t: string[] = [];
  t.push('| Code cells (+ markdown) | Lines of code | Full analysis median | Full p95 | of which: read + parse + lower (median) | dataflow (median) | Edit + re-analysis median | Edit p95 | of which: re-parse (median) | Runs / edits |');
  t.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { timing: r } of results) {
    t.push(
      `| ${r.cells} (+${r.markdownCells}) | ${r.codeLines} | ${ms(r.full.median)} ms | ${ms(r.full.p95)} ms | ${ms(r.read.median + r.open.median)} ms | ${ms(r.analyze.median)} ms | ${ms(r.edit.median)} ms | ${ms(r.edit.p95)} ms | ${ms(r.editUpdate.median)} ms | ${r.full.n} / ${r.edit.n} |`,
    );
  }
  t.push('');
  t.push('| Code cells | Notebook size | Peak RSS | RSS before opening | Peak V8 heap used | Peak V8 heap committed | Heap retained by the open notebook | External (wasm) | Findings (planted) | Syntax errors |');
  t.push('|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const { timing: r, memory: m } of results) {
    const findings = `${r.findings} (${plantedTotal(r.planted)}): ${rules(r.findingsByRule) || 'none'}`;
    t.push(
      `| ${r.cells} | ${(r.notebookBytes / 1024).toFixed(0)} KB | ${mb(m.peakRss)} MB | ${mb(m.baselineRss)} MB | ${mb(m.peakHeapUsed)} MB | ${mb(m.peakHeapTotal)} MB | ${mb(m.retainedHeap)} MB | ${mb(m.external)} MB | ${findings} | ${r.syntaxErrors} |`,
    );
  }
  return t.join('\n');
}

function targetLines(results: SizeResult[]): string[] {
  const r = results.find((x) => x.timing.cells === TARGET_CELLS)?.timing;
  if (!r) return [`Targets are for a ${TARGET_CELLS}-cell notebook, which was not measured in this run.`];
  const pass = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
  return [
    '| Target (issue) | Measured | Result |',
    '|---|---:|---|',
    `| ${TARGET_CELLS}-cell notebook fully analysed in under ${TARGET_FULL_MS} ms | median ${ms(r.full.median)} ms (p95 ${ms(r.full.p95)} ms) | ${pass(r.full.median < TARGET_FULL_MS)} |`,
    `| re-analysed after a one-cell edit in under ${TARGET_EDIT_MS} ms (median) | median ${ms(r.edit.median)} ms (p95 ${ms(r.edit.p95)} ms) | ${pass(r.edit.median < TARGET_EDIT_MS)} |`,
  ];
}

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'rules'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes to server/ or rules/' : ''}`;
}

function machine(load: number[]): string[] {
  const cpus = os.cpus();
  return [
    `- Load average when the run started: ${load.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min)${load[0] > 0.5 ? ': other work was running, so the times are noisier than usual' : ''}`,
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical cores`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node.js: ${process.version}`,
  ];
}

interface Run {
  results: SizeResult[];
  seconds: number;
  load: number[];
  profiles?: { cells: number; full: ProfileSummary; edit: ProfileSummary };
}

function profileSection(run: Run): string[] {
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

function report(run: Run): string {
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
    ...machine(run.load),
    `- Code: ${gitRevision()}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '## Targets',
    '',
    ...targetLines(results),
    '',
    '## Results',
    '',
    tables(results),
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
  ].join('\n');
}

function measureSize(cells: number): SizeResult {
  process.stderr.write(`  ${cells} cells: memory...`);
  const memory = runChild<MemoryResult>(['--expose-gc'], ['--child', 'memory', '--cells', String(cells)]);
  process.stderr.write(' timing...');
  const timing = runChild<TimingResult>([], ['--child', 'timing', '--cells', String(cells)]);
  process.stderr.write(` full ${ms(timing.full.median)} ms, edit ${ms(timing.edit.median)} ms\n`);
  return { timing, memory };
}

// ---------------------------------------------------------------- profile

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Maps a position in the bundle to `path:line` in the sources, through esbuild's source map. */
function sourceLocator(bundle: string): (line: number, column: number) => string | undefined {
  const mapFile = `${bundle}.map`;
  if (!existsSync(mapFile)) return () => undefined;
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
  return (line, column) => {
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (!entry.originalSource) return undefined;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(mapFile), entry.originalSource);
    return `${relative(ROOT, source)}:${(entry.originalLine ?? 0) + 1}`;
  };
}

interface ProfileSummary {
  file: string;
  /** Sampled time, ms. */
  total: number;
  /** [name, ms], largest first. */
  byModule: [string, number][];
  selfTime: [string, number][];
  /** Inclusive time of the analysis's own functions (server/). */
  inclusive: [string, number][];
  /** Inclusive time of the analysis phases (PHASES), in that order; phases not seen are left out. */
  phases: [string, number][];
}

/** The phases of an analysis, recognised by function names in the profile (`name [file:line]`). */
const PHASES: [string, RegExp][] = [
  ['read the .ipynb (JSON, cells)', /^(readNotebookText|parseIpynb) \[/],
  ['tree-sitter parse (`parser.parse`)', /^parse \[server\/src\/analysis\/parse\//],
  ['lowering to the IR (tree walk through the web-tree-sitter node API)', /^lowerCell \[/],
  ['hardcoded-credential scan', /^findHardcoded \[/],
  ['dataflow (`analyze()`)', /^analyze \[server\/src\/analysis\/notebookAnalysis/],
  ['- of which rule-name matching (`NameTable`, `canonical`)', /^((first|lookup) \[server\/src\/analysis\/rules\/namePattern|canonical \[)/],
  ['- of which message/trace labels (`exprText`)', /\[server\/src\/analysis\/dataflow\/exprText\.ts/],
  ['garbage collector', /^\(garbage collector\)$/],
];

/** Self time per function and per module, and inclusive time of server/ functions, from a .cpuprofile. */
function summarizeProfile(file: string, bundle: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const locate = sourceLocator(bundle);
  const bundleUrl = pathToFileURL(bundle).href;
  const info = new Map<number, { fn: string; module: string; own: boolean }>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let where: string;
    if (url === bundleUrl) where = locate(lineNumber, columnNumber) ?? 'bench bundle';
    else if (url.startsWith('wasm://')) where = 'tree-sitter (wasm)';
    else if (url.includes('/node_modules/')) where = url.slice(url.lastIndexOf('/node_modules/') + 14);
    else if (url === '') where = '';
    else where = url.replace(/^file:\/\//, '');
    const name = functionName || '(anonymous)';
    const module = where.replace(/:\d+$/, '') || (name.startsWith('(') ? name : '(vm: regexp, builtins)');
    info.set(n.id, { fn: where ? `${name} [${where}]` : name, module, own: where.startsWith('server/') });
  }
  const self = new Map<string, number>();
  const byModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const phases = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i];
    const n = info.get(id);
    if (!n) continue;
    total += dt;
    self.set(n.fn, (self.get(n.fn) ?? 0) + dt);
    byModule.set(n.module, (byModule.get(n.module) ?? 0) + dt);
    const seen = new Set<string>();
    const inPhase = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const q = info.get(p);
      if (!q) continue;
      for (const [label, re] of PHASES) if (re.test(q.fn)) inPhase.add(label);
      if (q.own && !seen.has(q.fn)) {
        seen.add(q.fn);
        inclusive.set(q.fn, (inclusive.get(q.fn) ?? 0) + dt);
      }
    }
    // A `- ` phase counts only inside the phase listed above it.
    let outer = '';
    for (const [label] of PHASES) {
      if (!label.startsWith('- ')) outer = label;
      if (inPhase.has(label) && (!label.startsWith('- ') || inPhase.has(outer))) phases.set(label, (phases.get(label) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const phaseList = PHASES.filter(([label]) => phases.has(label)).map(([label]): [string, number] => [label, phases.get(label) ?? 0]);
  return { file, total, byModule: sorted(byModule), selfTime: sorted(self), inclusive: sorted(inclusive), phases: phaseList };
}

/** Inclusive times without the wrappers that only repeat their callee's time. */
function ownInclusive(p: ProfileSummary): [string, number][] {
  return p.inclusive.filter(([k]) => !/^(\(anonymous\)|NotebookAnalysis|entryFor|execCell|safeLower|lowerStatements) /.test(k));
}

function profileText(p: ProfileSummary, top: number): string {
  const row = ([k, t]: [string, number]) => `  ${((100 * t) / p.total).toFixed(1).padStart(5)}% ${t.toFixed(0).padStart(6)} ms  ${k}`;
  return [
    `${p.file}: ${p.total.toFixed(0)} ms sampled (the whole child process, start-up included)`,
    '',
    'Phases (inclusive):',
    ...p.phases.map(row),
    '',
    'Self time by module:',
    ...p.byModule.slice(0, 15).map(row),
    '',
    `Top ${top} functions by self time:`,
    ...p.selfTime.slice(0, top).map(row),
    '',
    `Top ${top} analysis functions (server/) by inclusive time:`,
    ...ownInclusive(p).slice(0, top).map(row),
  ].join('\n');
}

function profileMarkdown(p: ProfileSummary, top: number): string {
  const pct = (t: number) => `${((100 * t) / p.total).toFixed(1)}%`;
  const md = (k: string) => `\`${k.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
  const rows = (xs: [string, number][], n: number) => xs.slice(0, n).map(([k, t]) => `| ${pct(t)} | ${md(k)} |`);
  return [
    '| Phase (inclusive) | Share |',
    '|---|---:|',
    ...p.phases.map(([k, t]) => `| ${k} | ${pct(t)} |`),
    '',
    '| Self time | Module |',
    '|---:|---|',
    ...rows(p.byModule, 8),
    '',
    '| Self time | Function |',
    '|---:|---|',
    ...rows(p.selfTime, top),
    '',
    '| Inclusive | Analysis function |',
    '|---:|---|',
    ...rows(ownInclusive(p), top),
  ].join('\n');
}

/** CPU-profiles a timing child (one phase, one size) and summarizes the profile. */
function profilePhase(cells: number, phase: 'full' | 'edit'): ProfileSummary {
  const dir = join(ROOT, 'bench', 'results', `profile-${cells}-${phase}`);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  runChild(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200'], ['--child', 'timing', '--cells', String(cells), '--phase', phase]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return summarizeProfile(join(dir, file), process.argv[1]);
}

function profileCommand(args: string[]): void {
  const value = (flag: string, d: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : d;
  };
  const phase = value('--phase', 'full');
  if (phase !== 'full' && phase !== 'edit') throw new Error('--phase is full or edit');
  console.log(profileText(profilePhase(Number(value('--cells', '300')), phase), Number(value('--top', '25'))));
}

// ---------------------------------------------------------------- main

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === 'generate') return generateCommand(argv.slice(1));
  if (argv[0] === 'profile') return profileCommand(argv.slice(1));
  const child = flag('--child');
  if (child) {
    const cells = Number(flag('--cells'));
    const result = child === 'memory' ? await memoryChild(cells) : await timingChild(cells, (flag('--phase') as 'full' | 'edit' | undefined) ?? 'all');
    process.stdout.write(`${RESULT_TAG}${JSON.stringify(result)}\n`);
    return;
  }
  const sizes = (flag('--sizes') ?? DEFAULT_SIZES.join(',')).split(',').map(Number);
  const write = argv.includes('--write');
  const started = performance.now();
  const load = os.loadavg();
  process.stderr.write(`nbguard benchmark: ${sizes.join(', ')} code cells, node ${process.version}, ${os.cpus().length} cores, load ${load[0].toFixed(2)}\n`);
  const results = sizes.map(measureSize);
  // With --write (or --profile), where the time goes for the target size goes into the report.
  let profiles: Run['profiles'];
  if (write || argv.includes('--profile')) {
    const cells = sizes.includes(TARGET_CELLS) ? TARGET_CELLS : sizes[0];
    process.stderr.write(`  profiling ${cells} cells: full...`);
    const full = profilePhase(cells, 'full');
    process.stderr.write(' edit...\n');
    const edit = profilePhase(cells, 'edit');
    profiles = { cells, full, edit };
  }
  const seconds = (performance.now() - started) / 1000;
  const run: Run = { results, seconds, load, profiles };
  console.log('');
  console.log(targetLines(results).join('\n'));
  console.log('');
  console.log(tables(results));
  console.log('');
  for (const { timing } of results) {
    if (timing.syntaxErrors > 0) console.log(`warning: the ${timing.cells}-cell notebook has ${timing.syntaxErrors} syntax errors (generator bug)`);
    if (timing.findings !== plantedTotal(timing.planted))
      console.log(`note: ${timing.cells} cells: ${timing.findings} findings for ${plantedTotal(timing.planted)} planted (${rules(timing.planted)})`);
  }
  if (profiles) {
    console.log(`Full analysis, ${profiles.cells} cells:\n${profileText(profiles.full, 12)}\n`);
    console.log(`Edit + re-analysis, ${profiles.cells} cells:\n${profileText(profiles.edit, 12)}\n`);
  }
  if (write) {
    const out = join(ROOT, 'docs', 'performance.md');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, report(run));
    console.log(`wrote ${out}`);
  }
  console.log(`benchmark took ${seconds.toFixed(0)} s`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
