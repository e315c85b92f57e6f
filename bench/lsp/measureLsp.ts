// One notebook size through the language server, in two fresh server processes:
//
// - a dry run sends the planned edits, each followed by an nbguard/scanDocument request, and
//   records whether the server published diagnostics for the edited cell (everything the server
//   publishes for an edit arrives before the scan's answer). This tells the measured run what to
//   wait for: with unchanged diagnostics the server sends nothing at all.
// - the measured run opens the notebook (didOpen -> first publishDiagnostics), then sends the
//   same edits one at a time and times each from sending the didChange to receiving the
//   publishDiagnostics of the edited cell, or, for an edit that publishes nothing, to the answer
//   of an nbguard/scanDocument request sent right behind the didChange (the server analyses the
//   edit once on either path). Between edits it waits until the server is idle. Memory is read
//   from /proc/<pid>/status after opening and after the edits; then the notebook is closed and
//   re-opened a few times (warm open).

import { performance } from 'node:perf_hooks';
import { generateNotebook } from '../generateNotebook';
import { BenchClient, type ProcMemory } from './benchClient';
import { EDIT_SEED, EDITS, NOTEBOOK_SEED, REOPENS, WARMUP_EDITS } from './config';
import { planEdits, type EditKind, type PlannedEdit } from './editPlan';
import { codeCellSources, SyncedNotebook } from './syncedNotebook';

export type Method = 'publish' | 'scan';

export interface EditSample {
  kind: EditKind;
  /** Index of the edited code cell. */
  cell: number;
  method: Method;
  ms: number;
}

export interface LspSizeResult {
  cells: number;
  markdownCells: number;
  codeLines: number;
  notebookBytes: number;
  planted: number;
  /** Findings after opening (from the dry run's first scan) and cells with diagnostics. */
  findings: number;
  cellsWithDiagnostics: number;
  /** didOpen -> first publishDiagnostics / -> the last publication of that analysis, cold server. */
  openFirstMs: number;
  openAllMs: number;
  /** The same after close, in the same (warm) server: one value per re-open. */
  reopenFirstMs: number[];
  edits: EditSample[];
  warmupEdits: number;
  /** Edits whose dry-run expectation did not hold in the measured run (expected 0). */
  mismatches: number;
  /** Dry run: edits of each kind that published for the edited cell / that published anything. */
  dry: Record<EditKind, { n: number; publishedCell: number; publishedAny: number }>;
  memory: { beforeOpen: ProcMemory; afterOpen: ProcMemory; afterEdits: ProcMemory };
  /** Wall time of both runs. */
  seconds: number;
}

export interface RunOptions {
  /** The server bundle to start (serverSnapshot.ts). */
  server: string;
  /** Node flags for the measured server (e.g. --cpu-prof). */
  nodeFlags?: string[];
  edits?: number;
  warmup?: number;
  /** Called with process.hrtime (µs, the clock V8's profiler uses) around the measured edits. */
  onEditWindow?: (startUs: number, endUs: number) => void;
  log?: (s: string) => void;
}

const hrUs = () => Number(process.hrtime.bigint() / 1000n);

async function openNotebook(client: BenchClient, nb: SyncedNotebook): Promise<{ first: number; all: number }> {
  const first = client.nextAnyPublication();
  const t0 = performance.now();
  await client.connection.sendNotification('notebookDocument/didOpen', nb.didOpen());
  const p = await first;
  if (!p) throw new Error(`no diagnostics after opening ${nb.uri}; server stderr: ${client.stderr}`);
  await client.ping();
  const burst = client.publications.slice(client.publications.indexOf(p));
  return { first: p.at - t0, all: burst[burst.length - 1].at - t0 };
}

/** Dry run: for each planned edit, whether the server published for the edited cell / for any cell. */
async function dryRun(server: string, name: string, sources: string[], plan: PlannedEdit[]): Promise<{ cell: boolean[]; any: boolean[]; findings: number; cellsWithDiagnostics: number }> {
  const client = new BenchClient(server);
  try {
    await client.initialize();
    const nb = new SyncedNotebook(name, sources);
    await openNotebook(client, nb);
    const scan = (await client.connection.sendRequest('nbguard/scanDocument', { uri: nb.uri })) as { findings: unknown[] };
    const cellsWithDiagnostics = new Set(client.publications.filter((p) => p.diagnostics.length > 0).map((p) => p.uri)).size;
    const cell: boolean[] = [];
    const any: boolean[] = [];
    for (const e of plan) {
      const since = client.publications.length;
      await client.connection.sendNotification('notebookDocument/didChange', nb.edit(e.cell, e.after));
      await client.connection.sendRequest('nbguard/scanDocument', { uri: nb.uri });
      await client.ping();
      const pubs = client.publications.slice(since);
      cell.push(pubs.some((p) => p.uri === nb.cellUri(e.cell)));
      any.push(pubs.length > 0);
    }
    return { cell, any, findings: scan.findings.length, cellsWithDiagnostics };
  } finally {
    await client.stop();
  }
}

