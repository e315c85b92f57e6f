// One open document the server analyses: a notebook (its cells indexed by URI, text kept
// across moves) or a .py file (Databricks source, # %% or plain, split into cells). A session
// owns its NotebookAnalysis, re-analyses after a debounce (a newer change replaces a pending
// run, so typing never queues work), and publishes diagnostics only where they changed: every
// cell that became clean gets an empty list, and closing clears them all.

import type { Connection, Diagnostic } from 'vscode-languageserver';
import { readNotebookText, type Analyzer, type AnalysisResult, type Cell, type Finding, type NotebookAnalysis } from '../analysis';
import { magicsOf, prepareCellCode } from '../analysis/notebook/magics';
import { isAnalysed } from '../analysis/notebook/model';
import type { ParseHelper } from '../node/parseHelper';
import { toDiagnostic, type PositionMap } from './diagnostics';
import type { NbguardSettings } from './settings';

export interface SessionCell {
  readonly uri: string;
  readonly text: string;
  readonly kind: 'code' | 'markdown';
  readonly executionCount: number | null;
  readonly outputs?: readonly Record<string, unknown>[];
}

export abstract class DocumentSession {
  private analysis: NotebookAnalysis | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** What was last published per URI (JSON), so unchanged cells are not re-sent. */
  private readonly published = new Map<string, string>();
  /** The findings last published per URI, to skip converting the same findings again. */
  private readonly findingsPublished = new Map<string, readonly Finding[]>();
  /** Changes when cells are added, deleted or moved (a URI then names another index). */
  protected cellPlaces = 0;
  private placesPublished = 0;
  lastResult: AnalysisResult | undefined;

  constructor(
    readonly uri: string,
    protected readonly connection: Connection,
    protected analyzer: Analyzer,
    protected settings: NbguardSettings,
    /** A thread that parses a big notebook's cells ahead of this one as it opens it. */
    private readonly helper?: ParseHelper,
  ) {}

  /** The cells in analysis-model form, their stable keys, and the model's file format. */
  protected abstract model(): { cells: Cell[]; keys: string[]; format: 'ipynb' | 'databricks' | 'percent' | 'plain' };
  /** Maps (cell, reported line) to an editor URI and line. */
  abstract positions(): PositionMap;
  /** The text of every cell, for quick fixes that look at the whole notebook. */
  abstract allText(): string;
  abstract get isDatabricks(): boolean;

  /** Analyses after the debounce; a later call replaces a pending one. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runNow();
    }, this.settings.debounceMs);
  }

  /** Analyses now and publishes; errors are logged, never thrown (the server must stay up). */
  runNow(): AnalysisResult | undefined {
    try {
      const { cells, keys, format } = this.model();
      if (!this.analysis) {
        const trees = this.helper?.start(cells.filter(isAnalysed).map((c) => c.code));
        try {
          this.analysis = this.analyzer.open({ path: this.uri, format, cells }, { order: this.settings.analysisOrder, trees });
        } finally {
          trees?.finish();
        }
        if (trees) this.connection.console.log(`nbguard: opened ${this.uri}: ${trees.fromHelper} of ${trees.cells} cells parsed on the helper thread`);
        this.analysis.setCells(cells, keys);
      } else {
        this.analysis.setOrder(this.settings.analysisOrder);
        this.analysis.setCells(cells, keys);
      }
      const result = this.analysis.analyze();
      this.lastResult = result;
      this.publish(result);
      return result;
    } catch (error) {
      this.connection.console.error(`nbguard: analysing ${this.uri} failed: ${(error as Error).stack ?? error}`);
      return undefined;
    }
  }

  /**
   * Sends the diagnostics of the URIs whose diagnostics changed: those with findings now, and
   * those that had some (which get an empty list when they have none left, or are gone). The
   * work follows the findings, not the notebook's size.
   */
  private publish(result: AnalysisResult): void {
    const map = this.positions();
    // Where the cells are changed: findings that are the same objects may now point elsewhere.
    if (this.cellPlaces !== this.placesPublished) {
      this.findingsPublished.clear();
      this.placesPublished = this.cellPlaces;
    }
    const byUri = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const uri = map.uriOfCell(f.cell);
      if (!uri) continue;
      const list = byUri.get(uri);
      if (list) list.push(f);
      else byUri.set(uri, [f]);
    }
    for (const uri of this.published.keys()) if (!byUri.has(uri)) byUri.set(uri, []);
    for (const [uri, findings] of byUri) {
      // The very findings published last time (an analysis replays unchanged ones as the same
      // objects): nothing to convert, compare or send.
      const last = this.findingsPublished.get(uri);
      if (last && last.length === findings.length && last.every((f, i) => f === findings[i])) continue;
      if (findings.length > 0) this.findingsPublished.set(uri, findings);
      else this.findingsPublished.delete(uri);
      const diagnostics: Diagnostic[] = [];
      for (const f of findings) {
        const d = toDiagnostic(f, map, this.settings.rules[f.ruleId]);
        if (d) diagnostics.push(d);
      }
      const json = JSON.stringify(diagnostics);
      if ((this.published.get(uri) ?? '[]') === json) continue;
      if (diagnostics.length === 0) this.published.delete(uri);
      else this.published.set(uri, json);
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
  }

