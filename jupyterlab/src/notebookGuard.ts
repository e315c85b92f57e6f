// One open notebook under watch: its cells (code, execution counts, stored outputs, metadata)
// are analysed in execution order, again a moment after each change (typing, running, moving,
// adding or deleting cells), and the findings (with the user's severities) go to the cells'
// editors and to whoever listens (the findings panel). The analysis is kept between changes and
// keyed by cell id, and a cell is read from the model again only when it changed, so an edit
// costs its cell, not the notebook; new settings re-configure it.

import type { ICellModel, ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { ipynbNotebook, withSeverities, type Analyzer, type CodeMasker, type Finding, type IpynbCellMemo, type NotebookAnalysis, type QuickFix } from '../../server/src/analysis';
import type { Engine } from './engine';
import { clearOutputs, editCell, fixesOf, notebookCode, redactOutputs } from './fixes';
import { markCell, markOutputs } from './marks';
import type { LabSettings } from './settings';

export class NotebookGuard {
  readonly changed = new Signal<NotebookGuard, readonly Finding[]>(this);
  private analysis: NotebookAnalysis | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: readonly Finding[] = [];
  /** Masks credentials in code lines the panel shows (the last run's). */
  private masker: CodeMasker | undefined;
  /** What went wrong in the last run (never the notebook's text). */
  private runProblem: string | undefined;
  private runs = 0;
  private analyzer: Analyzer;
  /** The notebook's code as of the last run, for planning fixes (built when first needed). */
  private code: string | undefined;
  /**
   * Each cell's nbformat JSON as last read, dropped when its shared model changes (source,
   * outputs, execution count, metadata): an unchanged cell hands the same object to the library,
   * which gives back the same Cell (`memo`), so a keystroke costs its cell, not the notebook.
   */
  private readonly rawCells = new WeakMap<ICellModel, object>();
  /** The cell models whose change signals are connected (once each). */
  private readonly watched = new WeakSet<ICellModel>();
  private readonly memo: IpynbCellMemo = new WeakMap();

  constructor(
    readonly panel: NotebookPanel,
    private engine: Engine,
    private settings: LabSettings,
  ) {
    this.analyzer = engine.analyzer;
    panel.context.model.contentChanged.connect(this.schedule, this);
    panel.content.modelContentChanged.connect(this.schedule, this);
    this.run();
  }

  get findings(): readonly Finding[] {
    return this.current;
  }

  /** What the panel should say went wrong: the last run's problem, else the rules'. */
  get problem(): string | undefined {
    return this.runProblem ?? this.engine.problem;
  }

  /** New settings (and the engine of their rule files): the notebook is analysed again under them. */
  configure(engine: Engine, settings: LabSettings): void {
    if (engine.analyzer !== this.analyzer) {
      this.analysis?.dispose();
      this.analysis = undefined;
      this.analyzer = engine.analyzer;
    }
    this.engine = engine;
    this.settings = settings;
    this.run();
  }

  schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.settings.debounceMs);
  }

  /** Analyses the notebook as it is now and shows the findings. */
  run(): void {
    this.timer = undefined;
    this.code = undefined;
    if (this.panel.isDisposed) return;
    const started = performance.now();
    const model = this.panel.context.model;
    try {
      const keys: string[] = [];
      const cells: object[] = [];
      for (let i = 0; i < model.cells.length; i++) {
        const cell = model.cells.get(i);
        keys.push(cell.id);
        cells.push(this.rawCell(cell));
      }
      const notebook = ipynbNotebook(this.panel.context.path, { nbformat: 4, nbformat_minor: 5, metadata: model.metadata, cells }, this.memo);
      if (!this.analysis) this.analysis = this.analyzer.open(notebook);
      this.analysis.setOrder(this.settings.analysisOrder);
      this.analysis.setCells(notebook.cells, keys);
      const result = this.analysis.analyze();
      this.current = withSeverities(result.findings, this.settings.severities);
      this.masker = result.masker;
      this.runProblem = undefined;
    } catch (error) {
      // A notebook the library cannot read keeps its last findings; the panel says why.
      this.runProblem = `nbguard could not analyse this notebook (${(error as Error).name})`;
    }
    this.show();
    // For the end-to-end test and the latency benchmark: analyses run so far, the last one's time,
    // the findings (the notebook renders only the cells in view, so marks cannot be counted).
    this.panel.node.dataset.nbguardRuns = String(++this.runs);
    this.panel.node.dataset.nbguardMs = (performance.now() - started).toFixed(2);
    this.panel.node.dataset.nbguardFindings = String(this.current.length);
    this.changed.emit(this.current);
  }

  /** The cell's nbformat JSON: the one read before while the cell has not changed. */
  private rawCell(cell: ICellModel): object {
    let raw = this.rawCells.get(cell);
    if (!raw) {
      raw = cell.toJSON();
      this.rawCells.set(cell, raw);
      this.watch(cell);
    }
    return raw;
  }

  /**
   * Forgets a cell's JSON on any change to it: its shared model (source, metadata, execution
   * count), its content and state, and its outputs, whose own model changes first (a redaction,
   * a kernel's stream) and reaches the shared model later.
   */
  private watch(cell: ICellModel): void {
    if (this.watched.has(cell)) return;
    this.watched.add(cell);
    const forget = () => this.rawCells.delete(cell);
    cell.sharedModel.changed.connect(forget, this);
    cell.contentChanged.connect(forget, this);
    cell.stateChanged.connect(forget, this);
    cell.metadataChanged.connect(forget, this);
    if (cell.type === 'code') (cell as ICodeCellModel).outputs.changed.connect(forget, this);
  }

  /** Line `line` (1-based) of cell `cell` as a report may show it: trimmed, credentials masked. */
  shownLine(cell: number, line: number): string | undefined {
    const source = this.panel.content.widgets[cell]?.model.sharedModel.getSource();
    if (source === undefined || !this.masker) return undefined;
    return this.masker.lines(source.split('\n'))(line - 1)?.trim();
  }

  /** The quick fixes for `finding` on the notebook as it is now (library-planned, as in VS Code). */
  fixes(finding: Finding): QuickFix[] {
    this.code ??= notebookCode(this.panel);
    return fixesOf(this.panel, this.analyzer, finding, this.code, this.settings.secretScope);
  }

  /** Applies one of `finding`'s fixes: edits of its cell, or its cell's outputs redacted or cleared. */
  applyFix(finding: Finding, fix: QuickFix): void {
    if ('edits' in fix) {
      editCell(this.panel, finding.cell, fix.edits);
      this.run();
    } else if (fix.outputs === 'redact') this.redactOutputs([finding]);
    else this.clearOutputs([finding]);
  }

  /**
   * Applies the fix titled `title` as planned now: a hover's action was planned when its marks
   * were set, and the notebook may have changed since (another cell may import os by now).
   */
  applyFixTitled(finding: Finding, title: string): void {
    const fix = this.fixes(finding).find((f) => f.title === title);
    if (fix) this.applyFix(finding, fix);
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
    const inCode = new Map<number, Finding[]>();
    const inOutputs = new Map<number, Finding[]>();
    for (const f of this.current) {
      const byCell = f.output === undefined ? inCode : inOutputs;
      byCell.set(f.cell, [...(byCell.get(f.cell) ?? []), f]);
    }
    this.panel.content.widgets.forEach((cell, index) => {
      void cell.ready.then(() => {
        markCell(cell, inCode.get(index) ?? [], this);
        if (cell.model.type === 'code') markOutputs(cell, inOutputs.get(index) ?? []);
      });
    });
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    Signal.clearData(this);
    this.analysis?.dispose();
    this.analysis = undefined;
  }
}
