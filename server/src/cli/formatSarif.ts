// `--format sarif`: SARIF 2.1.0 with one run: nbguard's rules as tool.driver.rules (with help),
// one result per finding (the cell in properties.cell, the trace as a code flow) and stable
// partialFingerprints that do not depend on line numbers, so code scanning keeps tracking an
// alert when cells move or lines shift. A region must be one of the file as stored (code scanning
// annotates that line of the raw file): in an .ipynb that is the JSON line holding the cell's
// source line (`placeOf`), and the cell is a logical location ("Cell 5", as editors number it)
// with the line within the cell in properties.

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cellName, RULES, traceSummary, type Finding, type RuleId, type TraceStep } from '../analysis';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const RULE_IDS = Object.keys(RULES) as RuleId[];

export interface SarifReport {
  readonly findings: readonly Finding[];
  readonly errors: readonly { file: string; message: string }[];
  /** One partialFingerprint per finding (see fingerprints.ts). */
  readonly fingerprints: readonly string[];
  readonly version: string;
  /** More of a finding to keep in its result's properties (an audit's session and command). */
  readonly propertiesOf?: (finding: Finding) => Record<string, unknown>;
  /** Where a trace step is, for its message. */
  readonly stepWhere?: (step: TraceStep) => string;
  /** How a finding's file is named in SARIF (default: fileArtifact). */
  readonly artifactOf?: (file: string) => ArtifactLocation;
  /** The uriBaseIds that artifactOf uses, described. */
  readonly uriBases?: Record<string, { description: { text: string } }>;
  /**
   * What was not checked, as warnings: code that does not parse, cells or statements nbguard
   * could not analyse (with where they are), malformed audit lines, unparsable commands.
   */
  readonly warnings?: readonly (string | PlacedWarning)[];
  /**
   * Where a (cell, line, column) of a file is in the file as stored, when that differs (an .ipynb
   * file); undefined keeps the reported place.
   */
  readonly placeOf?: (file: string, cell: number, line: number, column: number, output?: number) => { line: number; column: number } | undefined;
}

/** A warning about a place in a file (a cell's line and column, as findings give them). */
export interface PlacedWarning {
  readonly file: string;
  readonly cell: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/** The text with every lone surrogate replaced by U+FFFD (what String.prototype.toWellFormed does). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A path as a URI reference; a lone surrogate (valid in JSON, not in a URI) becomes U+FFFD. */
function encodePath(path: string): string {
  return wellFormed(path).replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}

/**
 * Files as SARIF wants them: relative paths stay relative (code scanning resolves them against
 * the checkout), absolute ones become file: URIs (a relative reference must not start with /).
 */
export function fileArtifact(path: string): ArtifactLocation {
  return isAbsolute(path) ? { uri: pathToFileURL(wellFormed(path)).href } : { uri: encodePath(path) };
}

function region(line: number, column: number, endLine?: number, endColumn?: number) {
  return { startLine: line, startColumn: column, ...(endLine !== undefined ? { endLine, endColumn } : {}) };
}

export function formatSarif(report: SarifReport): string {
  const prints = report.fingerprints;
  const artifactOf = report.artifactOf ?? fileArtifact;
  const stepWhere = report.stepWhere ?? ((step: TraceStep) => `${cellName(step.cell)}, line ${step.line}`);
  /** A physical location in the file as stored, and the cell as a logical one when they differ. */
  const location = (file: string, cell: number, line: number, column: number, end?: { line: number; column: number }, output?: number) => {
    const start = report.placeOf?.(file, cell, line, column, output);
    const stop = start && end && output === undefined ? report.placeOf?.(file, cell, end.line, end.column) : undefined;
    const at = start ? region(start.line, start.column, stop?.line, stop?.column) : region(line, column, end?.line, end?.column);
    return {
      physicalLocation: { artifactLocation: artifactOf(file), region: at },
      ...(start ? { logicalLocations: [{ name: cellName(cell), kind: 'cell', fullyQualifiedName: `${file}#${cellName(cell)}` }] } : {}),
    };
  };
  const results = report.findings.map((f, i) => {
    const trace = f.trace ?? [];
    const summary = traceSummary(f);
    const placed = report.placeOf?.(f.file, f.cell, f.line, f.column) !== undefined;
    return {
      ruleId: f.ruleId,
      ruleIndex: RULE_IDS.indexOf(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: summary ? `${f.message} (${summary})` : f.message },
      locations: [location(f.file, f.cell, f.line, f.column, { line: f.endLine, column: f.endColumn }, f.output)],
      partialFingerprints: { 'nbguardFinding/v1': prints[i] },
      properties: {
        cell: f.cell,
        ...(placed ? { cellLine: f.line, cellColumn: f.column } : {}),
        ...(f.output !== undefined ? { output: f.output } : {}),
        ...(report.propertiesOf?.(f) ?? {}),
      },
      ...(trace.length > 0
        ? {
            codeFlows: [
              {
                message: { text: 'How the secret got here' },
                threadFlows: [
                  {
                    locations: trace.map((step) => ({
                      location: { ...location(step.file, step.cell, step.line, step.column), message: { text: `${stepWhere(step)}: ${step.message}` } },
                    })),
                  },
                ],
              },
            ],
          }
        : {}),
    };
  });
  const rules = RULE_IDS.map((id) => ({
    id,
    name: RULES[id].name,
    shortDescription: { text: RULES[id].summary },
    fullDescription: { text: RULES[id].summary },
    help: {
      text: `${RULES[id].summary} See docs/rules.md#${id.toLowerCase()} for what counts, how to fix it and how to silence it (# nbguard: ignore[${id}]).`,
      markdown: `${RULES[id].summary}\n\nSee [docs/rules.md](docs/rules.md#${id.toLowerCase()}) for what counts, how to fix it and how to silence it (\`# nbguard: ignore[${id}]\`).`,
    },
    defaultConfiguration: { level: LEVEL[RULES[id].severity] },
    properties: { tags: ['security', 'secrets'], 'security-severity': RULES[id].severity === 'error' ? '7.5' : '5.0' },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'nbguard', semanticVersion: report.version, version: report.version, rules } },
        ...(report.uriBases ? { originalUriBaseIds: report.uriBases } : {}),
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.errors.map((e) => ({
                level: 'error',
                message: { text: e.message },
                locations: [{ physicalLocation: { artifactLocation: artifactOf(e.file) } }],
              })),
              ...(report.warnings ?? []).map((w) =>
                typeof w === 'string'
                  ? { level: 'warning', message: { text: w } }
                  : {
                      level: 'warning',
                      message: { text: w.message },
                      locations: [location(w.file, w.cell, w.line, w.column)],
                      properties: { cell: w.cell },
                    },
              ),
            ],
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
