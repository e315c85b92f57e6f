// Findings as CodeMirror diagnostics on a cell's editor: an underline on the code, the message
// with its trace on hover, and the finding's fixes as the hover's actions. JupyterLab 4 cells are
// CodeMirror 6 views. A stored output that holds a credential gets a mark of its own: a class on
// its output widget (a bar beside it) and a tooltip saying what it holds.

import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { Cell, CodeCell } from '@jupyterlab/cells';
import { cellName, traceSummary, type Finding, type QuickFix } from '../../server/src/analysis';

/** The fixes of a finding, and how to apply one of them (by its title, planned again when applied). */
export interface FixSource {
  fixes(finding: Finding): readonly QuickFix[];
  applyFixTitled(finding: Finding, title: string): void;
}

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
export function markCell(cell: Cell, findings: readonly Finding[], fixes: FixSource): void {
  const view = (cell.editor as unknown as { editor?: EditorView } | null)?.editor;
  if (!view) return;
  const key = findings.map((f) => `${f.line}:${f.column}:${f.endLine}:${f.endColumn}:${f.severity}:${describe(f)}`).join('\n');
  if (shown.get(view) === key) return;
  shown.set(view, key);
  const diagnostics: Diagnostic[] = findings.map((f) => {
    const from = offset(view, f.line, f.column);
    const to = Math.max(offset(view, f.endLine, f.endColumn), from);
    // Planned when the marks are set; applied by title as planned at the click (the notebook may have changed).
    const actions = fixes.fixes(f).map((fix) => ({ name: fix.label, apply: () => fixes.applyFixTitled(f, fix.title) }));
    return { from, to: to === from ? Math.min(from + 1, view.state.doc.length) : to, severity: SEVERITY[f.severity], source: 'nbguard', message: describe(f), actions };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

const LEAKING = 'jp-nbguard-leaking-output';

/** Marks the stored outputs of a code cell that hold a credential (`findings`: this cell's NBG401), unmarks the rest. */
export function markOutputs(cell: Cell, findings: readonly Finding[]): void {
  const area = (cell as CodeCell).outputArea;
  if (!area) return;
  area.widgets.forEach((widget, index) => {
    const here = findings.filter((f) => f.output === index);
    widget.toggleClass(LEAKING, here.length > 0);
    if (here.length > 0) widget.node.title = `nbguard: ${here.map((f) => f.message).join('; ')} [NBG401]. Redact or clear it from the nbguard panel.`;
    else if (widget.node.title.startsWith('nbguard:')) widget.node.title = '';
  });
}
