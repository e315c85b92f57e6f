// The fixes the panel and the palette offer, made on JupyterLab's notebook model (so undo and the
// unsaved-changes mark work as for any edit): a `# nbguard: ignore[ID]` comment on a finding's
// line, written as `nbguard fix --suppress` writes it; the credentials in stored outputs redacted
// (an output that still leaks afterwards is cleared, as `nbguard fix` does); leaking outputs cleared.

import type { ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { applyEdits, leakingOutputs, suppressInText, type Analyzer, type Finding } from '../../server/src/analysis';

/** Adds the suppression comment for `finding` to its cell's source. */
export function suppress(panel: NotebookPanel, finding: Finding): void {
  const shared = panel.content.widgets[finding.cell]?.model.sharedModel;
  if (!shared) return;
  const source = shared.getSource();
  shared.setSource(applyEdits(source, suppressInText(source, [finding])));
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
