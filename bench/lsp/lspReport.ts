// docs/performance-lsp.md: what `node bench/run.mjs lsp --write` measured: the machine, the
// command, the issue's targets with pass/fail, edit -> diagnostics latencies and server memory
// per notebook size, and, when the edit target is missed, where the server's time goes (CPU
// profile of the edits) with the in-process replay that separates the causes. The analysis
// report (docs/performance.md) links here.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { stats, type Stats } from '../harness/stats';
import { writeDoc } from '../harness/writeDoc';
import { EDIT_SEED, MB, SMALL_HEAP_FLAGS, NOTEBOOK_SEED, REOPENS, REPORT, ROOT, TARGET_CELLS, TARGET_EDIT_P95_MS, TARGET_RSS_MB, WARMUP_EDITS } from './config';
import type { EditKind } from './editPlan';
import type { InProcessResult } from './inProcess';
import type { EditSample, LspSizeResult } from './measureLsp';
import type { ServerProfile } from './profileServer';
import { diagnosisSection, inProcessSection, profileSection } from './lspDiagnosis';

export interface LspBenchRun {
  /** Which build of dist/server.js ran. */
  build: string;
  results: LspSizeResult[];
  /** Measured edits per size. */
  edits: number;
  profile?: ServerProfile;
  inProcess?: InProcessResult;
  /** Why the in-process replay did not run (stale dist/). */
  inProcessSkipped?: string;
  /** The target size again with SMALL_HEAP_FLAGS (when the memory target is missed). */
  smallHeap?: LspSizeResult;
  serverFlags: string[];
  /** Whether serverFlags came from --server-flags (else SERVER_NODE_FLAGS, as the VS Code client). */
  serverFlagsGiven: boolean;
  load: number[];
  seconds: number;
  started: string;
}

export const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** Bytes as decimal megabytes (the target's unit). */
export const mbytes = (x: number) => `${(x / MB).toFixed(0)} MB`;
export const code = (x: string) => `\`${x.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
const KINDS: EditKind[] = ['add leak', 'remove leak', 'edit'];

export function editStats(r: LspSizeResult, keep: (e: EditSample) => boolean = () => true): Stats {
  return stats(r.edits.filter(keep).map((e) => e.ms));
}

export interface TargetCheck {
  result: LspSizeResult;
  all: Stats;
  published: Stats;
  scanned: Stats;
  editOk: boolean;
  publishedOk: boolean;
  /** Peak RSS with the notebook open (VmHWM after the edits; the process peak so far). */
  peak: number;
  memoryOk: boolean;
}

export function checkTargets(results: LspSizeResult[]): TargetCheck | undefined {
  const result = results.find((r) => r.cells === TARGET_CELLS);
  if (!result) return undefined;
  const all = editStats(result);
  const published = editStats(result, (e) => e.method === 'publish');
  const scanned = editStats(result, (e) => e.method === 'scan');
  const peak = result.memory.afterEdits.hwm;
  return { result, all, published, scanned, editOk: all.p95 < TARGET_EDIT_P95_MS, publishedOk: published.p95 < TARGET_EDIT_P95_MS, peak, memoryOk: peak < TARGET_RSS_MB * MB };
}

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'rules'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' (the working tree has uncommitted changes to server/ or rules/)' : ''}`;
}

function machineLines(run: LspBenchRun): string[] {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical cores; memory ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()}); Node.js ${process.version} (client and server)`,
    `- Load average when the run started: ${run.load.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min)${run.load[0] > 0.5 ? ': other work was running, so the times are noisier than usual' : ''}`,
    `- Code: ${gitRevision()}; measured: \`dist/server.js\`, ${run.build}; run ${run.started}`,
    `- Server started as \`node ${[...run.serverFlags, 'dist/server.js', '--stdio'].join(' ')}\`${run.serverFlagsGiven ? ' (flags given with `--server-flags`)' : " (the node flags the VS Code client passes: `SERVER_NODE_FLAGS` in `server/src/lsp/runtimeFlags.ts`)"}`,
  ];
}

const pass = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');

