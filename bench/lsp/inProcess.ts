// The benchmark's edit sequence replayed in this process on the analysis library, without LSP,
// to tell the server's own overhead from the analysis. Two replays of the same edits, each on
// its own open analysis, the way the server's NotebookSession.runNow() calls the library
// (setCells(cells, keys) then analyze(), the cells shaped as NotebookSession.model() shapes
// them). Only setCells + analyze are timed, not building the cell objects:
//
// - "every Cell object new": all cells get new (equal) Cell objects on every edit, as
//   NotebookSession.model() maps every cell on every run;
// - "unchanged cells kept": only the edited cell gets a new Cell object; the others are the
//   objects of the previous run.
//
// When the two differ a lot, the re-analysis depends on the identity of unchanged Cell objects
// (NotebookAnalysis once recognised unchanged cells by ===), and a server that builds new ones
// on every run loses the incremental re-analysis.

import { performance } from 'node:perf_hooks';
import { Analyzer, type Cell } from '../../server/src/analysis';
import { prepareCellCode } from '../../server/src/analysis/notebook/magics';
import { stats, type Stats } from '../harness/stats';
import type { PlannedEdit } from './editPlan';
import { createAnalyzer } from '../../server/src/node/createAnalyzer';

const FULL_RUNS = 15;

export interface InProcessResult {
  cells: number;
  /** analyze() of a freshly opened analysis of the edited notebook: the whole dataflow (median, parsing excluded). */
  fullMs: number;
  fresh: Stats;
  kept: Stats;
}

/** A code cell as NotebookSession.model() builds it. */
function modelCell(text: string, index: number): Cell {
  const prepared = prepareCellCode(text.replace(/\r\n?/g, '\n'));
  return { index, kind: 'code', code: prepared.code ?? text, firstLine: 1, executionCount: null, skipReason: prepared.skipReason, outputs: undefined };
}

async function replay(analyzer: Analyzer, sources: readonly string[], plan: readonly PlannedEdit[], warmup: number, keep: boolean): Promise<{ fullMs: number; edits: number[] }> {
  const texts = [...sources];
  const keys = texts.map((_, i) => `cell-${i}`);
  let cells = texts.map(modelCell);
  const analysis = analyzer.open({ path: 'bench.ipynb', format: 'ipynb', cells }, { order: 'execution' });
  try {
    analysis.setCells(cells, keys);
    analysis.analyze();
    const edits: number[] = [];
    plan.forEach((e, i) => {
      texts[e.cell] = e.after;
      if (keep) {
        cells = [...cells];
        cells[e.cell] = modelCell(e.after, e.cell);
      } else cells = texts.map(modelCell);
      const t1 = performance.now();
      analysis.setCells(cells, keys);
      analysis.analyze();
      if (i >= warmup) edits.push(performance.now() - t1);
    });
    // The whole dataflow of the edited notebook: analyze() of a freshly opened analysis (which
    // has no previous run to reuse), parsing excluded; median of FULL_RUNS, warm.
    const full: number[] = [];
    for (let r = 0; r < FULL_RUNS; r++) {
      const fresh = analyzer.open({ path: 'bench.ipynb', format: 'ipynb', cells: texts.map(modelCell) }, { order: 'execution' });
      try {
        const t0 = performance.now();
        fresh.analyze();
        full.push(performance.now() - t0);
      } finally {
        fresh.dispose();
      }
    }
    return { fullMs: stats(full).median, edits };
  } finally {
    analysis.dispose();
  }
}

export async function inProcessReference(sources: readonly string[], plan: readonly PlannedEdit[], warmup: number): Promise<InProcessResult> {
  const analyzer = await createAnalyzer();
  const fresh = await replay(analyzer, sources, plan, warmup, false);
  const kept = await replay(analyzer, sources, plan, warmup, true);
  return { cells: sources.length, fullMs: fresh.fullMs, fresh: stats(fresh.edits), kept: stats(kept.edits) };
}
