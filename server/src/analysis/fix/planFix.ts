// What `nbguard fix` changes in one notebook, as edits of its text (nothing is written here):
// stored outputs that leak are redacted (or cleared), and with `suppress` each finding in code
// gets its `# nbguard: ignore[...]` comment. The outcome is checked by analysing the fixed text:
// an output redaction could not clean is cleared, and what is still reported comes back as `left`.

import type { CodeMasker } from '../findings/codeMasker';
import type { Finding } from '../findings/finding';
import { locateNotebookJson, type NotebookJsonMap } from '../notebook/jsonLocations';
import type { Notebook } from '../notebook/model';
import { readNotebookText } from '../notebook/readNotebook';
import type { AnalysisResult } from '../notebookAnalysis';
import { clearOutputsEdit, describeClear, describeRedact, leakingOutputs, redactOutputEdits } from './storedOutputFix';
import { suppressInCell, suppressInText } from './suppressionFix';
import { applyEdits, type TextEdit } from './textEdits';

/** What fixing needs of the analysis library (an Analyzer). */
export interface FixEngine {
  analyze(notebook: Notebook): AnalysisResult;
  redact(text: string): string;
}

export interface FixOptions {
  /** Leaking stored outputs: replace their credentials, or clear the cell's outputs. */
  readonly outputs: 'redact' | 'clear';
  /** Add `# nbguard: ignore[...]` for the findings in code. */
  readonly suppress: boolean;
}

export interface FixPlan {
  readonly edits: TextEdit[];
  /** What the edits do, a line per cell (`Cell 3: redacted the credentials in its output`). */
  readonly done: string[];
  /** Findings the fix leaves (in code, when not suppressing). */
  readonly left: Finding[];
  /** Masks the credentials of a line of the notebook, for anything that shows it (a diff). */
  readonly masker: CodeMasker;
}

const byCell = (findings: readonly Finding[]) => {
  const cells = new Map<number, Finding[]>();
  for (const f of findings) cells.set(f.cell, [...(cells.get(f.cell) ?? []), f]);
  return cells;
};

export function planFix(engine: FixEngine, path: string, text: string, options: FixOptions): FixPlan {
  const notebook = readNotebookText(path, text);
  const { findings, secrets, masker } = engine.analyze(notebook);
  // Redaction by format, then the credentials the analysis found by the name printed beside them.
  const known = [...new Set(secrets)].filter((v) => v.length >= 8).sort((a, b) => b.length - a.length);
  const redact = (t: string) => known.reduce((out, v) => out.split(v).join('REDACTED_SECRET'), engine.redact(t));
  const code = findings.filter((f) => f.ruleId !== 'NBG401');
  const leaking = leakingOutputs(findings);
  const ipynb = notebook.format === 'ipynb';
  const map = ipynb && (leaking.size > 0 || (options.suppress && code.length > 0)) ? locateNotebookJson(text) : undefined;
  const edits: TextEdit[] = [];
  const done: string[] = [];
  const left: Finding[] = options.suppress ? [] : [...code];
  if (options.suppress && code.length > 0) {
    if (!ipynb) edits.push(...suppressInText(text, code));
    else if (map) for (const [cell, own] of byCell(code)) edits.push(...suppressInCell(text, map, cell, own));
    else left.push(...code);
    if (!ipynb || map) done.push(`suppressed ${code.length} finding${code.length === 1 ? '' : 's'} in code (# nbguard: ignore)`);
  }
  if (leaking.size > 0 && !map) left.push(...findings.filter((f) => f.ruleId === 'NBG401'));
  if (map && leaking.size > 0) {
    const outputEdits = new Map<number, TextEdit[]>();
    for (const cell of leaking.keys()) {
      const clear = clearOutputsEdit(map, cell);
      // Every output of the cell: a finding names the first that leaks, others may too.
      const outputs = map.cells[cell]?.outputStrings.keys() ?? [];
      const redacted = options.outputs === 'redact' ? [...outputs].flatMap((o) => redactOutputEdits(text, map, cell, o, redact)) : [];
      outputEdits.set(cell, redacted.length > 0 ? redacted : clear ? [clear] : []);
    }
    // Redaction must have cleaned the output: analyse the result, and clear what still leaks.
    const trial = applyEdits(text, [...edits, ...[...outputEdits.values()].flat()]);
    const still = leakingOutputs(engine.analyze(readNotebookText(path, trial)).findings);
    for (const [cell, cellEdits] of outputEdits) {
      const clear = clearOutputsEdit(map, cell);
      const final = still.has(cell) && clear ? [clear] : cellEdits;
      edits.push(...final);
      if (final.length === 0) continue;
      const cleared = clear !== undefined && final[0].start === clear.start && final[0].end === clear.end;
      done.push(cleared ? describeClear(cell) : describeRedact(cell, new Set(final.map((e) => outputIndexOf(map, cell, e.start))).size));
    }
  }
  return { edits, done, left, masker };
}

/** The index of the output of `cell` that holds offset `at`. */
function outputIndexOf(map: NotebookJsonMap, cell: number, at: number): number {
  return map.cells[cell]?.outputStrings.findIndex((tokens) => tokens.some((t) => t.start === at)) ?? -1;
}
