// Whether a cell given again (by the editor, after an edit elsewhere) is the cell analysed
// before: the incremental analysis keeps the previous Cell object then, and recognises unchanged
// cells by identity.

import type { LineMagic } from './magics';
import type { Cell } from './model';

export function sameCell(a: Cell, b: Cell): boolean {
  return (
    a.index === b.index &&
    a.kind === b.kind &&
    a.code === b.code &&
    a.executionCount === b.executionCount &&
    a.skipReason === b.skipReason &&
    a.outputs === b.outputs &&
    a.metadata === b.metadata &&
    a.firstLine === b.firstLine &&
    (a.columnShift ?? []).join() === (b.columnShift ?? []).join() &&
    sameMagics(a.magics, b.magics)
  );
}

/** Whether two cells' line magics are the same text at the same places (masked code hides them). */
export function sameMagics(a: readonly LineMagic[] | undefined, b: readonly LineMagic[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((m, i) => m.text === b[i].text && m.firstLength === b[i].firstLength && m.row === b[i].row && m.column === b[i].column && m.assigned === b[i].assigned);
}
