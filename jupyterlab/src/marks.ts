// Findings as CodeMirror diagnostics on a cell's editor: an underline on the code, the message
// with its trace on hover. JupyterLab 4 cells are CodeMirror 6 views.

import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { Cell } from '@jupyterlab/cells';
import { cellName, traceSummary, type Finding } from '../../server/src/analysis';

const SEVERITY = { error: 'error', warning: 'warning', info: 'info' } as const;

/** The offset of a 1-based line and column in the view's text, clamped to it. */
function offset(view: EditorView, line: number, column: number): number {
  const doc = view.state.doc;
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

/** The message with the cells its secret came through ("from Cell 1 via Cell 2"), as the CLI says it. */
export function messageOf(f: Finding): string {
  const summary = traceSummary(f);
  return summary ? `${f.message} (${summary})` : f.message;
}

/** The hover text: the message, then each step of the trace with the cell it is in. */
export function describe(f: Finding): string {
  const steps = (f.trace ?? []).map((s) => `  ${cellName(s.cell)}, line ${s.line}: ${s.message}`);
  return [`${messageOf(f)} [${f.ruleId}]`, ...(steps.length > 0 ? ['trace:', ...steps] : [])].join('\n');
}

/** What each editor shows, so that a run which changed nothing in a cell leaves its editor alone. */
const shown = new WeakMap<EditorView, string>();

/** Shows `findings` (this cell's, in its code) on the cell's editor, replacing what it showed. */
export function markCell(cell: Cell, findings: readonly Finding[]): void {
  const view = (cell.editor as unknown as { editor?: EditorView } | null)?.editor;
  if (!view) return;
  const key = findings.map((f) => `${f.line}:${f.column}:${f.endLine}:${f.endColumn}:${f.severity}:${describe(f)}`).join('\n');
  if (shown.get(view) === key) return;
  shown.set(view, key);
  const diagnostics: Diagnostic[] = findings.map((f) => {
    const from = offset(view, f.line, f.column);
    const to = Math.max(offset(view, f.endLine, f.endColumn), from);
    return { from, to: to === from ? Math.min(from + 1, view.state.doc.length) : to, severity: SEVERITY[f.severity], source: 'nbguard', message: describe(f) };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
