// The timing measurement, run in a child process for one notebook size: the full analysis
// (read, open, analyze) repeated within its budget, then re-analysis after one-line edits of
// cells in the middle half of the notebook. Also counts the findings, as a sanity check.

import { performance } from 'node:perf_hooks';
import { readNotebookText, type AnalysisResult } from '../../server/src/analysis';
import { editCell, generateNotebook, prng } from '../generateNotebook';
import { EDIT, FULL, SEED, type RepeatBudget } from './config';
import { stats, type Stats } from './stats';
import { createAnalyzer } from '../../server/src/node/createAnalyzer';

export interface TimingResult {
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
function repeat(cfg: RepeatBudget, fn: (measured: boolean) => void): void {
  for (let i = 0; i < cfg.warmup; i++) fn(false);
  const start = performance.now();
  for (let i = 0; i < cfg.runs; i++) {
    if (i >= cfg.minRuns && performance.now() - start > cfg.budgetMs) break;
    fn(true);
  }
}

export async function timingChild(cells: number, phase: 'all' | 'full' | 'edit'): Promise<TimingResult> {
  const analyzer = await createAnalyzer();
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
