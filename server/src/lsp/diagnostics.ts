// Findings -> LSP diagnostics: the rule id as code with a link to its section of
// docs/rules.md, source "nbguard", the masked message (with "from Cell 1 via Cell 2" when the
// flow crossed cells), and the trace (source, hops, sink) as related information pointing into
// whichever cells the flow went through, each step naming its cell as the editor numbers it.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { cellName, fixFacts, traceSummary, type Finding, type TraceStep } from '../analysis';
import type { RuleSeverityOverride } from './settings';

/** Where a finding's (cell, line, column) is in the editor: a document URI and a 0-based position. */
export interface PositionMap {
  uriOfCell(cell: number): string | undefined;
  /** Whether the document has cells to name (a notebook, a Databricks or `# %%` file). */
  readonly hasCells: boolean;
  /** LSP line of a reported 1-based line in `cell`. */
  lineOf(cell: number, line: number): number;
}

/** Extra data a quick fix needs, carried in Diagnostic.data. */
export interface DiagnosticData {
  readonly ruleId: string;
  /** Names that carried the secret (trace hops), for masking fixes. */
  readonly carriers: readonly string[];
  /** The source's label (`dbutils.secrets.get("db", "password")`). */
  readonly source?: string;
  readonly output?: number;
  /** Where the source is in this document, when the finding's own cell reads it. */
  readonly sourceAt?: { line: number; character: number };
}

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

let rulesDoc: string | undefined;

/** The rule's section in the bundled docs/rules.md. */
export function ruleHref(ruleId: string): string {
  rulesDoc ??= pathToFileURL(join(__dirname, '..', 'docs', 'rules.md')).href;
  return `${rulesDoc}#${ruleId.toLowerCase()}`;
}

function stepLabel(step: TraceStep, index: number, last: number): string {
  if (index === 0) return 'source of the secret';
  if (index === last) return 'reaches the sink here';
  return step.message.startsWith('argument') || step.message.startsWith('returned') ? step.message : `carried by ${step.message}`;
}

export function toDiagnostic(f: Finding, map: PositionMap, override: RuleSeverityOverride | undefined): Diagnostic | undefined {
  if (override === 'off') return undefined;
  const line = map.lineOf(f.cell, f.line);
  const endLine = map.lineOf(f.cell, f.endLine);
  const trace = f.trace ?? [];
  const related: DiagnosticRelatedInformation[] = [];
  trace.forEach((step, i) => {
    const uri = map.uriOfCell(step.cell);
    if (!uri) return;
    const l = map.lineOf(step.cell, step.line);
    const label = stepLabel(step, i, trace.length - 1);
    related.push({ location: { uri, range: { start: { line: l, character: step.column - 1 }, end: { line: l, character: step.column - 1 } } }, message: map.hasCells ? `${cellName(step.cell)}: ${label}` : label });
  });
  const first = trace[0];
  const sourceAt = first && first.cell === f.cell ? { line: map.lineOf(first.cell, first.line), character: first.column - 1 } : undefined;
  const data: DiagnosticData = { ruleId: f.ruleId, ...fixFacts(f), output: f.output, sourceAt };
  return {
    range: { start: { line, character: f.column - 1 }, end: { line: endLine, character: Math.max(f.endColumn - 1, endLine === line ? f.column : 0) } },
    severity: SEVERITY[override ?? f.severity] ?? DiagnosticSeverity.Warning,
    code: f.ruleId,
    codeDescription: { href: ruleHref(f.ruleId) },
    source: 'nbguard',
    message: withTraceSummary(f, map),
    relatedInformation: related.length > 0 ? related : undefined,
    data,
  };
}

/** The finding's message, with where its secret came from when the flow crossed cells. */
export function withTraceSummary(f: Finding, map: Pick<PositionMap, 'hasCells'>): string {
  const summary = map.hasCells ? traceSummary(f) : undefined;
  return summary ? `${f.message} (${summary})` : f.message;
}