/** Measures one notebook size (see the file comment). */
export async function measureLsp(cells: number, options: RunOptions): Promise<LspSizeResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const edits = options.edits ?? EDITS;
  const warmup = options.warmup ?? WARMUP_EDITS;
  const generated = generateNotebook({ codeCells: cells, seed: NOTEBOOK_SEED });
  const sources = codeCellSources(generated.text);
  const name = `bench-${cells}`;
  const plan = planEdits(sources, warmup + edits, EDIT_SEED);

  log(' dry run...');
  const expected = await dryRun(options.server, name, sources, plan);
  const dry = { 'add leak': { n: 0, publishedCell: 0, publishedAny: 0 }, 'remove leak': { n: 0, publishedCell: 0, publishedAny: 0 }, edit: { n: 0, publishedCell: 0, publishedAny: 0 } };
  plan.forEach((e, i) => {
    if (i < warmup) return;
    dry[e.kind].n++;
    if (expected.cell[i]) dry[e.kind].publishedCell++;
    if (expected.any[i]) dry[e.kind].publishedAny++;
  });

  log(' measured run...');
  const client = new BenchClient(options.server, options.nodeFlags ?? []);
  try {
    await client.initialize();
    await client.ping();
    const beforeOpen = client.memory();
    const nb = new SyncedNotebook(name, sources);
    const open = await openNotebook(client, nb);
    const afterOpen = client.memory();

    const samples: EditSample[] = [];
    let mismatches = 0;
    let windowStart = 0;
    for (let i = 0; i < plan.length; i++) {
      if (i === warmup) windowStart = hrUs();
      const e = plan[i];
      const cellUri = nb.cellUri(e.cell);
      const params = nb.edit(e.cell, e.after);
      let ms: number;
      let method: Method;
      if (expected.cell[i]) {
        method = 'publish';
        const next = client.nextPublication(cellUri);
        const t0 = performance.now();
        await client.connection.sendNotification('notebookDocument/didChange', params);
        const p = await next;
        if (!p) {
          if (!client.alive) throw new Error(`the server exited during the edits; stderr: ${client.stderr.slice(-2000)}`);
          mismatches++;
          await client.connection.sendRequest('nbguard/scanDocument', { uri: nb.uri });
          await client.ping();
          continue;
        }
        ms = p.at - t0;
        await client.ping();
      } else {
        method = 'scan';
        const since = client.publications.length;
        // Both messages in the same tick, so the server reads them together and the scan's
        // analysis is the one that sees the edit (the debounce timer's run comes after it).
        const t0 = performance.now();
        const sent = client.connection.sendNotification('notebookDocument/didChange', params);
        const scanned = client.connection.sendRequest('nbguard/scanDocument', { uri: nb.uri });
        await sent;
        await scanned;
        ms = performance.now() - t0;
        await client.ping();
        if (client.publications.slice(since).some((p) => p.uri === cellUri)) mismatches++;
      }
      if (i >= warmup) samples.push({ kind: e.kind, cell: e.cell, method, ms });
    }
    options.onEditWindow?.(windowStart, hrUs());
    const afterEdits = client.memory();

    const reopenFirstMs: number[] = [];
    for (let r = 0; r < REOPENS; r++) {
      await client.connection.sendNotification('notebookDocument/didClose', nb.didClose());
      await client.ping();
      reopenFirstMs.push((await openNotebook(client, nb)).first);
    }
    return {
      cells,
      markdownCells: generated.markdownCells,
      codeLines: generated.codeLines,
      notebookBytes: generated.text.length,
      planted: Object.values(generated.planted).reduce((a, b) => a + b, 0),
      findings: expected.findings,
      cellsWithDiagnostics: expected.cellsWithDiagnostics,
      openFirstMs: open.first,
      openAllMs: open.all,
      reopenFirstMs,
      edits: samples,
      warmupEdits: warmup,
      mismatches,
      dry,
      memory: { beforeOpen, afterOpen, afterEdits },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await client.stop();
  }
}
