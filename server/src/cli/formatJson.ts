// `--format json`: one JSON document as the CLI contract defines it.

import type { Finding } from '../analysis';
import type { PlacedWarning } from './formatSarif';

export interface ScanReport {
  readonly findings: readonly Finding[];
  readonly errors: readonly { file: string; message: string }[];
  /** Code that was not checked: syntax errors, cells or statements too large or deep to analyse. */
  readonly warnings: readonly PlacedWarning[];
}

/** A finding as the contract's JSON object. */
export function findingJson(f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    cell: f.cell,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ...(f.output !== undefined ? { output: f.output } : {}),
    ...(f.trace ? { trace: f.trace } : {}),
  };
}

export function formatJson(report: ScanReport): string {
  const findings = report.findings.map(findingJson);
  return `${JSON.stringify({ version: 1, findings, errors: report.errors, warnings: report.warnings }, null, 2)}\n`;
}
