// The analysis order of a notebook's cells. A notebook's state is what ran, in the order it
// ran: executed cells by execution count (ties keep document order), then never-executed
// cells in document order. Document order is the alternative a user can choose.

import { isAnalysed, type Cell } from './model';

export type AnalysisOrder = 'execution' | 'document';

/** Returns the analysed cells of `cells` in analysis order. */
export function orderCells(cells: readonly Cell[], order: AnalysisOrder): Cell[] {
  const analysed = cells.filter(isAnalysed);
  if (order === 'document') return analysed;
  const executed = analysed.filter((c) => (c.executionCount ?? 0) > 0);
  const never = analysed.filter((c) => !((c.executionCount ?? 0) > 0));
  // Array.prototype.sort is stable, so equal counts keep document order.
  executed.sort((a, b) => (a.executionCount ?? 0) - (b.executionCount ?? 0));
  return [...executed, ...never];
}
