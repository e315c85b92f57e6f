// Edits of a file's text by offsets, as `nbguard fix` makes them: applied all at once (so the
// rest of the file stays byte for byte, JSON formatting included), and shown as a unified diff
// (`--dry-run`) built from the edits themselves rather than by diffing whole files.

import { lineIndexAt, lineStarts } from '../notebook/lineStarts';

/** Replace [start, end) of the original text with `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The text with the edits applied; they must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error('overlapping edits');
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

const CONTEXT = 3;

/**
 * A unified diff (`--- a/PATH`, `+++ b/PATH`, hunks with 3 lines of context) of the edits, every
 * line passed through `shown` (which masks credentials: a diff is printed, and nbguard never
 * prints a whole secret).
 */
export function unifiedDiff(path: string, text: string, edits: readonly TextEdit[], shown: (line: string) => string = (line) => line): string {
  if (edits.length === 0) return '';
  const starts = lineStarts(text);
  const lines = text.split('\n');
  const lineEnd = (line: number) => (line + 1 < starts.length ? starts[line + 1] : text.length); // after its '\n'
  // The whole lines each edit touches; edits sharing a line are one change.
  const changes: { first: number; last: number; edits: TextEdit[] }[] = [];
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    const first = lineIndexAt(starts, e.start);
    const last = lineIndexAt(starts, Math.max(e.start, e.end - 1));
    const open = changes[changes.length - 1];
    if (open && first <= open.last) {
      open.last = Math.max(open.last, last);
      open.edits.push(e);
    } else changes.push({ first, last, edits: [e] });
  }
  // Changes closer than twice the context share a hunk.
  const hunks: (typeof changes)[] = [];
  for (const c of changes) {
    const open = hunks[hunks.length - 1];
    if (open && c.first <= open[open.length - 1].last + 2 * CONTEXT) open.push(c);
    else hunks.push([c]);
  }
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let shift = 0; // new line numbers run ahead of the old ones by this much
  for (const hunk of hunks) {
    const from = Math.max(0, hunk[0].first - CONTEXT);
    const to = Math.min(lines.length - 1, hunk[hunk.length - 1].last + CONTEXT);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let line = from;
    for (const c of hunk) {
      for (; line < c.first; line++, oldCount++, newCount++) body.push(` ${shown(lines[line])}`);
      const start = starts[c.first];
      const old = text.slice(start, lineEnd(c.last));
      const replaced = applyEdits(old, c.edits.map((e) => ({ start: e.start - start, end: e.end - start, text: e.text })));
      for (let l = c.first; l <= c.last; l++, oldCount++) body.push(`-${shown(lines[l])}`);
      // Whole lines removed add nothing; otherwise the new lines, without the old last line's break.
      const added = replaced === '' ? [] : (old.endsWith('\n') && replaced.endsWith('\n') ? replaced.slice(0, -1) : replaced).split('\n');
      for (const r of added) body.push(`+${shown(r)}`);
      newCount += added.length;
      line = c.last + 1;
    }
    for (; line <= to; line++, oldCount++, newCount++) body.push(` ${shown(lines[line])}`);
    out.push(`@@ -${from + 1},${oldCount} +${from + 1 + shift},${newCount} @@`, ...body);
    shift += newCount - oldCount;
  }
  return `${out.join('\n')}\n`;
}