  /** New rules or settings: start the analysis afresh. */
  reset(analyzer: Analyzer, settings: NbguardSettings): void {
    this.findingsPublished.clear(); // severities may have changed
    this.analyzer = analyzer;
    this.settings = settings;
    this.analysis?.dispose();
    this.analysis = undefined;
    this.schedule();
  }

  /** Clears every diagnostic this session published and frees its memory. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const uri of this.published.keys()) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.clear();
    this.findingsPublished.clear();
    this.analysis?.dispose();
    this.analysis = undefined;
  }
}

/** A Jupyter notebook (or the interactive window) synced cell by cell. */
export class NotebookSession extends DocumentSession {
  cells: SessionCell[] = [];

  /**
   * The analysis Cell last built for each cell URI with what it was built from: an unchanged
   * cell keeps its Cell object (no work, no garbage on every keystroke in a large notebook).
   */
  private built = new Map<string, { from: SessionCell; index: number; cell: Cell }>();
  /** The last model's session cells, Cells and keys, by position: typing changes one of them. */
  private lastFrom: SessionCell[] = [];
  private lastCells: Cell[] = [];
  private lastKeys: string[] = [];

  protected model() {
    const from = this.cells;
    // Cells added, deleted or moved: the URIs by position differ. Then every cell is looked up
    // by URI (a moved cell keeps its Cell if its place in the list is the same).
    let moved = from.length !== this.lastFrom.length;
    const cells: Cell[] = new Array<Cell>(from.length);
    for (let index = 0; index < from.length; index++) {
      const c = from[index];
      if (this.lastFrom[index] === c) {
        cells[index] = this.lastCells[index];
        continue;
      }
      if (this.lastFrom[index]?.uri !== c.uri) moved = true;
      const last = this.built.get(c.uri);
      const same = last && last.index === index && last.from.text === c.text && last.from.kind === c.kind && last.from.executionCount === c.executionCount && last.from.outputs === c.outputs;
      cells[index] = same ? last.cell : this.buildCell(c, index);
      this.built.set(c.uri, { from: c, index, cell: cells[index] });
    }
    if (moved) {
      this.cellPlaces++;
      this.built = new Map(from.map((c, index) => [c.uri, { from: c, index, cell: cells[index] }]));
      this.lastKeys = from.map((c) => c.uri);
    }
    this.lastFrom = from;
    this.lastCells = cells;
    return { cells, keys: this.lastKeys, format: 'ipynb' as const };
  }

  private buildCell(c: SessionCell, index: number): Cell {
    if (c.kind !== 'code') return { index, kind: 'markdown', code: c.text, firstLine: 1, executionCount: null };
    const p = prepareCellCode(c.text.replace(/\r\n?/g, '\n'));
    return { index, kind: 'code', code: p.code ?? c.text, firstLine: 1, executionCount: c.executionCount, skipReason: p.skipReason, outputs: c.outputs, ...magicsOf(p) };
  }

  positions(): PositionMap {
    return { uriOfCell: (cell) => this.cells[cell]?.uri, lineOf: (_cell, line) => line - 1, hasCells: true };
  }

  allText(): string {
    return this.cells.map((c) => c.text).join('\n');
  }

  get isDatabricks(): boolean {
    return false;
  }
}

/** A .py document: Databricks source, # %% percent format or a plain script. */
export class TextSession extends DocumentSession {
  text = '';
  private format: 'databricks' | 'percent' | 'plain' = 'plain';

  protected model() {
    const notebook = readNotebookText(this.uri.endsWith('.py') ? this.uri : `${this.uri}.py`, this.text);
    this.format = notebook.format as 'databricks' | 'percent' | 'plain';
    return { cells: [...notebook.cells], keys: notebook.cells.map((_, i) => String(i)), format: this.format };
  }

  positions(): PositionMap {
    return { uriOfCell: () => this.uri, lineOf: (_cell, line) => line - 1, hasCells: this.format !== 'plain' };
  }

  allText(): string {
    return this.text;
  }

  get isDatabricks(): boolean {
    return this.format === 'databricks';
  }
}
