// Where a position in a notebook file falls, in the terms of the corpus labels
// (/work/shared/corpus/README.md): the cell (0-based, in document order, markdown and raw cells
// included), whether it is in the cell's source or its stored outputs, and the line (1-based
// within the cell for .ipynb, the file's own line for .py). Tools that only see text (secretlint,
// nbguard redact) report file offsets; this turns them into comparable units.

import { lineIndexAt, lineStarts } from '../../server/src/analysis/notebook/lineStarts';

export type Region = 'source' | 'outputs' | 'other';

export interface Unit {
  cell: number;
  region: Region;
  /** Source line (see above); 1 for outputs, as the NBG401 labels have it. */
  line: number;
}

interface Node {
  start: number;
  end: number;
  items?: Node[];
  keys?: Map<string, Node>;
}

/** A JSON parser that keeps every value's [start, end) offsets; enough for .ipynb files. */
function parseJsonSpans(text: string): Node {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const str = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): Node => {
    ws();
    const start = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const keys = new Map<string, Node>();
      ws();
      if (text[i] === '}') i++;
      else
        for (;;) {
          ws();
          const k = str();
          ws();
          i++; // ':'
          keys.set(k, value());
          ws();
          if (text[i++] === '}') break;
        }
      return { start, end: i, keys };
    }
    if (ch === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') i++;
      else
        for (;;) {
          items.push(value());
          ws();
          if (text[i++] === ']') break;
        }
      return { start, end: i, items };
    }
    if (ch === '"') {
      str();
      return { start, end: i };
    }
    while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
    return { start, end: i };
  };
  return value();
}

const inside = (n: Node | undefined, at: number) => n !== undefined && at >= n.start && at < n.end;

/** A function from file offsets (of `text`) to units, for an .ipynb or a .py notebook. */
export function unitLocator(file: string, text: string): (offset: number) => Unit {
  if (file.endsWith('.ipynb')) {
    const cells = parseJsonSpans(text).keys?.get('cells')?.items ?? [];
    return (at) => {
      const cell = cells.findIndex((c) => inside(c, at));
      if (cell < 0) return { cell: -1, region: 'other', line: 0 };
      const source = cells[cell].keys?.get('source');
      if (inside(cells[cell].keys?.get('outputs'), at)) return { cell, region: 'outputs', line: 1 };
      if (source && inside(source, at)) {
        if (source.items) return { cell, region: 'source', line: source.items.findIndex((s) => at < s.end) + 1 };
        return { cell, region: 'source', line: (text.slice(source.start, at).match(/\\n/g)?.length ?? 0) + 1 };
      }
      return { cell, region: 'other', line: 0 };
    };
  }
  // .py: Databricks source (`# COMMAND ----------` separators, chunk 0 holds the header) or
  // percent format (a cell starts at each `# %%` line); the label line is the file's line.
  const lines = text.split('\n');
  const databricks = lines[0]?.startsWith('# Databricks notebook source');
  const cellOfLine: number[] = [];
  let cell = databricks ? 0 : -1;
  for (const l of lines) {
    if (databricks ? /^# COMMAND -{10}/.test(l) : /^# %%/.test(l)) cell++;
    cellOfLine.push(Math.max(cell, 0));
  }
  const starts = lineStarts(text);
  return (at) => {
    const line = lineOf(starts, at);
    return { cell: cellOfLine[line - 1] ?? 0, region: 'source', line };
  };
}

/** Offsets where each line starts. */
export { lineStarts };

/** The 1-based line holding `offset`. */
export function lineOf(starts: readonly number[], offset: number): number {
  return lineIndexAt(starts, offset) + 1;
}