export function targetLines(run: LspBenchRun): string[] {
  const t = checkTargets(run.results);
  if (!t) return [`The targets are for a ${TARGET_CELLS}-code-cell notebook, which was not measured in this run.`];
  const m = t.result.memory;
  return [
    '| Target (issue), 500-code-cell notebook | Measured | Result |',
    '|---|---|---|',
    `| one-cell edit -> published diagnostics, p95 under ${TARGET_EDIT_P95_MS} ms (debounce 0): the ${t.published.n} edits that changed the edited cell's diagnostics, timed to its publishDiagnostics | p50 ${ms(t.published.median)} ms, **p95 ${ms(t.published.p95)} ms**, max ${ms(t.published.max)} ms | ${pass(t.publishedOk)} |`,
    `| the same over all ${t.all.n} edits, the ${t.scanned.n} that publish nothing timed to an nbguard/scanDocument answer instead | p50 ${ms(t.all.median)} ms, **p95 ${ms(t.all.p95)} ms**, max ${ms(t.all.max)} ms | ${pass(t.editOk)} |`,
    `| server memory with the notebook open under ${TARGET_RSS_MB} MB | **peak ${mbytes(t.peak)}** (VmHWM after the edits); ${mbytes(m.afterOpen.rss)} right after opening, ${mbytes(m.afterEdits.rss)} after the edits (VmRSS) | ${pass(t.memoryOk)} |`,
    ...e2eLines(),
  ];
}

interface E2eReport {
  activation?: { activateMs?: number; notebookFirstDiagnosticsMs?: number };
  typeToSquiggle?: { cells: number; debounceMs: number; openToFirstDiagnosticsMs: number; edits: number; p50Ms: number; p95Ms: number; debounce0?: { p50Ms: number; p95Ms: number } };
  vscode?: string;
}

/**
 * Activation time and type-to-squiggle latency as the last end-to-end run in a real VS Code
 * measured them (test-results/e2e.json, written by `npm run test:e2e`).
 */
function e2eLines(): string[] {
  let e2e: E2eReport;
  try {
    e2e = JSON.parse(readFileSync(join(process.cwd(), 'test-results', 'e2e.json'), 'utf8')) as E2eReport;
  } catch {
    return ['| extension activation time, type-to-squiggle latency | measured by `npm run test:e2e` in a real VS Code (test-results/e2e.json); no run found | |'];
  }
  const where = `from \`npm run test:e2e\`, VS Code ${e2e.vscode ?? '1.100'} in code-server`;
  const a = e2e.activation;
  const t = e2e.typeToSquiggle;
  return [
    a?.activateMs !== undefined
      ? `| extension activation time (${where}) | ${a.activateMs} ms for activate() including the language server's start; the example notebook's first diagnostics ${a.notebookFirstDiagnosticsMs ?? '?'} ms after it opened | |`
      : '| extension activation time | no activation time in test-results/e2e.json | |',
    t
      ? `| type to squiggle in VS Code, ${t.cells} cells (${where}): a leak typed into the last cell and taken back, ${t.edits} edits, timed from the edit until the extension host holds the cell's new diagnostics (polled) | with the default ${t.debounceMs} ms typing pause: p50 ${t.p50Ms} ms, **p95 ${t.p95Ms} ms**; with no pause: p50 ${t.debounce0?.p50Ms ?? '?'} ms, p95 ${t.debounce0?.p95Ms ?? '?'} ms; the notebook's first diagnostics ${t.openToFirstDiagnosticsMs} ms after it opened | |`
      : '| type to squiggle in VS Code | no measurement in test-results/e2e.json | |',
  ];
}

function editTable(results: LspSizeResult[]): string[] {
  const rows: string[] = [
    '| Code cells | Edits | p50 | p95 | max | Diagnostics changed (timed to publishDiagnostics): n, p50, p95 | Nothing published for the cell (timed to the scanDocument answer): n, p50, p95 |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const a = editStats(r);
    const p = editStats(r, (e) => e.method === 'publish');
    const s = editStats(r, (e) => e.method === 'scan');
    rows.push(`| ${r.cells} | ${a.n} | ${ms(a.median)} ms | ${ms(a.p95)} ms | ${ms(a.max)} ms | ${p.n}: ${ms(p.median)} ms, ${ms(p.p95)} ms | ${s.n}: ${ms(s.median)} ms, ${ms(s.p95)} ms |`);
  }
  return rows;
}

