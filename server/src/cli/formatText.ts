// `--format text`: a block per finding that a person can read in a terminal or a CI log: where
// it is, what it is, a code frame, and the trace from the source to the sink. Colour only on a
// terminal. Code frames and trace lines show code only as the analysis's CodeMasker masks it:
// no credential a detector accepts, no hardcoded secret, no private key body.

import pc from 'picocolors';
import { RULES, type CodeMasker, type Finding, type ShownLines, type TraceStep } from '../analysis';

export interface FileLines {
  /** The line at (cell, line) as written, or undefined (for fingerprints, never shown). */
  lineAt(cell: number, line: number): string | undefined;
  /** The same line masked, as reports show it. */
  shownAt(cell: number, line: number): string | undefined;
}

/**
 * The lines of cells' code as the analysis saw them (magic lines masked), for code frames and
 * fingerprints; a cell is split (and masked) only when one of its lines is asked for.
 */
export function cellLines(cells: readonly { readonly code: string }[], masker: CodeMasker): FileLines {
  const split = new Map<number, { lines: string[]; shown: ShownLines }>();
  const linesOf = (cell: number) => {
    let entry = split.get(cell);
    if (!entry && cells[cell]) {
      const lines = cells[cell].code.split('\n');
      split.set(cell, (entry = { lines, shown: masker.lines(lines) }));
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
  readonly notes: readonly string[];
  readonly sources: ReadonlyMap<string, FileLines>;
}

export type Colours = ReturnType<typeof pc.createColors>;

/** Where a finding is, as its block's first line says it. */
export function fileWhere(f: Finding): string {
  return `${f.file}  cell ${f.cell}, line ${f.line}, column ${f.column}${f.output !== undefined ? `, output ${f.output}` : ''}`;
}

/** One finding as a block of lines: where, what, the code frame and the trace. */
export function findingBlock(
  f: Finding,
  source: FileLines | undefined,
  c: Colours,
  describe: { where?: string; step?: (step: TraceStep) => string } = {},
): string[] {
  const where = describe.where ?? fileWhere(f);
  const stepWhere = describe.step ?? ((step: TraceStep) => `cell ${step.cell}`);
  const out: string[] = [];
  const severity = f.severity === 'error' ? c.red(c.bold('error')) : f.severity === 'warning' ? c.yellow(c.bold('warning')) : c.blue('info');
  out.push(`${c.bold(where)}`);
  out.push(`  ${severity} ${c.bold(f.ruleId)} ${c.dim(RULES[f.ruleId].name)}: ${f.message}`);
  out.push(...codeFrame(source, f, c));
  if (f.trace && f.trace.length > 0) {
    out.push(`  ${c.dim('trace:')}`);
    for (const step of f.trace) {
      const line = source?.shownAt(step.cell, step.line)?.trim();
      const shown = line ? `  ${c.dim(line.length > 100 ? `${line.slice(0, 99)}…` : line)}` : '';
      out.push(`    ${stepWhere(step)}, line ${step.line}, column ${step.column}: ${step.message}${shown}`);
    }
  }
  out.push('');
  return out;
}

export function formatText(report: TextReport, useColour: boolean): string {
  const c = pc.createColors(useColour);
  const out: string[] = [];
  for (const f of report.findings) for (const line of findingBlock(f, report.sources.get(f.file), c)) out.push(line);
  for (const note of report.notes) out.push(c.dim(`note: ${note}`));
  for (const e of report.errors) out.push(`${c.red('error:')} ${e.file}: ${e.message}`);
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const files = new Set(report.findings.map((f) => f.file)).size;
  const summary =
    report.findings.length === 0
      ? `No findings in ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'}.`
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${files} of ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'}.`;
  out.push(c.bold(summary));
  return `${out.join('\n')}\n`;
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
