// The language-server benchmark: the time from a one-cell edit of an open notebook to the
// diagnostics the server publishes, the time to open the notebook, and the server's memory,
// measured through LSP against dist/server.js (a copy taken when the run starts) as a child
// process on stdio, for generated notebooks of 300, 500 and 1000 code cells (the issue's targets are for 500). When the edit
// target is missed (or with --profile), the server is CPU-profiled during the edits and the
// edits are replayed in-process on the analysis library to separate the causes. Run it
// through the bundler:
//
//   npm run build && npm run bench:lsp       (= node bench/run.mjs lsp --write)
//   node bench/run.mjs lsp [--sizes 300,500,1000] [--edits 300] [--profile | --no-profile] [--server-flags "..."] [--write]
//   node bench/run.mjs lsp profile [--cells 500]
//
// The server runs with the node flags the VS Code client gives it (SERVER_NODE_FLAGS in
// server/src/lsp/runtimeFlags.ts) unless --server-flags replaces them ("" for none).
//
// The parts are in bench/lsp/: serverSnapshot.ts (the copy of dist/server.js that runs),
// benchClient.ts (the LSP client and /proc memory),
// syncedNotebook.ts (the notebook as VS Code syncs it), editPlan.ts (the edits), measureLsp.ts
// (dry run and measured run of one size), profileServer.ts (the server under --cpu-prof),
// inProcess.ts (the in-process replay), lspReport.ts (docs/performance-lsp.md) and config.ts
// (sizes, targets, counts).

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/runtimeFlags';
import { generateNotebookText } from './generateNotebook';
import { profileText } from './harness/cpuProfileSummary';
import { EDIT_SEED, EDITS, LSP_SIZES, NOTEBOOK_SEED, SMALL_HEAP_EDITS, SMALL_HEAP_FLAGS, TARGET_CELLS, TARGET_EDIT_P95_MS, TARGET_RSS_MB, WARMUP_EDITS } from './lsp/config';
import { planEdits } from './lsp/editPlan';
import { inProcessReference } from './lsp/inProcess';
import { checkTargets, editStats, mbytes, ms, writeLspReport, type LspBenchRun } from './lsp/lspReport';
import { measureLsp, type LspSizeResult } from './lsp/measureLsp';
import { profileServer } from './lsp/profileServer';
import { removeSnapshot, snapshotServer, type ServerSnapshot } from './lsp/serverSnapshot';
import { codeCellSources } from './lsp/syncedNotebook';

const log = (s: string) => process.stderr.write(s);

/** Copies dist/server.js for this run (serverSnapshot.ts) and prints the warnings. */
function snapshot(): ServerSnapshot {
  const snap = snapshotServer();
  for (const w of snap.warnings) log(`warning: ${w}\n`);
  return snap;
}

function printSize(r: LspSizeResult): void {
  const a = editStats(r);
  const p = editStats(r, (e) => e.method === 'publish');
  const s = editStats(r, (e) => e.method === 'scan');
  const m = r.memory;
  console.log(
    `${String(r.cells).padStart(5)} cells: edit p50 ${ms(a.median)} p95 ${ms(a.p95)} max ${ms(a.max)} ms` +
      ` | publish n=${p.n} p50 ${ms(p.median)} p95 ${ms(p.p95)} | scan n=${s.n} p50 ${ms(s.median)} p95 ${ms(s.p95)}` +
      ` | open ${ms(r.openFirstMs)} ms | RSS open ${mbytes(m.afterOpen.rss)} (peak ${mbytes(m.afterOpen.hwm)}), after edits ${mbytes(m.afterEdits.rss)} (peak ${mbytes(m.afterEdits.hwm)})` +
      ` | findings ${r.findings}/${r.planted}${r.mismatches ? ` | ${r.mismatches} MISMATCHES` : ''}`,
  );
}

async function profileCommand(args: string[]): Promise<void> {
  const i = args.indexOf('--cells');
  const cells = i >= 0 ? Number(args[i + 1]) : TARGET_CELLS;
  const snap = snapshot();
  log(`profiling the server, ${cells} cells:`);
  const p = await profileServer(snap.server, cells, log, undefined, [...SERVER_NODE_FLAGS]).finally(() => removeSnapshot(snap));
  log(' done\n');
  console.log(`busy ${((p.summary.total - p.idleMs) / 1000).toFixed(1)} s, idle ${(p.idleMs / 1000).toFixed(1)} s during ${p.result.edits.length} edits`);
  console.log(profileText(p.summary, 25));
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'profile') return profileCommand(argv.slice(1));
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (flag('--sizes') ?? LSP_SIZES.join(',')).split(',').map(Number);
  const edits = Number(flag('--edits') ?? EDITS);
  // The flags the VS Code client starts the server with, unless --server-flags says otherwise.
  const serverFlags = (flag('--server-flags') ?? SERVER_NODE_FLAGS.join(' ')).split(/\s+/).filter(Boolean);
  const write = argv.includes('--write');
  const snap = snapshot();
  try {
    await measureAll(argv, snap, { sizes, edits, serverFlags, flagsGiven: flag('--server-flags') !== undefined, write });
  } finally {
    removeSnapshot(snap);
  }
}