function kindTable(results: LspSizeResult[]): string[] {
  const rows: string[] = ['| Code cells | Edit | n | Timed to | p50 | p95 | max |', '|---:|---|---:|---|---:|---:|---:|'];
  for (const r of results) {
    for (const kind of KINDS) {
      for (const method of ['publish', 'scan'] as const) {
        const s = editStats(r, (e) => e.kind === kind && e.method === method);
        if (s.n === 0) continue;
        rows.push(`| ${r.cells} | ${kind} | ${s.n} | ${method === 'publish' ? 'publishDiagnostics' : 'scanDocument answer'} | ${ms(s.median)} ms | ${ms(s.p95)} ms | ${ms(s.max)} ms |`);
      }
    }
  }
  return rows;
}

/** p50 / p95 by where the edited cell is: the re-analysis re-runs the cells from the edited one on. */
function positionTable(results: LspSizeResult[]): string[] {
  const rows: string[] = [
    '| Code cells | Edited cell in the first quarter: n, p50, p95 | second quarter | third quarter | last quarter |',
    '|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const cols = [0, 1, 2, 3].map((q) => {
      const s = editStats(r, (e) => Math.min(3, Math.floor((4 * e.cell) / r.cells)) === q);
      return `${s.n}: ${ms(s.median)} ms, ${ms(s.p95)} ms`;
    });
    rows.push(`| ${r.cells} | ${cols.join(' | ')} |`);
  }
  return rows;
}

