// `--format text`: a block per finding that a person can read in a terminal or a CI log: where
// it is, what it is, a code frame, and the trace from the source to the sink. Colour only on a
// terminal. Code frames and trace lines show code only as the analysis's CodeMasker masks it:
// no credential a detector accepts, no hardcoded secret, no private key body.
//
// Where: a .py file is `path:line:column` (terminals and editors link it), with the cell as the
// editor numbers it ("Cell 3") when the file has cells; a notebook is `path  Cell 5, line 2,
// column 3`. The report goes to standard output; errors and notes are written apart
// (`problems`), for standard error.

import pc from 'picocolors';
import { cellName, formatCount, linesAsWritten, RULES, traceSummary, type Cell, type CodeMasker, type Finding, type NotebookFormat, type ShownLines, type TraceStep } from '../analysis';

export interface FileLines {
  /** The line at (cell, line) as written, or undefined (for fingerprints, never shown). */
  lineAt(cell: number, line: number): string | undefined;
  /** The same line masked, as reports show it. */
  shownAt(cell: number, line: number): string | undefined;
}

/**
 * The lines of cells' code: as the analysis saw them (magic lines masked) for fingerprints, and as
 * written (magics shown, credentials masked) for code frames; a cell is split (and masked) only
 * when one of its lines is asked for.
 */
export function cellLines(cells: readonly Pick<Cell, 'code' | 'magics'>[], masker: CodeMasker): FileLines {
  const split = new Map<number, { lines: string[]; shown: ShownLines }>();
  const linesOf = (cell: number) => {
    let entry = split.get(cell);
    if (!entry && cells[cell]) {
      const lines = cells[cell].code.split('\n');
      split.set(cell, (entry = { lines, shown: masker.lines(linesAsWritten(cells[cell].code, cells[cell].magics)) }));
    }
    return entry;
  };
  return { lineAt: (cell, line) => linesOf(cell)?.lines[line - 1], shownAt: (cell, line) => linesOf(cell)?.shown(line - 1) };
}

/** The lines of a whole file whose findings give file lines (Databricks and `# %%` sources). */
export function textLines(text: string, masker: CodeMasker): FileLines {
  // Split on first use: most files have no finding, and a 100 MB file is 17 million lines.
  let split: { lines: string[]; shown: ShownLines } | undefined;
  const get = () => {
    if (!split) {
      const lines = text.replace(/\r\n?/g, '\n').split('\n');
      split = { lines, shown: masker.lines(lines) };
    }
    return split;
  };
  return { lineAt: (_cell, line) => get().lines[line - 1], shownAt: (_cell, line) => get().shown(line - 1) };
}

export interface TextReport {
  readonly findings: readonly Finding[];
  readonly errors: readonly { file: string; message: string }[];
  readonly filesScanned: number;
  /** Files analysed only in part (a syntax error, a cell too large or too deep). */
  readonly filesPartial: number;
  readonly notes: readonly string[];
  readonly sources: ReadonlyMap<string, FileLines>;
  /** Each scanned file's format (how its places are written). */
  readonly formats: ReadonlyMap<string, NotebookFormat>;
}

/** The text report: `report` for standard output, `problems` (errors, notes) for standard error. */
export interface TextOutput {
  readonly report: string;
  readonly problems: string;
}

export type Colours = ReturnType<typeof pc.createColors>;

/** Where a finding is, as its block's first line says it. */
export function fileWhere(f: Pick<Finding, 'file' | 'cell' | 'line' | 'column' | 'output'>, format: NotebookFormat | undefined): string {
  const output = f.output !== undefined ? `, output ${f.output + 1}` : '';
  if (format === 'ipynb' || format === undefined) return `${f.file}  ${cellName(f.cell)}, line ${f.line}, column ${f.column}${output}`;
  return `${f.file}:${f.line}:${f.column}${format === 'plain' ? '' : `  (${cellName(f.cell)}${output})`}`;
}

/** Where a trace step is, in the same terms. */
export function stepWhere(step: TraceStep, format: NotebookFormat | undefined): string {
  if (format === 'ipynb' || format === undefined) return `${cellName(step.cell)}, line ${step.line}, column ${step.column}`;
  return `line ${step.line}, column ${step.column}${format === 'plain' ? '' : ` (${cellName(step.cell)})`}`;
}

