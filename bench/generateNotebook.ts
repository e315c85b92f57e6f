// Deterministic generator of realistic data-engineering notebooks for the benchmark: imports,
// widgets, secrets read from dbutils.secrets.get / os.environ and used the legitimate way (JDBC
// options, HTTP headers, connector keywords), pandas and Spark transformations, plots, helper
// functions defined in one cell and called in later ones, loops, branches, dicts of options,
// mlflow logging, markdown cells, and a few planted leaks (print, logging, notebook.run
// arguments, a cell echo, a hardcoded password) spread through the notebook.
//
// The same (codeCells, seed) always gives the same text. Clean code follows the conventions of
// the labelled corpus (a DataFrame read with a credential is written to a table, never shown),
// so the number of findings should equal `plantedLeaks`.
//
// This file is the generator's public face: generateNotebook / generateNotebookText, plus the
// seeded PRNG and the one-line cell edits the benchmark and the tests use with it. The pieces are
// in bench/generator/: the scope of names a notebook builds up (notebookScope.ts), the cell
// templates (setupCells, credentialCells, dataCells, helperFunctionCells, plantedLeaks, filler),
// the choice of the next cell (cellPicker.ts), and the `generate` command (generateCommand.ts:
// node bench/run.mjs generate --cells 300 [--seed 20240601] [--out notebook.ipynb]).

import { codeCell, markdownCell, wantsMarkdown } from './generator/cellPicker';
import { NotebookScope } from './generator/notebookScope';
import { setupCells } from './generator/setupCells';

export { editCell } from './generator/editCell';
export { prng } from './generator/prng';

export interface GenerateOptions {
  /** Number of code cells (markdown cells come on top). */
  readonly codeCells: number;
  readonly seed?: number;
}

export interface GeneratedNotebook {
  /** nbformat 4 JSON text. */
  readonly text: string;
  /** Document indices (counting markdown cells) of the code cells. */
  readonly codeCellIndices: number[];
  readonly codeCells: number;
  readonly markdownCells: number;
  /** Lines of code over all code cells. */
  readonly codeLines: number;
  /** Leaks and hardcoded credentials planted on purpose, by rule id. */
  readonly planted: Record<string, number>;
}

/** The seed of the benchmark's notebooks (and of the generate command). */
export const DEFAULT_SEED = 20240601;

function sourceLines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p)).filter((p) => p !== '');
}

/** Generates a notebook with `codeCells` code cells (and some markdown cells). */
export function generateNotebook(options: GenerateOptions): GeneratedNotebook {
  const scope = new NotebookScope(options.seed ?? DEFAULT_SEED);
  const cells: Record<string, unknown>[] = [];
  const codeCellIndices: number[] = [];
  let codeLines = 0;
  let markdownCells = 0;
  const addMarkdown = (source: string) => {
    cells.push({ cell_type: 'markdown', id: `md-${cells.length}`, metadata: {}, source: sourceLines(source) });
    markdownCells++;
  };
  const addCode = (lines: string[]) => {
    codeCellIndices.push(cells.length);
    codeLines += lines.length;
    cells.push({ cell_type: 'code', id: `code-${cells.length}`, metadata: {}, execution_count: null, outputs: [], source: sourceLines(lines.join('\n')) });
  };
  addMarkdown(`# Nightly pipeline (generated, ${options.codeCells} code cells)\n\nLoads the sources, builds the silver tables and publishes the reports.`);
  const setup = setupCells(scope).slice(0, options.codeCells);
  for (const c of setup) addCode(c);
  while (codeCellIndices.length < options.codeCells) {
    if (wantsMarkdown(scope)) addMarkdown(markdownCell(scope));
    addCode(codeCell(scope, codeCellIndices.length));
  }
  const text = JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' },
        language_info: { name: 'python', version: '3.11' },
      },
      cells,
    },
    null,
    1,
  );
  return { text, codeCellIndices, codeCells: codeCellIndices.length, markdownCells, codeLines, planted: { ...scope.planted } };
}

/** nbformat 4 JSON text of a generated notebook. */
export function generateNotebookText(codeCells: number, seed = DEFAULT_SEED): string {
  return generateNotebook({ codeCells, seed }).text;
}