function openTable(results: LspSizeResult[]): string[] {
  const rows: string[] = [
    '| Code cells (+ markdown, not sent) | Lines of code | didOpen -> first diagnostics | -> all diagnostics | Re-open, warm (median of ' +
      `${REOPENS}) | RSS before opening | RSS after opening (peak) | RSS after the edits (peak) | Findings (planted) | Cells with diagnostics |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const m = r.memory;
    rows.push(
      `| ${r.cells} (+${r.markdownCells}) | ${r.codeLines} | ${ms(r.openFirstMs)} ms | ${ms(r.openAllMs)} ms | ${ms(stats(r.reopenFirstMs).median)} ms | ${mbytes(m.beforeOpen.rss)} | ${mbytes(m.afterOpen.rss)} (${mbytes(m.afterOpen.hwm)}) | ${mbytes(m.afterEdits.rss)} (${mbytes(m.afterEdits.hwm)}) | ${r.findings} (${r.planted}) | ${r.cellsWithDiagnostics} |`,
    );
  }
  return rows;
}

function dryTable(results: LspSizeResult[]): string[] {
  const rows: string[] = ['| Code cells | Edit | n | published for the edited cell | published for any cell | mismatches in the measured run |', '|---:|---|---:|---:|---:|---:|'];
  for (const r of results) {
    KINDS.forEach((kind, i) => {
      const d = r.dry[kind];
      rows.push(`| ${r.cells} | ${kind} | ${d.n} | ${d.publishedCell} | ${d.publishedAny} | ${i === 0 ? r.mismatches : ''} |`);
    });
  }
  return rows;
}

/** Inclusive time of the server's main steps during the profiled edits, ms. */
function memorySection(run: LspBenchRun): string[] {
  const t = checkTargets(run.results);
  const small = run.smallHeap;
  if (!t || !small) return [];
  const m = t.result.memory;
  const sm = small.memory;
  const sp = editStats(small, (e) => e.method === 'publish');
  const kept = sm.afterEdits.rss - sm.beforeOpen.rss;
  return [
    `## Where the memory goes (${t.result.cells} code cells)`,
    '',
    `The same notebook and the first ${small.edits.length} of the same edits (after the warm-up) in a server started with`,
    `\`node ${SMALL_HEAP_FLAGS.join(' ')}\`, which makes V8 collect early and keep its heap small:`,
    '',
    '| Server | RSS before opening | after opening (peak) | after the edits (peak) | edit -> publishDiagnostics p50 / p95 |',
    '|---|---:|---:|---:|---:|',
    `| ${run.serverFlags.length ? code(run.serverFlags.join(' ')) : 'no flags'} (as measured above) | ${mbytes(m.beforeOpen.rss)} | ${mbytes(m.afterOpen.rss)} (${mbytes(m.afterOpen.hwm)}) | ${mbytes(m.afterEdits.rss)} (${mbytes(m.afterEdits.hwm)}) | ${ms(t.published.median)} / ${ms(t.published.p95)} ms |`,
    `| ${code(SMALL_HEAP_FLAGS.join(' '))} | ${mbytes(sm.beforeOpen.rss)} | ${mbytes(sm.afterOpen.rss)} (${mbytes(sm.afterOpen.hwm)}) | ${mbytes(sm.afterEdits.rss)} (${mbytes(sm.afterEdits.hwm)}) | ${ms(sp.median)} / ${ms(sp.p95)} ms |`,
    '',
    `- Before any notebook the server holds ${mbytes(m.beforeOpen.rss)}: node itself, the bundle, the tree-sitter wasm runtime`,
    '  and grammar, and the compiled rules.',
    `- With the small heap, RSS after the edits is ${mbytes(kept)} above the RSS before opening, and the peak stays at`,
    `  ${mbytes(sm.afterEdits.hwm)}${sm.afterEdits.hwm < TARGET_RSS_MB * MB ? `, under the ${TARGET_RSS_MB} MB target` : ''}, with edits at p50 ${ms(sp.median)} ms / p95 ${ms(sp.p95)} ms (measured server: ${ms(t.published.median)} / ${ms(t.published.p95)} ms). So the server does not keep much: most of the`,
    `  measured server's ${mbytes(m.afterEdits.hwm - m.afterOpen.rss)} of growth during the edits is heap V8 has not collected or given back. Every`,
    `  re-analysis allocates scopes and values for every cell it runs, and V8 lets ${run.serverFlags.some((f) => f.startsWith('--max-semi-space-size')) ? 'the old generation' : 'the young generation (16 MB semi-spaces by default) and the old generation'}`,
    '  grow before it collects.',
    '- Two ways to the target: allocate less per edit (fewer cells re-run, fewer objects per cell), and',
    "  start the server with heap flags (`SERVER_NODE_FLAGS`, which the VS Code client passes as `execArgv`);",
    '  an old-space cap must leave room for the largest notebooks (check the 1000-cell one before choosing it).',
    '',
  ];
}