/** One finding as a block of lines: where, what, the code frame and the trace. */
export function findingBlock(
  f: Finding,
  source: FileLines | undefined,
  c: Colours,
  describe: { where?: string; step?: (step: TraceStep) => string; format?: NotebookFormat } = {},
): string[] {
  const where = describe.where ?? fileWhere(f, describe.format);
  const placeOf = describe.step ?? ((step: TraceStep) => stepWhere(step, describe.format));
  const out: string[] = [];
  const severity = f.severity === 'error' ? c.red(c.bold('error')) : f.severity === 'warning' ? c.yellow(c.bold('warning')) : c.blue('info');
  // Cells name the places only when the default places are used (an audit's are commands).
  const summary = describe.format !== 'plain' && !describe.step ? traceSummary(f) : undefined;
  out.push(`${c.bold(where)}`);
  out.push(`  ${severity} ${c.bold(f.ruleId)} ${c.dim(RULES[f.ruleId].name)}: ${f.message}${summary ? ` (${summary})` : ''}`);
  out.push(...codeFrame(source, f, c));
  if (f.trace && f.trace.length > 0) {
    out.push(`  ${c.dim('trace:')}`);
    for (const step of f.trace) {
      const line = source?.shownAt(step.cell, step.line)?.trim();
      const shown = line ? `  ${c.dim(line.length > 100 ? `${line.slice(0, 99)}…` : line)}` : '';
      out.push(`    ${placeOf(step)}: ${step.message}${shown}`);
    }
  }
  out.push('');
  return out;
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

export function formatText(report: TextReport, useColour: boolean, quiet = false): TextOutput {
  const c = pc.createColors(useColour);
  const out: string[] = [];
  for (const f of report.findings) for (const line of findingBlock(f, report.sources.get(f.file), c, { format: report.formats.get(f.file) })) out.push(line);
  const problems: string[] = [];
  if (!quiet) for (const note of report.notes) problems.push(c.dim(`note: ${note}`));
  for (const e of report.errors) problems.push(`${c.red('error:')} ${e.file}: ${e.message}`);
  if (!quiet) out.push(c.bold(summaryLine(report)));
  return { report: out.length > 0 ? `${out.join('\n')}\n` : '', problems: problems.length > 0 ? `${problems.join('\n')}\n` : '' };
}

/** The last line: what was found in how many files, and what could not be fully checked. */
function summaryLine(report: TextReport): string {
  const { findings, filesScanned, filesPartial, errors } = report;
  const errorCount = findings.filter((f) => f.severity === 'error').length;
  const warningCount = findings.filter((f) => f.severity === 'warning').length;
  const files = new Set(findings.map((f) => f.file)).size;
  let line =
    filesScanned === 0
      ? 'Nothing was scanned: no .ipynb or .py file was found or could be read.'
      : findings.length === 0
        ? `No findings in ${plural(filesScanned, 'file')}.`
        : `${plural(findings.length, 'finding')} (${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')}) in ${formatCount(files)} of ${plural(filesScanned, 'file')}.`;
  if (filesPartial > 0) line += ` ${plural(filesPartial, 'file')} analysed only in part (see the notes).`;
  if (errors.length > 0 && filesScanned > 0) line += ` ${plural(errors.length, 'path')} could not be scanned (see the errors).`;
  return line;
}

function codeFrame(source: FileLines | undefined, f: Finding, c: Colours): string[] {
  if (!source) return [];
  const lines: string[] = [];
  const width = String(f.line + 1).length;
  for (let n = Math.max(1, f.line - 1); n <= f.line + 1; n++) {
    const text = source.shownAt(f.cell, n);
    if (text === undefined) continue;
    const masked = text.length > 160 ? `${text.slice(0, 159)}…` : text;
    const gutter = `${n === f.line ? c.red('>') : ' '} ${String(n).padStart(width)} | `;
    lines.push(`  ${gutter}${n === f.line ? masked : c.dim(masked)}`);
    if (n === f.line) {
      const end = f.endLine === f.line ? Math.max(f.endColumn, f.column + 1) : Math.min(masked.length + 1, f.column + 60);
      lines.push(`  ${' '.repeat(width + 2)} | ${' '.repeat(f.column - 1)}${c.red('^'.repeat(Math.max(1, Math.min(end - f.column, 120))))}`);
    }
  }
  return lines;
}
