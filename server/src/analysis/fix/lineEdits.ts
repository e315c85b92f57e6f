// Edits of a cell's (or a .py file's) text by 0-based line and character, the coordinates an
// editor works in (LSP ranges, CodeMirror lines). The quick fixes are planned in them once and
// applied by each client: the language server sends them as they are, JupyterLab turns them into
// offsets of the cell's source and applies them on its model.

import { lineStarts } from '../notebook/lineStarts';
import { applyEdits, type TextEdit } from './textEdits';

export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

export interface LineRange {
  readonly start: LinePosition;
  readonly end: LinePosition;
}

/** Replace `range` of the text with `newText`. */
export interface LineEdit {
  readonly range: LineRange;
  readonly newText: string;
}

/** The lines of `text` split on '\n' (a '\r' stays with its line, as editors count characters). */
export function linesOf(text: string): string[] {
  return text.split('\n');
}

/** The text of `range` in `text`. */
export function textIn(text: string, range: LineRange): string {
  const ls = linesOf(text);
  if (range.start.line === range.end.line) return (ls[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const parts = [(ls[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(ls[l] ?? '');
  parts.push((ls[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/** The offset of `position` in `text`, clamped to its line and to the text. */
function offsetOf(starts: readonly number[], text: string, position: LinePosition): number {
  if (position.line >= starts.length) return text.length;
  const lineEnd = position.line + 1 < starts.length ? starts[position.line + 1] - 1 : text.length;
  return Math.min(starts[position.line] + position.character, lineEnd);
}

/** The edits as offsets of `text` (for applyEdits). */
export function toOffsetEdits(text: string, edits: readonly LineEdit[]): TextEdit[] {
  const starts = lineStarts(text);
  return edits.map((e) => ({ start: offsetOf(starts, text, e.range.start), end: offsetOf(starts, text, e.range.end), text: e.newText }));
}

/** `text` with the edits applied (they must not overlap). */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  return applyEdits(text, toOffsetEdits(text, edits));
}