async function measureAll(argv: string[], snap: ServerSnapshot, o: { sizes: number[]; edits: number; serverFlags: string[]; flagsGiven: boolean; write: boolean }): Promise<void> {
  const { sizes, edits, serverFlags, write } = o;
  const started = performance.now();
  const load = os.loadavg();
  log(`nbguard language server benchmark: ${sizes.join(', ')} code cells, ${edits} edits each, node ${process.version}, ${os.cpus().length} cores, load ${load[0].toFixed(2)}\n`);
  const results: LspSizeResult[] = [];
  for (const cells of sizes) {
    log(`  ${cells} cells:`);
    const r = await measureLsp(cells, { server: snap.server, nodeFlags: serverFlags, edits, log });
    log(` ${r.seconds.toFixed(0)} s\n`);
    results.push(r);
  }

  const target = checkTargets(results);
  let profile: LspBenchRun['profile'];
  let inProcess: LspBenchRun['inProcess'];
  let inProcessSkipped: string | undefined;
  if (target && !argv.includes('--no-profile') && (!target.publishedOk || !target.editOk || argv.includes('--profile'))) {
    log(`  p95 ${ms(target.published.p95)} ms (target ${TARGET_EDIT_P95_MS} ms): profiling the server, ${TARGET_CELLS} cells:`);
    profile = await profileServer(snap.server, TARGET_CELLS, log, edits, serverFlags);
    // The replay runs the analysis sources bundled into this benchmark: comparable with the
    // server only when dist/ was built from them.
    if (snap.fresh) {
      log(' in-process replay...');
      const sources = codeCellSources(generateNotebookText(TARGET_CELLS, NOTEBOOK_SEED));
      inProcess = await inProcessReference(sources, planEdits(sources, WARMUP_EDITS + edits, EDIT_SEED), WARMUP_EDITS);
    } else inProcessSkipped = 'server/src or rules/ changed after dist/server.js was built, so the analysis sources bundled into the benchmark are not the ones the server runs';
    log(' done\n');
  }

  let smallHeap: LspBenchRun['smallHeap'];
  if (target && !target.memoryOk && !argv.includes('--no-profile')) {
    log(`  peak RSS ${mbytes(target.peak)} (target ${TARGET_RSS_MB} MB): ${TARGET_CELLS} cells again with node ${SMALL_HEAP_FLAGS.join(' ')}:`);
    smallHeap = await measureLsp(TARGET_CELLS, { server: snap.server, nodeFlags: SMALL_HEAP_FLAGS, edits: SMALL_HEAP_EDITS, log });
    log(' done\n');
  }

  const run: LspBenchRun = {
    build: `${snap.build} of ${snap.builtAt}, sha1 ${snap.sha1}`,
    results,
    edits,
    profile,
    inProcess,
    inProcessSkipped,
    smallHeap,
    serverFlags,
    serverFlagsGiven: o.flagsGiven,
    load,
    seconds: (performance.now() - started) / 1000,
    started: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
  console.log('');
  for (const r of results) printSize(r);
  if (target) {
    const ok = (b: boolean) => (b ? 'pass' : 'FAIL');
    console.log(`target, ${TARGET_CELLS} cells: edit -> publishDiagnostics p95 ${ms(target.published.p95)} ms < ${TARGET_EDIT_P95_MS} ms: ${ok(target.publishedOk)}; all edits (scan fallback included) p95 ${ms(target.all.p95)} ms: ${ok(target.editOk)}`);
    console.log(`target, ${TARGET_CELLS} cells: server peak RSS ${mbytes(target.peak)} < ${TARGET_RSS_MB} MB: ${ok(target.memoryOk)}`);
  }
  if (smallHeap) {
    console.log('small heap: ' + SMALL_HEAP_FLAGS.join(' '));
    printSize(smallHeap);
  }
  if (inProcess) {
    console.log(
      `in-process replay, ${inProcess.cells} cells: new Cell objects p50 ${ms(inProcess.fresh.median)} p95 ${ms(inProcess.fresh.p95)} ms; unchanged cells kept p50 ${ms(inProcess.kept.median)} p95 ${ms(inProcess.kept.p95)} ms; whole dataflow ${ms(inProcess.fullMs)} ms`,
    );
  }
  if (profile) {
    console.log(`\nserver profile during the edits (${profile.cells} cells), busy ${((profile.summary.total - profile.idleMs) / 1000).toFixed(1)} s:`);
    console.log(profileText(profile.summary, 15));
  }
  if (write) console.log(`wrote ${writeLspReport(run)}`);
  console.log(`benchmark took ${run.seconds.toFixed(0)} s`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
