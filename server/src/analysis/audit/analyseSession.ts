// One audit session analysed as one module: its commands become the cells of a notebook in the
// order they ran (magic commands handled as notebook magics are: %sql skipped, %pip masked),
// and the findings are named by notebook, session and command. A command that does not parse
// is reported and the rest of the session is still analysed.

import type { AnalysisResult } from '../notebookAnalysis';
import { CodeMasker } from '../findings/codeMasker';
import type { Finding, TraceStep } from '../findings/finding';
import { magicsOf, prepareCellCode } from '../notebook/magics';
import type { Cell, Notebook } from '../notebook/model';
import type { AuditSession } from './sessionizer';
import type { SessionPrefilter } from './sessionPrefilter';

export interface SessionTraceStep extends TraceStep {
  readonly commandId: string;
}

export interface SessionFinding extends Finding {
  readonly session: string;
  readonly commandId: string;
  readonly notebookId: string;
  readonly workspaceId?: string;
  readonly user?: string;
  readonly trace?: readonly SessionTraceStep[];
}

export interface UnparsableCommand {
  readonly file: string;
  readonly session: string;
  readonly commandId: string;
  readonly cell: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface SessionReport {
  readonly session: AuditSession;
  /** `path`, or `notebook:<id>` when the log never named the notebook. */
  readonly file: string;
  readonly findings: SessionFinding[];
  readonly unparsable: UnparsableCommand[];
  /** Commands in another language (%sql, %scala, %md ...), not analysed. */
  readonly skipped: number;
  /** The notebook the analysis saw (its cells' code is the commands' masked text). */
  readonly notebook: Notebook;
  /** Hardcoded credentials found, to mask in anything that shows code. */
  readonly secrets: readonly string[];
  /** Masks the commands' lines wherever a report shows them. */
  readonly masker: CodeMasker;
  /** Not analysed: its text holds nothing a rule could start from (sessionPrefilter.ts). */
  readonly cleared?: boolean;
}

export interface NotebookAnalyser {
  analyze(notebook: Notebook, options: { order: 'document' }): AnalysisResult;
}

export function sessionFile(session: Pick<AuditSession, 'path' | 'notebookId'>): string {
  return session.path ?? `notebook:${session.notebookId}`;
}

export function sessionNotebook(session: AuditSession): Notebook {
  const cells = session.commands.map((command, index): Cell => {
    const prepared = prepareCellCode(command.text.replace(/\r\n?/g, '\n'));
    return {
      index,
      kind: 'code',
      code: prepared.code ?? '',
      firstLine: 1,
      executionCount: index + 1,
      ...(prepared.skipReason ? { skipReason: prepared.skipReason } : {}),
      ...magicsOf(prepared),
    };
  });
  return { path: sessionFile(session), format: 'audit', cells };
}

export function analyseSession(analyzer: NotebookAnalyser, session: AuditSession, prefilter?: SessionPrefilter): SessionReport {
  const notebook = sessionNotebook(session);
  if (prefilter && !prefilter.mayFind(session.commands.map((c) => c.text))) {
    // Nothing to parse for: the session cannot have a finding (its syntax errors go unlisted,
    // as they can hide none).
    const skipped = notebook.cells.filter((c) => c.skipReason !== undefined).length;
    return { session, file: notebook.path, findings: [], unparsable: [], skipped, notebook, secrets: [], masker: prefilter.emptyMasker, cleared: true };
  }
  const result = analyzer.analyze(notebook, { order: 'document' });
  const commandAt = (cell: number) => session.commands[cell]?.commandId ?? '';
  const about = {
    session: session.id,
    notebookId: session.notebookId,
    ...(session.workspaceId ? { workspaceId: session.workspaceId } : {}),
    ...(session.user ? { user: session.user } : {}),
  };
  const findings = result.findings.map((f): SessionFinding => {
    const { trace, ...rest } = f;
    return {
      ...rest,
      ...about,
      commandId: commandAt(f.cell),
      ...(trace ? { trace: trace.map((step) => ({ ...step, commandId: commandAt(step.cell) })) } : {}),
    };
  });
  // One entry per command (the first place it stops parsing), in the session's own words.
  const unparsable: UnparsableCommand[] = [];
  const seen = new Set<number>();
  for (const s of result.syntaxErrors) {
    if (seen.has(s.cell)) continue;
    seen.add(s.cell);
    // Syntax errors in the session's words; other problems (a command too deep or too large) as they are.
    const message = s.message.startsWith('the code does not parse here') ? 'the command does not parse here' : s.message;
    unparsable.push({ ...s, message, session: session.id, commandId: commandAt(s.cell) });
  }
  return {
    session,
    file: notebook.path,
    findings,
    unparsable,
    skipped: notebook.cells.filter((c) => c.skipReason !== undefined).length,
    notebook,
    secrets: result.secrets,
    masker: result.masker,
  };
}
