// Cells as users see them. Findings keep the contract's 0-based cell index (every cell of the
// file, markdown too); editors number cells from 1 ("Cell 5 of 7" in VS Code's status bar,
// Databricks' cell numbers), so everything a person reads says "Cell 5" for index 4, and a trace
// that crosses cells is summed up in one line ("from Cell 1 via Cell 2").

import type { Finding } from './finding';

/** The cell at `index` as the editor numbers it. */
export function cellName(index: number): string {
  return `Cell ${index + 1}`;
}

/**
 * Where a finding's secret came from, when its trace crosses cells: "from Cell 1", "from Cell 1
 * via Cell 2, Cell 3" (the cells between, in trace order, other than the source's and the
 * finding's). Undefined when the whole flow is in the finding's own cell.
 */
export function traceSummary(f: Finding): string | undefined {
  const cells: number[] = [];
  for (const step of f.trace ?? []) if (cells[cells.length - 1] !== step.cell) cells.push(step.cell);
  if (cells.length === 0 || cells.every((c) => c === f.cell)) return undefined;
  const source = cells[0];
  const via = [...new Set(cells.slice(1).filter((c) => c !== source && c !== f.cell))];
  return `from ${cellName(source)}${via.length > 0 ? ` via ${via.map(cellName).join(', ')}` : ''}`;
}