export function lspReport(run: LspBenchRun): string {
  return [
    '# Language server performance',
    '',
    '<!-- Generated by `npm run bench:lsp` (node bench/run.mjs lsp --write); do not edit by hand. -->',
    '',
    'How long the nbguard language server takes from a one-cell edit of an open notebook to the',
    'diagnostics it publishes, how long it takes to open the notebook, and how much memory the',
    'server process holds with it open, measured through LSP the way VS Code talks to it. The',
    'analysis library alone is measured in [performance.md](performance.md).',
    '',
    '```sh',
    'npm run build && npm run bench:lsp   # node bench/run.mjs lsp --write',
    '```',
    '',
    `(${run.seconds.toFixed(0)} s for this run.)`,
    '',
    '## Machine',
    '',
    ...machineLines(run),
    '',
    '## Targets',
    '',
    ...targetLines(run),
    '',
    '## Edit -> published diagnostics',
    '',
    `${run.edits} one-cell edits per notebook size (after ${WARMUP_EDITS} warm-up edits), debounce 0. p50, p95 and max are over all`,
    'edits; the last two columns split them by what the time runs to:',
    '',
    ...editTable(run.results),
    '',
    'By kind of edit:',
    '',
    ...kindTable(run.results),
    '',
    'By position of the edited cell (all edits):',
    '',
    ...positionTable(run.results),
    '',
    '## Opening the notebook, and memory',
    '',
    ...openTable(run.results),
    '',
    '## What is measured',
    '',
    '- **The server** is `dist/server.js` (the bundle VS Code starts), a child process of the benchmark',
    '  on stdio; it runs from a copy taken when the run starts (`bench/.build/lsp-server/<pid>/`, with the wasm',
    '  files and the rules), so that a rebuild of `dist/` during the run cannot mix builds. The benchmark is the client: `initialize` with notebook sync capabilities, and',
    '  `workspace/configuration` answered with `{debounceMs: 0}` so that the debounce is not part of',
    '  the times; it waits for the server to load its rules before opening the notebook. (VS Code',
    "  starts the server with node IPC as transport and Electron's node; the messages are the same.)",
    `- **The notebooks** are the analysis benchmark's generated ones (\`bench/generateNotebook.ts\`, seed ${NOTEBOOK_SEED}),`,
    `  ${run.results.map((r) => r.cells).join(', ')} code cells. They are opened with \`notebookDocument/didOpen\` as VS Code sends it: the`,
    "  code cells only (the server's notebook selector asks for python cells), never executed.",
    '- **Open** is the time from sending `didOpen` to the first `publishDiagnostics` (the server publishes',
    '  all cells of one analysis together; "all" is the last of them). Re-open: `didClose`, then `didOpen`',
    '  again in the same, warm server.',
    `- **Edits** (\`bench/lsp/editPlan.ts\`, seed ${EDIT_SEED}) are one-line changes of a random code cell, sent as VS Code sends`,
    '  them: `notebookDocument/didChange` with `change.cells.textContent` holding the changed range only.',
    '  They repeat a cycle of four: add a leak (a line printing or logging a secret an earlier cell read,',
    '  appended to the cell: a new NBG101 diagnostic), an ordinary edit (`editCell`: a number changed,',
    '  a string literal extended, or a statement appended: usually no visible change), remove that leak',
    '  again (the diagnostic goes), another ordinary edit. The edits accumulate, as while typing.',
    "- **Timing an edit**: from just before sending the `didChange` to the arrival of the edited cell's",
    '  `publishDiagnostics`. The server publishes only diagnostics that changed, so for an edit that',
    "  leaves the edited cell's diagnostics as they were, nothing arrives; such edits are timed instead",
    '  to the answer of an `nbguard/scanDocument` request sent in the same tick as the `didChange`',
    '  (the server analyses the notebook and answers with its findings). Which edits publish is',
    '  known from a dry run in another server process with the same edits, each followed by a scan',
    '  (everything the server publishes for an edit arrives before the scan answer); the measured run',
    '  checks that the expectation held ("mismatches", expected 0). After each edit the benchmark',
    "  waits until the server is idle (a request that does no analysis) before the next one. Times are",
    "  `performance.now()` in the client when the message is handled, so they include the pipe and",
    "  JSON-RPC on both sides, as in VS Code.",
    '- **Memory** is the server process\'s `VmRSS` (resident now) and `VmHWM` (peak resident since it',
    '  started) from `/proc/<pid>/status`, before opening, after opening and after the edits. MB =',
    '  10^6 bytes.',
    '',
    'What the dry run saw (after the warm-up edits):',
    '',
    ...dryTable(run.results),
    '',
    ...profileSection(run),
    ...inProcessSection(run),
    ...diagnosisSection(run),
    ...memorySection(run),
    '## Reproduce',
    '',
    '- `node bench/run.mjs lsp` measures and prints; `--write` also rewrites this file; `--sizes 300,500`,',
    '  `--edits N`, `--profile` (profile even when the target is met) or `--no-profile`, `--server-flags "--max-old-space-size=96"`',
    '  (node flags for the measured server instead of `SERVER_NODE_FLAGS`; `--server-flags ""` for none).',
    '- `node bench/run.mjs lsp profile --cells 500` profiles the server during the edits and prints the summary.',
    '- Needs `npm run build` (the benchmark runs `dist/server.js` as it is, without building it) and Linux (`/proc`).',
    '',
  ].join('\n');
}

export function writeLspReport(run: LspBenchRun): string {
  return writeDoc(REPORT, lspReport(run));
}
