// The fixes the panel, the marks' hovers and the palette offer, made on JupyterLab's notebook
// model (so undo and the unsaved-changes mark work as for any edit). The fixes of a finding are
// planned by the analysis library, as the language server plans them for VS Code: read a
// hardcoded key from where the notebook keeps its secrets, mask a printed secret, remove the
// statement, pass a child notebook the scope and key, suppress. The credentials in stored
// outputs are redacted (an output that still leaks afterwards is cleared, as `nbguard fix`
// does), or the leaking outputs cleared.

import type { ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { applyLineEdits, cellFixTarget, leakingOutputs, quickFixes, type Analyzer, type Finding, type LineEdit, type QuickFix } from '../../server/src/analysis';

/** All the notebook's code, which the fixes look at (does it use dbutils, import os?). */
export function notebookCode(panel: NotebookPanel): string {
  const code: string[] = [];
  for (const c of panel.content.widgets) if (c.model.type === 'code') code.push(c.model.sharedModel.getSource());
  return code.join('\n');
}

/** The quick fixes for `finding`, planned on the notebook as it is now (`code`: its notebookCode). */
export function fixesOf(panel: NotebookPanel, analyzer: Analyzer, finding: Finding, code: string, secretScope: string): QuickFix[] {
  const cell = panel.content.widgets[finding.cell]?.model;
  if (!cell) return [];
  const ctx = {
    text: cell.sharedModel.getSource(),
    notebookText: code,
    isDatabricks: false, // a notebook that uses dbutils is recognised by its code
    hasOutputs: cell.type === 'code',
    secretScope,
    isCredential: (text: string) => analyzer.holdsCredential(text),
  };
  return quickFixes(cellFixTarget(finding), ctx);
}

/** Applies edits to the source of cell `cell`. */
export function editCell(panel: NotebookPanel, cell: number, edits: readonly LineEdit[]): void {
  const shared = panel.content.widgets[cell]?.model.sharedModel;
  if (shared) shared.setSource(applyLineEdits(shared.getSource(), edits));
}

/** `value` with `redact` applied to every string in it (an output's JSON). */
function redactJson(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redact));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, redact)]));
  return value;
}

function outputsOf(panel: NotebookPanel, cell: number): ICodeCellModel['outputs'] | undefined {
  const model = panel.content.widgets[cell]?.model;
  return model?.type === 'code' ? (model as ICodeCellModel).outputs : undefined;
}

/** Redacts the credentials in the outputs these findings point at; returns the cells it changed. */
export function redactOutputs(panel: NotebookPanel, analyzer: Analyzer, findings: readonly Finding[]): number[] {
  const cells: number[] = [];
  for (const [cell, indexes] of leakingOutputs(findings)) {
    const outputs = outputsOf(panel, cell);
    if (!outputs) continue;
    for (const i of indexes) {
      const output = outputs.get(i);
      if (output) outputs.set(i, redactJson(output.toJSON(), (t) => analyzer.redact(t)) as ReturnType<typeof output.toJSON>);
    }
    cells.push(cell);
  }
  return cells;
}

/** Clears the outputs of the cells whose stored outputs these findings say leak. */
export function clearOutputs(panel: NotebookPanel, findings: readonly Finding[]): number[] {
  const cells = [...leakingOutputs(findings).keys()];
  for (const cell of cells) outputsOf(panel, cell)?.clear();
  return cells;
}
