// The benchmark's results as markdown tables (printed, and part of docs/performance.md): times
// and memory per notebook size, and the targets against the measured 300-cell times.

import { TARGET_CELLS, TARGET_EDIT_MS, TARGET_FULL_MS } from './config';
import type { MemoryResult } from './memoryChild';
import type { TimingResult } from './timingChild';

/** Both measurements of one notebook size. */
export interface SizeResult {
  timing: TimingResult;
  memory: MemoryResult;
}

/** Milliseconds with 2, 1 or 0 decimals depending on the size. */
export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** Bytes as whole MiB. */
export const mb = (x: number) => (x / (1024 * 1024)).toFixed(0);
export const plantedTotal = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);
/** `NBG101 3, NBG102 1`: counts by rule id, sorted by rule id. */
export const ruleCounts = (p: Record<string, number>) =>
  Object.entries(p)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The timing table and the memory table, one row per size. */
export function resultTables(results: SizeResult[]): string {
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
    const findings = `${r.findings} (${plantedTotal(r.planted)}): ${ruleCounts(r.findingsByRule) || 'none'}`;
    t.push(
      `| ${r.cells} | ${(r.notebookBytes / 1024).toFixed(0)} KB | ${mb(m.peakRss)} MB | ${mb(m.baselineRss)} MB | ${mb(m.peakHeapUsed)} MB | ${mb(m.peakHeapTotal)} MB | ${mb(m.retainedHeap)} MB | ${mb(m.external)} MB | ${findings} | ${r.syntaxErrors} |`,
    );
  }
  return t.join('\n');
}

/** The targets table (or a note when the target size was not measured), as lines. */
export function targetTable(results: SizeResult[]): string[] {
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
