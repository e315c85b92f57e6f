// One open document the server analyses: a notebook (its cells indexed by URI, text kept
// across moves) or a .py file (Databricks source, # %% or plain, split into cells). A session
// owns its NotebookAnalysis, re-analyses after a debounce (a newer change replaces a pending
// run, so typing never queues work), and publishes diagnostics only where they changed: every
// cell that became clean gets an empty list, and closing clears them all.

import type { Connection, Diagnostic } from 'vscode-languageserver';
import { readNotebookText, type Analyzer, type AnalysisResult, type Cell, type NotebookAnalysis } from '../analysis';
import { magicsOf, prepareCellCode } from '../analysis/notebook/magics';
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
  lastResult: AnalysisResult | undefined;

  constructor(
    readonly uri: string,
    protected readonly connection: Connection,
    protected analyzer: Analyzer,
    protected settings: NbguardSettings,
  ) {}

  /** The cells in analysis-model form, their stable keys, and the model's file format. */
  protected abstract model(): { cells: Cell[]; keys: string[]; format: 'ipynb' | 'databricks' | 'percent' | 'plain' };
  /** Maps (cell, reported line) to an editor URI and line. */
  abstract positions(): PositionMap;
  /** Every URI this session may publish to. */
  protected abstract uris(): string[];
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
        this.analysis = this.analyzer.open({ path: this.uri, format, cells }, { order: this.settings.analysisOrder });
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

  private publish(result: AnalysisResult): void {
    const map = this.positions();
    const byUri = new Map<string, Diagnostic[]>();
    for (const uri of this.uris()) byUri.set(uri, []);
    for (const f of result.findings) {
      const uri = map.uriOfCell(f.cell);
      const diagnostic = uri ? toDiagnostic(f, map, this.settings.rules[f.ruleId]) : undefined;
      if (uri && diagnostic) byUri.set(uri, [...(byUri.get(uri) ?? []), diagnostic]);
    }
    // Cells that are gone but had diagnostics get an empty list too.
    for (const uri of this.published.keys()) if (!byUri.has(uri)) byUri.set(uri, []);
    for (const [uri, diagnostics] of byUri) {
      const json = JSON.stringify(diagnostics);
      if ((this.published.get(uri) ?? '[]') === json) continue;
      if (diagnostics.length === 0) this.published.delete(uri);
      else this.published.set(uri, json);
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
  }

  /** New rules or settings: start the analysis afresh. */
  reset(analyzer: Analyzer, settings: NbguardSettings): void {
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

  protected model() {
    const built = new Map<string, { from: SessionCell; index: number; cell: Cell }>();
    const cells = this.cells.map((c, index): Cell => {
      const last = this.built.get(c.uri);
      const same = last && last.index === index && last.from.text === c.text && last.from.kind === c.kind && last.from.executionCount === c.executionCount && last.from.outputs === c.outputs;
      const cell = same ? last.cell : this.buildCell(c, index);
      built.set(c.uri, { from: c, index, cell });
      return cell;
    });
    this.built = built;
    return { cells, keys: this.cells.map((c) => c.uri), format: 'ipynb' as const };
  }

  private buildCell(c: SessionCell, index: number): Cell {
    if (c.kind !== 'code') return { index, kind: 'markdown', code: c.text, firstLine: 1, executionCount: null };
    const p = prepareCellCode(c.text.replace(/\r\n?/g, '\n'));
    return { index, kind: 'code', code: p.code ?? c.text, firstLine: 1, executionCount: c.executionCount, skipReason: p.skipReason, outputs: c.outputs, ...magicsOf(p) };
  }

  positions(): PositionMap {
    return { uriOfCell: (cell) => this.cells[cell]?.uri, lineOf: (_cell, line) => line - 1, hasCells: true };
  }

  protected uris(): string[] {
    return this.cells.map((c) => c.uri);
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

  protected uris(): string[] {
    return [this.uri];
  }

  allText(): string {
    return this.text;
  }

  get isDatabricks(): boolean {
    return this.format === 'databricks';
  }
}
