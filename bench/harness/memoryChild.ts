// The memory measurement, run in a child process (node --expose-gc) for one notebook size: peak
// RSS, V8 heap peaks, the heap retained by the open notebook and external (wasm) memory, while
// the notebook is opened, analysed and edited.

import { readNotebookText } from '../../server/src/analysis';
import { editCell, generateNotebook, prng } from '../generateNotebook';
import { MEMORY_EDITS, SEED } from './config';
import { createAnalyzer } from '../../server/src/node/createAnalyzer';

export interface MemoryResult {
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

export async function memoryChild(cells: number): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory child needs --expose-gc');
  const analyzer = await createAnalyzer();
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
