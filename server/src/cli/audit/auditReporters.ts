// The output formats of `nbguard audit`. Each reporter is handed every analysed session as it
// completes and returns what to write now, so text and JSON lines stream while the log is
// still being read; json and sarif need the whole run and write everything at the end.

import pc from 'picocolors';
import type { Finding, TraceStep } from '../../analysis';
import type { SessionFinding, SessionReport, SessionTraceStep } from '../../analysis/audit/analyseSession';
import { fingerprints } from '../fingerprints';
import { findingJson } from '../formatJson';
import { fileArtifact, formatSarif } from '../formatSarif';
import { cellLines, findingBlock, type FileLines } from '../formatText';
import { summaryLines, type SummaryData } from './auditSummary';

export type AuditFormat = 'text' | 'json' | 'jsonl' | 'sarif';

export interface RunEnd {
  readonly summary: SummaryData;
  /** Inputs that could not be read. */
  readonly errors: readonly { file: string; message: string }[];
  readonly mode: 'events' | 'sessions';
}

export interface AuditReporter {
  /** A completed session; `fingerprints` has one entry per finding (see sessionFingerprints). */
  session(report: SessionReport, fingerprints: readonly string[]): string;
  end(run: RunEnd): string;
  /** A line for standard error at the end, for formats whose standard output is data only. */
  readonly stderrSummary?: boolean;
}

/** The audit's own fields, in the order a reader wants them after the contract's. */
export function auditFindingJson(f: SessionFinding): Record<string, unknown> {
  const base = findingJson(f);
  return {
    ...base,
    session: f.session,
    commandId: f.commandId,
    notebookId: f.notebookId,
    ...(f.workspaceId ? { workspaceId: f.workspaceId } : {}),
    ...(f.user ? { user: f.user } : {}),
  };
}

/**
 * The commands' lines as the analysis saw them: magic and shell lines are masked (`...`), as in
 * `nbguard scan`, so a token on a `%pip` or `!curl` line is never shown.
 */
function commandLines(report: SessionReport): FileLines {
  return cellLines(report.notebook.cells, report.masker);
}

/**
 * Fingerprints of a session's findings. The occurrence count restarts in each session, so a
 * session's fingerprints do not depend on the sessions before it in the log, and the same leak
 * run again tomorrow has the same fingerprint (what a baseline needs).
 */
export function sessionFingerprints(report: SessionReport): string[] {
  return fingerprints(report.findings, new Map([[report.file, commandLines(report)]]));
}

const stepWhere = (step: TraceStep) => `command ${(step as SessionTraceStep).commandId ?? '?'} (cell ${step.cell})`;

function unparsableNote(u: SessionReport['unparsable'][number]): string {
  const what = u.message === 'the command does not parse here' ? 'does not parse' : 'was not wholly analysed';
  return `${u.file}  session ${u.session}, command ${u.commandId} (cell ${u.cell}) ${what} at line ${u.line}, column ${u.column}: ${u.message}; the rest of the session was analysed`;
}

function malformedNotes(run: RunEnd): string[] {
  const s = run.summary;
  const notes = s.malformedExamples.map((m) => `${m.file}:${m.line}: malformed ${run.mode === 'sessions' ? 'session' : 'audit'} line skipped: ${m.reason}`);
  if (s.malformedLines > s.malformedExamples.length) notes.push(`... and ${s.malformedLines - s.malformedExamples.length} more malformed lines`);
  return notes;
}

class TextReporter implements AuditReporter {
  private readonly c;
  constructor(colour: boolean) {
    this.c = pc.createColors(colour);
  }
  session(report: SessionReport): string {
    const out: string[] = [];
    const source = commandLines(report);
    for (const f of report.findings) {
      const where = `${f.file}  session ${f.session}, command ${f.commandId} (cell ${f.cell}), line ${f.line}, column ${f.column}${f.user ? `  [${f.user}]` : ''}`;
      out.push(...findingBlock(f, source, this.c, { where, step: (step) => `${stepWhere(step)}, line ${step.line}, column ${step.column}` }));
    }
    for (const u of report.unparsable) out.push(this.c.dim(`note: ${unparsableNote(u)}`));
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  }
  end(run: RunEnd): string {
    const out = malformedNotes(run).map((n) => this.c.dim(`note: ${n}`));
    for (const e of run.errors) out.push(`${this.c.red('error:')} ${e.file}: ${e.message}`);
    if (out.length > 0) out.push('');
    out.push(this.c.bold('nbguard audit summary'), ...summaryLines(run.summary, run.mode).map((l) => `  ${l}`));
    return `${out.join('\n')}\n`;
  }
}

class JsonLinesReporter implements AuditReporter {
  readonly stderrSummary = true;
  session(report: SessionReport): string {
    return report.findings.map((f) => `${JSON.stringify(auditFindingJson(f))}\n`).join('');
  }
  end(): string {
    return '';
  }
}

class JsonReporter implements AuditReporter {
  private readonly findings: Record<string, unknown>[] = [];
  private readonly unparsable: SessionReport['unparsable'][number][] = [];
  session(report: SessionReport): string {
    for (const f of report.findings) this.findings.push(auditFindingJson(f));
    for (const u of report.unparsable) this.unparsable.push(u);
    return '';
  }
  end(run: RunEnd): string {
    const { malformedExamples, ...summary } = run.summary;
    const doc = {
      version: 1,
      findings: this.findings,
      errors: run.errors,
      unparsableCommands: this.unparsable,
      malformedLines: malformedExamples,
      summary,
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
}

class SarifReporter implements AuditReporter {
  private readonly findings: SessionFinding[] = [];
  private readonly prints: string[] = [];
  private readonly warnings: string[] = [];
  constructor(private readonly version: string) {}
  session(report: SessionReport, prints: readonly string[]): string {
    for (const f of report.findings) this.findings.push(f);
    for (const p of prints) this.prints.push(p);
    for (const u of report.unparsable) this.warnings.push(unparsableNote(u));
    return '';
  }
  end(run: RunEnd): string {
    return formatSarif({
      findings: this.findings,
      errors: run.errors,
      fingerprints: this.prints,
      version: this.version,
      stepWhere,
      // Notebook paths are workspace paths (/Users/...), not files of a checkout.
      artifactOf: (file) => (file.startsWith('/') ? { uri: fileArtifact(file.slice(1)).uri, uriBaseId: 'DATABRICKS_WORKSPACE' } : fileArtifact(file)),
      uriBases: { DATABRICKS_WORKSPACE: { description: { text: 'The root of the Databricks workspace the audit log came from' } } },
      warnings: [...this.warnings, ...malformedNotes(run)],
      propertiesOf: (f: Finding) => {
        const { session, commandId, notebookId, workspaceId, user } = f as SessionFinding;
        return { session, commandId, notebookId, ...(workspaceId ? { workspaceId } : {}), ...(user ? { user } : {}) };
      },
    });
  }
}

export function auditReporter(format: AuditFormat, options: { colour: boolean; version: string }): AuditReporter {
  switch (format) {
    case 'text':
      return new TextReporter(options.colour);
    case 'json':
      return new JsonReporter();
    case 'jsonl':
      return new JsonLinesReporter();
    case 'sarif':
      return new SarifReporter(options.version);
  }
}
