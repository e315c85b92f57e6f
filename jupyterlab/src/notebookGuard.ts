// One open notebook under watch: its cells (code, execution counts, stored outputs, metadata)
// are analysed in execution order, again a moment after each change (typing, running, moving,
// adding or deleting cells), and the findings go to the cells' editors and to whoever listens
// (the findings panel). The analysis is kept between changes and keyed by cell id, so an edit
// re-parses only its cell.

import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { ipynbNotebook, type Analyzer, type CodeMasker, type Finding, type NotebookAnalysis } from '../../server/src/analysis';
import { clearOutputs, redactOutputs, suppress } from './fixes';
import { markCell } from './marks';

/** Typing pauses this long before the notebook is analysed again. */
const DEBOUNCE_MS = 250;

export class NotebookGuard {
  readonly changed = new Signal<NotebookGuard, readonly Finding[]>(this);
  private analysis: NotebookAnalysis | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: readonly Finding[] = [];
  /** Masks credentials in code lines the panel shows (the last run's). */
  private masker: CodeMasker | undefined;
  /** What went wrong in the last run (never the notebook's text). */
  problem: string | undefined;
  private runs = 0;

  constructor(
    readonly panel: NotebookPanel,
    private readonly analyzer: Analyzer,
  ) {
    panel.context.model.contentChanged.connect(this.schedule, this);
    panel.content.modelContentChanged.connect(this.schedule, this);
    this.run();
  }

  get findings(): readonly Finding[] {
    return this.current;
  }

  schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), DEBOUNCE_MS);
  }

  /** Analyses the notebook as it is now and shows the findings. */
  run(): void {
    this.timer = undefined;
    if (this.panel.isDisposed) return;
    const started = performance.now();
    const model = this.panel.context.model;
    try {
      const notebook = ipynbNotebook(this.panel.context.path, model.toJSON());
      const keys: string[] = [];
      for (let i = 0; i < model.cells.length; i++) keys.push(model.cells.get(i).id);
      if (!this.analysis) this.analysis = this.analyzer.open(notebook);
      this.analysis.setCells(notebook.cells, keys);
      const result = this.analysis.analyze();
      this.current = result.findings;
      this.masker = result.masker;
      this.problem = undefined;
    } catch (error) {
      // A notebook the library cannot read keeps its last findings; the panel says why.
      this.problem = `nbguard could not analyse this notebook (${(error as Error).name})`;
    }
    this.show();
    // For the end-to-end test and the latency benchmark: analyses run so far, the last one's time,
    // the findings (the notebook renders only the cells in view, so marks cannot be counted).
    this.panel.node.dataset.nbguardRuns = String(++this.runs);
    this.panel.node.dataset.nbguardMs = (performance.now() - started).toFixed(2);
    this.panel.node.dataset.nbguardFindings = String(this.current.length);
    this.changed.emit(this.current);
  }

  /** Line `line` (1-based) of cell `cell` as a report may show it: trimmed, credentials masked. */
  shownLine(cell: number, line: number): string | undefined {
    const source = this.panel.content.widgets[cell]?.model.sharedModel.getSource();
    if (source === undefined || !this.masker) return undefined;
    return this.masker.lines(source.split('\n'))(line - 1)?.trim();
  }

  /** Adds a `# nbguard: ignore[ID]` comment for `finding` on its line. */
  suppress(finding: Finding): void {
    suppress(this.panel, finding);
    this.run();
  }

  /** Redacts the credentials in the leaking outputs (of `only`, else all); what still leaks is cleared. */
  redactOutputs(only: readonly Finding[] = this.current): void {
    const cells = redactOutputs(this.panel, this.analyzer, only);
    this.run();
    clearOutputs(this.panel, this.current.filter((f) => cells.includes(f.cell)));
    this.run();
  }

  /** Clears the outputs of the cells whose stored outputs leak (of `only`, else all). */
  clearOutputs(only: readonly Finding[] = this.current): void {
    clearOutputs(this.panel, only);
    this.run();
  }

  /** Puts each cell's findings on its editor (once the editor exists: cells render lazily). */
  private show(): void {
    const byCell = new Map<number, Finding[]>();
    for (const f of this.current) if (f.output === undefined) byCell.set(f.cell, [...(byCell.get(f.cell) ?? []), f]);
    this.panel.content.widgets.forEach((cell, index) => {
      void cell.ready.then(() => markCell(cell, byCell.get(index) ?? []));
    });
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    Signal.clearData(this);
    this.analysis?.dispose();
    this.analysis = undefined;
  }
}
