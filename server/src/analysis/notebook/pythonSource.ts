// Reads `.py` notebooks: Databricks source format (`# COMMAND ----------` separators and
// `# MAGIC` lines), `# %%` percent format, or a plain script as one cell. Reported lines are
// the file's own lines, so each cell records the file line of its first row.

import { magicsOf, maskLineMagics, prepareCellCode, type LineMagic } from './magics';
import type { Cell, Notebook } from './model';

export const DATABRICKS_HEADER = '# Databricks notebook source';
const COMMAND_SEPARATOR = /^# COMMAND ----------\s*$/;
const PERCENT_MARKER = /^# %%/;
const MAGIC_PREFIX = /^# MAGIC ?/;

export function detectPythonFormat(text: string): 'databricks' | 'percent' | 'plain' {
  if (text.startsWith(DATABRICKS_HEADER)) return 'databricks';
  if (/^# %%/m.test(text)) return 'percent';
  return 'plain';
}

export function parsePythonNotebook(path: string, rawText: string): Notebook {
  const text = rawText.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const format = detectPythonFormat(text);
  if (format === 'databricks') return { path, format, cells: databricksCells(lines) };
  if (format === 'percent') return { path, format, cells: percentCells(lines) };
  const prepared = prepareCellCode(text);
  return {
    path,
    format,
    cells: [{ index: 0, kind: 'code', code: prepared.code ?? text, firstLine: 1, executionCount: null, skipReason: prepared.skipReason, ...magicsOf(prepared) }],
  };
}

/** Splits a Databricks source file: the separator line ends a cell; the next cell starts below it. */
function databricksCells(lines: string[]): Cell[] {
  const cells: Cell[] = [];
  let start = 0;
  const flush = (end: number) => cells.push(databricksCell(cells.length, lines.slice(start, end), start + 1));
  for (let i = 0; i < lines.length; i++) {
    if (COMMAND_SEPARATOR.test(lines[i])) {
      flush(i);
      start = i + 1;
    }
  }
  flush(lines.length);
  return cells;
}

function databricksCell(index: number, lines: string[], firstLine: number): Cell {
  const code = lines.join('\n');
  const firstMagic = lines.find((l) => l.trim() !== '' && !l.startsWith('# DBTITLE'));
  const magic = firstMagic && MAGIC_PREFIX.test(firstMagic) ? /^# MAGIC\s*%([\w-]+)/.exec(firstMagic) : null;
  if (!magic) {
    const magics: LineMagic[] = [];
    return { index, kind: 'code', code: maskLineMagics(code, magics), firstLine, executionCount: null, ...magicsOf({ magics }) };
  }
  const language = magic[1].toLowerCase();
  if (language === 'md' || language === 'md-sandbox') {
    return { index, kind: 'markdown', code, firstLine, executionCount: null };
  }
  if (language !== 'python') {
    // %sql, %sh, %scala, %r, %fs cells are another language; %pip and %run lines are comments here.
    const skipReason = language === 'pip' || language === 'run' ? undefined : `%${language} cell`;
    return { index, kind: 'code', code, firstLine, executionCount: null, skipReason };
  }
  // A %python cell: its lines are `# MAGIC <code>`; strip the prefix and remember the shift.
  const shifts: number[] = [];
  const unwrapped = lines.map((line) => {
    const m = MAGIC_PREFIX.exec(line);
    shifts.push(m ? m[0].length : 0);
    return m ? line.slice(m[0].length) : line;
  });
  const prepared = prepareCellCode(unwrapped.join('\n'));
  return {
    index,
    kind: 'code',
    code: prepared.code ?? unwrapped.join('\n'),
    firstLine,
    columnShift: shifts,
    executionCount: null,
    skipReason: prepared.skipReason,
    ...magicsOf(prepared),
  };
}

/** Splits a percent-format script: each `# %%` line starts a cell; text before the first is cell 0. */
function percentCells(lines: string[]): Cell[] {
  const starts: number[] = [];
  lines.forEach((line, i) => PERCENT_MARKER.test(line) && starts.push(i));
  if (starts[0] !== 0) starts.unshift(0);
  return starts.map((start, index): Cell => {
    const end = starts[index + 1] ?? lines.length;
    const code = lines.slice(start, end).join('\n');
    const marker = lines[start];
    if (/^# %%.*\[(markdown|md|raw)\]/.test(marker)) {
      return { index, kind: /\[raw\]/.test(marker) ? 'raw' : 'markdown', code, firstLine: start + 1, executionCount: null };
    }
    const prepared = prepareCellCode(code);
    return { index, kind: 'code', code: prepared.code ?? code, firstLine: start + 1, executionCount: null, skipReason: prepared.skipReason, ...magicsOf(prepared) };
  });
}
