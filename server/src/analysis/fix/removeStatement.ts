// The "Remove this statement" fix: the edit that deletes a statement reported at `range`, the way
// a person would. Only its text (and a `;`) when other statements share its lines; otherwise its
// whole lines; `pass` in its place when it is the only statement of its block.

import { linesOf, type LineEdit, type LineRange } from './lineEdits';

/** Whether the statement shares its first or last line with other code. */
function sharesItsLines(before: string, after: string): boolean {
  return before.trim() !== '' || !/^\s*(#.*)?$/.test(after);
}

export function removeStatement(range: LineRange, text: string): LineEdit {
  const ls = linesOf(text);
  const first = range.start.line;
  const last = range.end.line;
  const before = (ls[first] ?? '').slice(0, range.start.character);
  const after = (ls[last] ?? '').slice(range.end.character);
  if (sharesItsLines(before, after)) {
    const semicolonBefore = /;\s*$/.exec(before);
    if (semicolonBefore) return { range: { start: { line: first, character: semicolonBefore.index }, end: range.end }, newText: '' };
    const semicolonAfter = /^\s*;\s*/.exec(after);
    const end = { line: last, character: range.end.character + (semicolonAfter?.[0].length ?? 0) };
    return { range: { start: range.start, end }, newText: '' };
  }
  const indent = /^\s*/.exec(ls[first] ?? '')![0];
  const code = (l: string) => l.trim() !== '' && !l.trim().startsWith('#');
  const prev = ls.slice(0, first).reverse().find(code);
  const next = ls.slice(last + 1).find(code);
  const onlyInBlock = prev?.trimEnd().endsWith(':') && (next === undefined || /^\s*/.exec(next)![0].length < indent.length);
  const lastLineEnd = { line: last, character: (ls[last] ?? '').length };
  if (onlyInBlock) return { range: { start: { line: first, character: 0 }, end: lastLineEnd }, newText: `${indent}pass` };
  if (last + 1 >= ls.length) {
    // The last lines of the text: the line break before them goes too.
    const start = first > 0 ? { line: first - 1, character: (ls[first - 1] ?? '').length } : { line: 0, character: 0 };
    return { range: { start, end: lastLineEnd }, newText: '' };
  }
  return { range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' };
}
