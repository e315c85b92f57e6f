// `nbguard fix` for stored outputs (NBG401): the credentials in a leaking output are replaced by
// their `redact` placeholders, string token by string token, so the outputs people share stay and
// the file changes only where a secret was. A credential that redaction cannot see (one recognised
// by the name printed beside it, not by its format) leaves its cell's outputs cleared instead: a
// fix must not leave the leak. `--clear` clears every leaking cell's outputs straight away.

import { cellName } from '../findings/cellNames';
import type { Finding } from '../findings/finding';
import { decodeJsonString, encodeJsonString, type NotebookJsonMap, type OutputString } from '../notebook/jsonLocations';
import type { TextEdit } from './textEdits';

/** The strings of an output that hold what it shows: its text, text-like data, a traceback. */
function isShown(token: OutputString): boolean {
  if (token.key) return false;
  const [first, second] = token.path;
  if (first === 'text' || first === 'traceback' || first === 'evalue' || first === 'ename') return true;
  return first === 'data' && typeof second === 'string' && /^(text\/|application\/(.+\+)?json$|application\/javascript$)/.test(second);
}

/** The tokens of one value (a stream's text list, one mime type's lines) go through redaction together. */
function groupKey(token: OutputString): string {
  const path = token.path;
  return JSON.stringify(typeof path[path.length - 1] === 'number' ? path.slice(0, -1) : path);
}

/**
 * Edits replacing the credentials in output `output` of `cell` by placeholders. A value split in
 * lines (a stream's `text` list) is redacted as one text, so a PEM key across lines is seen
 * whole; redaction keeps the number of lines, so each line goes back to its own token.
 */
export function redactOutputEdits(text: string, map: NotebookJsonMap, cell: number, output: number, redact: (t: string) => string): TextEdit[] {
  const groups = new Map<string, OutputString[]>();
  for (const token of map.cells[cell]?.outputStrings[output] ?? []) {
    if (!isShown(token)) continue;
    const key = groupKey(token);
    groups.set(key, [...(groups.get(key) ?? []), token]);
  }
  const edits: TextEdit[] = [];
  for (const tokens of groups.values()) {
    const values = tokens.map((t) => decodeJsonString(text, t));
    const whole = values.join('');
    // Lines map back to tokens only when every token but the last ends a line (nbformat's way).
    const byLines = values.every((v, i) => i === values.length - 1 || v.endsWith('\n'));
    const redacted = byLines ? redact(whole) : whole;
    let next: string[];
    if (!byLines) next = values.map(redact);
    else if (redacted === whole) continue;
    else {
      const lines = redacted.split('\n');
      let at = 0;
      next = values.map((v, i) => {
        const count = v.split('\n').length - 1; // the line breaks this token holds
        const value = i === values.length - 1 ? lines.slice(at).join('\n') : `${lines.slice(at, at + count).join('\n')}\n`;
        at += count;
        return value;
      });
    }
    tokens.forEach((token, i) => {
      if (next[i] !== values[i]) edits.push({ start: token.start, end: token.end, text: encodeJsonString(next[i], text.slice(token.start, token.end)) });
    });
  }
  return edits;
}

/** The edit emptying a cell's outputs (`"outputs": []`, as Jupyter writes it). */
export function clearOutputsEdit(map: NotebookJsonMap, cell: number): TextEdit | undefined {
  const span = map.cells[cell]?.outputs;
  return span ? { start: span.start, end: span.end, text: '[]' } : undefined;
}

/** The stored-output findings of a notebook, by cell: the outputs that leak. */
export function leakingOutputs(findings: readonly Finding[]): Map<number, Set<number>> {
  const byCell = new Map<number, Set<number>>();
  for (const f of findings) {
    if (f.ruleId !== 'NBG401' || f.output === undefined) continue;
    byCell.set(f.cell, (byCell.get(f.cell) ?? new Set()).add(f.output));
  }
  return byCell;
}

export const describeClear = (cell: number) => `${cellName(cell)}: cleared its outputs`;
export const describeRedact = (cell: number, outputs: number) => `${cellName(cell)}: redacted the credentials in ${outputs === 1 ? 'its output' : `${outputs} outputs`}`;
