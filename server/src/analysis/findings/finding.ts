// What the analysis reports: a finding at a location in a notebook, with the trace that led
// there. Locations are the reported ones (cell index in the file, 1-based line and column as
// the contract defines them for each format).

import type { RuleId, Severity } from './ruleCatalog';
import { compareText } from './textOrder';

export interface TraceStep {
  readonly file: string;
  readonly cell: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly cell: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly trace?: readonly TraceStep[];
  /** NBG401: index of the output in the cell. */
  readonly output?: number;
}

/** Orders findings by file position, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.cell - b.cell || a.line - b.line || a.column - b.column || compareText(a.ruleId, b.ruleId);
}
