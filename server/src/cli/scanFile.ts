// One file of `nbguard scan`, read and analysed: what the report needs of it, as plain data so
// that a worker thread can hand it back (scanWorkers.ts). Of the file's code only the lines a
// report shows or fingerprints are kept: each finding's line and the lines around it, and the
// lines of its trace, as analysed (fingerprints) and as shown (credentials masked).

import { readFileSync, statSync } from 'node:fs';
import { NotebookInputError, readNotebookText, MB, type Analyzer, type AnalysisOrder, type CodeMasker, type Finding, type Notebook, type NotebookFormat, type SyntaxProblem } from '../analysis';
import { cellLines, textLines, type FileLines } from './formatText';

export interface FileScanOptions {
  readonly order: AnalysisOrder;
  readonly maxFileSize: number;
  /** Keep the raw text of a notebook with something to report (SARIF places findings in the stored file). */
  readonly keepRawText: boolean;
}

/** A line a report may show: [cell, line, as analysed, as shown]. */
export type KeptLine = [cell: number, line: number, raw: string | undefined, shown: string | undefined];

export interface FileScan {
  readonly file: string;
  readonly error?: { readonly file: string; readonly message: string };
  readonly format?: NotebookFormat;
  readonly findings: readonly Finding[];
  readonly syntaxErrors: readonly SyntaxProblem[];
  readonly lines: readonly KeptLine[];
  readonly rawText?: string;
}

function fileLines(nb: Notebook, text: string, masker: CodeMasker): FileLines {
  return nb.format === 'ipynb' ? cellLines(nb.cells, masker) : textLines(text, masker);
}

/** The lines the findings' code frames, traces and fingerprints read. */
function keptLines(findings: readonly Finding[], lines: FileLines): KeptLine[] {
  const wanted = new Map<string, [number, number]>();
  const want = (cell: number, line: number) => wanted.set(`${cell}:${line}`, [cell, line]);
  for (const f of findings) {
    for (let n = Math.max(1, f.line - 1); n <= f.line + 1; n++) want(f.cell, n);
    for (const s of f.trace ?? []) want(s.cell, s.line);
  }
  const kept: KeptLine[] = [];
  for (const [cell, line] of wanted.values()) {
    const raw = lines.lineAt(cell, line);
    const shown = lines.shownAt(cell, line);
    if (raw !== undefined || shown !== undefined) kept.push([cell, line, raw, shown]);
  }
  return kept;
}

/** The kept lines as the report reads them. */
export function keptFileLines(kept: readonly KeptLine[]): FileLines {
  const byPlace = new Map(kept.map((k) => [`${k[0]}:${k[1]}`, k]));
  return { lineAt: (cell, line) => byPlace.get(`${cell}:${line}`)?.[2], shownAt: (cell, line) => byPlace.get(`${cell}:${line}`)?.[3] };
}

export function scanFile(analyzer: Analyzer, file: string, options: FileScanOptions): FileScan {
  const none = { file, findings: [], syntaxErrors: [], lines: [] };
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > options.maxFileSize) {
      return { ...none, error: { file, message: `is ${(size / MB).toFixed(1)} MB, over the limit of ${options.maxFileSize / MB} MB per file; it was not scanned (raise the limit with --max-file-size)` } };
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ...none, error: { file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
  }
  let format: NotebookFormat | undefined;
  try {
    const notebook = readNotebookText(file, text);
    format = notebook.format;
    const result = analyzer.analyze(notebook, { order: options.order });
    const findings = result.findings;
    const keepRaw = options.keepRawText && notebook.format === 'ipynb' && (findings.length > 0 || result.syntaxErrors.length > 0);
    return {
      file,
      format: notebook.format,
      findings,
      syntaxErrors: result.syntaxErrors,
      // Only files with findings keep lines (for code frames and fingerprints).
      lines: findings.length > 0 ? keptLines(findings, fileLines(notebook, text, result.masker)) : [],
      rawText: keepRaw ? text : undefined,
    };
  } catch (error) {
    // A file that was read counts as scanned even when its analysis failed.
    if (error instanceof NotebookInputError) return { ...none, format, error: { file: error.file, message: error.message } };
    return { ...none, format, error: { file, message: `could not be analysed: ${(error as Error).message}` } };
  }
}
