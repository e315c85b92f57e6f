// nbguard's quick fixes as LSP code actions. The fixes themselves are planned by the analysis
// library (analysis/fix/quickFixes.ts), shared with JupyterLab; here they become WorkspaceEdits
// on the document holding the diagnostic (a notebook cell's URI or a .py file), or the client
// commands that clear or redact a cell's stored outputs.

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { quickFixes, type FixContext, type QuickFix } from '../analysis';
import type { DiagnosticData } from './diagnostics';
import { CLIENT_COMMANDS } from './protocol';

export interface CodeActionContext extends FixContext {
  readonly uri: string;
}

function toCodeAction(fix: QuickFix, d: Diagnostic, uri: string): CodeAction {
  const base = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred || undefined };
  if ('edits' in fix) return { ...base, edit: { changes: { [uri]: [...fix.edits] } } };
  const command = fix.outputs === 'clear' ? CLIENT_COMMANDS.clearCellOutputs : CLIENT_COMMANDS.redactCellOutputs;
  return { ...base, command: { title: fix.outputs === 'clear' ? 'Clear outputs' : 'Redact outputs', command, arguments: [uri] } };
}

/** Every quick fix for one nbguard diagnostic. */
export function codeActionsFor(d: Diagnostic, ctx: CodeActionContext): CodeAction[] {
  const data = d.data as DiagnosticData | undefined;
  const target = { ruleId: data?.ruleId ?? String(d.code ?? ''), range: d.range, carriers: data?.carriers ?? [], source: data?.source, sourceAt: data?.sourceAt };
  return quickFixes(target, ctx).map((fix) => toCodeAction(fix, d, ctx.uri));
}
