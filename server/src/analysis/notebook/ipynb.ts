// Reads Jupyter notebooks (nbformat 4) into the notebook model: every cell keeps its index in
// the file, code cells get their magics masked, outputs and execution counts are kept.

import { NotebookInputError } from './errors';
import { describeJsonError } from './jsonError';
import { magicsOf, prepareCellCode } from './magics';
import type { Cell, CellKind, CellOutput, Notebook } from './model';

interface RawCell {
  cell_type?: unknown;
  source?: unknown;
  execution_count?: unknown;
  outputs?: unknown;
  metadata?: Record<string, unknown>;
}

function joinSource(source: unknown): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return source.map((s) => (typeof s === 'string' ? s : '')).join('');
  return '';
}

function notebookLanguage(nb: Record<string, unknown>): string {
  const meta = (nb.metadata ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const lang = meta.language_info?.name ?? meta.kernelspec?.language;
  return typeof lang === 'string' ? lang.toLowerCase() : 'python';
}

/**
 * A cell's own language, where the editor that wrote it keeps one: Snowflake and VS Code
 * (`metadata.language`, `metadata.vscode.languageId`), .NET Interactive and Polyglot Notebooks
 * (`dotnet_interactive.language`, `polyglot_notebook.kernelName`). Undefined when it says none.
 */
function cellLanguage(meta: Record<string, unknown> | undefined): string | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  const inner = (key: string, field: string) => (meta[key] as Record<string, unknown> | undefined)?.[field];
  const lang = meta.language ?? inner('vscode', 'languageId') ?? inner('dotnet_interactive', 'language') ?? inner('polyglot_notebook', 'kernelName');
  return typeof lang === 'string' && lang.length > 0 ? lang.toLowerCase() : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PYTHON_LANGUAGES = /^(i?python\d*|py|pyspark)$/;

export function parseIpynb(path: string, text: string): Notebook {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch {
    throw new NotebookInputError(path, describeJsonError(text));
  }
  return ipynbNotebook(path, nb);
}

/**
 * The Cell read from each raw cell object, with what it was read as: an editor that hands the
 * same raw object for a cell that did not change (JupyterLab, between keystrokes) gets the same
 * Cell back, which the incremental analysis recognises as unchanged at no cost.
 */
export type IpynbCellMemo = WeakMap<object, { readonly index: number; readonly language: string; readonly cell: Cell }>;

/**
 * A notebook from its nbformat JSON, already parsed (an editor's model, such as JupyterLab's
 * toJSON()). With `memo`, a raw cell object read before at the same index gives the same Cell.
 */
export function ipynbNotebook(path: string, nb: unknown, memo?: IpynbCellMemo): Notebook {
  if (typeof nb !== 'object' || nb === null || Array.isArray(nb)) {
    throw new NotebookInputError(path, 'not a Jupyter notebook: the JSON document is not an object');
  }
  const doc = nb as Record<string, unknown>;
  if (doc.nbformat !== 4) {
    // Named only when it is a number: the field of a broken file may hold anything, a secret too.
    const version = doc.nbformat === undefined ? 'missing' : typeof doc.nbformat === 'number' ? String(doc.nbformat) : `of type ${typeof doc.nbformat}`;
    throw new NotebookInputError(
      path,
      `unsupported nbformat ${version}: only nbformat 4 is read (convert with "jupyter nbconvert --to notebook --nbformat 4")`,
    );
  }
  if (!Array.isArray(doc.cells)) throw new NotebookInputError(path, 'not a Jupyter notebook: "cells" is not a list');
  const language = notebookLanguage(doc);
  const cells: Cell[] = doc.cells.map((raw: RawCell, index: number): Cell => {
    const known = memo && isObject(raw) ? memo.get(raw) : undefined;
    if (known && known.index === index && known.language === language) return known.cell;
    const cell = readCell(raw, index, language);
    if (memo && isObject(raw)) memo.set(raw, { index, language, cell });
    return cell;
  });
  return { path, format: 'ipynb', cells, ...(isObject(doc.metadata) ? { metadata: doc.metadata } : {}) };
}

/** One nbformat cell as the analysis reads it (`language`: the notebook's). */
function readCell(raw: RawCell, index: number, language: string): Cell {
  const type = raw?.cell_type;
  const kind: CellKind = type === 'code' ? 'code' : type === 'markdown' ? 'markdown' : 'raw';
  const source = joinSource(raw?.source).replace(/\r\n?/g, '\n');
  // VS Code keeps the count in the cell metadata when the top-level field is null.
  const metaCount = raw?.metadata?.execution_count;
  const count = typeof raw?.execution_count === 'number' ? raw.execution_count : typeof metaCount === 'number' ? metaCount : null;
  const outputs = Array.isArray(raw?.outputs) ? (raw.outputs as CellOutput[]) : undefined;
  const metadata = isObject(raw?.metadata) && Object.keys(raw.metadata).length > 0 ? { metadata: raw.metadata } : {};
  if (kind !== 'code') return { index, kind, code: source, firstLine: 1, executionCount: null, ...metadata };
  if (language !== 'python') {
    return { index, kind, code: source, firstLine: 1, executionCount: count, outputs, skipReason: `${language} notebook`, ...metadata };
  }
  // A SQL cell of a Snowflake notebook, a C# cell of a polyglot one: not Python.
  const own = cellLanguage(raw?.metadata);
  if (own !== undefined && !PYTHON_LANGUAGES.test(own)) {
    return { index, kind, code: source, firstLine: 1, executionCount: count, outputs, skipReason: `${own} cell`, ...metadata };
  }
  const prepared = prepareCellCode(source);
  return {
    index,
    kind,
    code: prepared.code ?? source,
    firstLine: 1,
    executionCount: count,
    outputs,
    skipReason: prepared.skipReason,
    ...magicsOf(prepared),
    ...metadata,
  };
}
