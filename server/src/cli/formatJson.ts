// `--format json`: one JSON document as the CLI contract defines it.

import type { Finding } from '../analysis';

export interface ScanReport {
  readonly findings: readonly Finding[];
  readonly errors: readonly { file: string; message: string }[];
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
  return `${JSON.stringify({ version: 1, findings, errors: report.errors }, null, 2)}\n`;
}
