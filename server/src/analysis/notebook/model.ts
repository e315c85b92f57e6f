// The notebook model every reader produces and every later stage consumes: a file's cells in
// document order, each with the Python code to analyse and the mapping from positions in that
// code back to the positions a user sees (cell index, line, column).

import type { LineMagic } from './magics';

export type NotebookFormat = 'ipynb' | 'databricks' | 'percent' | 'plain' | 'audit';

export type CellKind = 'code' | 'markdown' | 'raw';

/** A stored output of an .ipynb code cell, kept as the raw nbformat object. */
export type CellOutput = Record<string, unknown>;

export interface Cell {
  /** 0-based index in the file's own cell list, counting every cell (markdown and raw too). */
  readonly index: number;
  readonly kind: CellKind;
  /**
   * The Python text handed to the parser. Magics and shell escapes are already masked with
   * text of the same length, so (row, column) in `code` is (row, column) in the cell as written,
   * except for the per-row column shifts in `columnShift` (Databricks `# MAGIC ` prefixes).
   */
  readonly code: string;
  /** Reported line of the code's first row: 1 in .ipynb cells, the file line in .py files. */
  readonly firstLine: number;
  /** Columns removed at the start of each row of `code` (absent when none were). */
  readonly columnShift?: readonly number[];
  /** Execution count as stored (null or 0 when never executed). */
  readonly executionCount: number | null;
  /** Why a code cell is not analysed (a cell magic such as %%sql); undefined when analysed. */
  readonly skipReason?: string;
  readonly outputs?: readonly CellOutput[];
  /** The line magics and shell escapes masked in `code`, as written (absent when none). */
  readonly magics?: readonly LineMagic[];
  /** The cell's metadata as stored (.ipynb), scanned for credentials. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface Notebook {
  /** The path as the user gave it (relative stays relative). */
  readonly path: string;
  readonly format: NotebookFormat;
  readonly cells: readonly Cell[];
  /** The notebook's metadata as stored (.ipynb: kernel, Databricks widgets, papermill parameters). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A position in a cell's code: 0-based row and column. */
export interface CodePosition {
  readonly row: number;
  readonly column: number;
}

/** Maps a 0-based (row, column) in a cell's code to the 1-based (line, column) a user sees. */
export function toReported(cell: Cell, pos: CodePosition): { line: number; column: number } {
  const shift = cell.columnShift?.[pos.row] ?? 0;
  return { line: cell.firstLine + pos.row, column: pos.column + shift + 1 };
}

/** True for cells whose code takes part in the analysis. */
export function isAnalysed(cell: Cell): boolean {
  return cell.kind === 'code' && cell.skipReason === undefined;
}
