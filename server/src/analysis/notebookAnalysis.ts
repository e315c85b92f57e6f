// The analysis of one notebook, kept alive between edits. Each cell is parsed once and its
// facts (lowered statements, hardcoded literals) cached; replacing a cell's text re-parses that
// cell alone (incrementally), and analyse() re-runs the dataflow over the cached facts of all
// cells in analysis order. This is what the language server calls on every keystroke.

import type { Parser } from 'web-tree-sitter';
import { FindingCollector, type RawFinding } from './findings/collector';
import { compareFindings, type Finding } from './findings/finding';
import type { RuleId } from './findings/ruleCatalog';
import { CodeMasker } from './findings/codeMasker';
import type { CellFacts } from './lower/ir';
import { prepareCellCode, type CellMagicResult } from './notebook/magics';
import { isAnalysed, toReported, type Cell, type Notebook } from './notebook/model';
import { orderCells, type AnalysisOrder } from './notebook/order';
import { ParsedCell } from './parse/cellParser';
import { checkMaxCellSize, DEFAULT_MAX_CELL_SIZE } from './parse/sizeLimit';
import type { TreeSource } from './parse/sharedTrees';
import type { CompiledRules } from './rules/compiledRules';
import type { RunContext } from './dataflow/context';
import type { HardcodedMap } from './dataflow/hardcoded';
import { cellCredentials } from './dataflow/commentCredentials';
import { Scope, type UndoLog } from './dataflow/scope';
import { noteChanges, readsAny, type RunStep } from './dataflow/runSteps';
import { execCell } from './dataflow/statements';
import { scanCellOutputs, type OutputSecret } from './outputs/scanOutputs';
import { scanStructured, type StructuredSecret } from './outputs/scanStructured';
import { reportHardcoded, reportMetadata, reportOutputs } from './findings/storedFindings';
import { sameCell, sameMagics } from './notebook/sameCell';

export interface AnalysisOptions {
  readonly order?: AnalysisOrder;
  /**
   * The size limit per cell in bytes (default 4 MB, at most 6 MB: parse/sizeLimit.ts). A bigger
   * cell is skipped and reported in syntaxErrors; the other cells are analysed.
   */
  readonly maxCellSize?: number;
  /** Trees another thread is parsing for this open (parse/sharedTrees.ts); only the open reads them. */
  readonly trees?: TreeSource;
}

export interface SyntaxProblem {
  readonly file: string;
  readonly cell: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface AnalysisResult {
  readonly findings: Finding[];
  /** Places where a cell does not parse; the rest of the notebook was still analysed. */
  readonly syntaxErrors: SyntaxProblem[];
  /** The credentials found (hardcoded, and in stored outputs), so that reports showing code can mask them and `fix` can redact them. */
  readonly secrets: string[];
  /** Masks the code lines a report shows (detector matches, these secrets, PEM bodies). */
  readonly masker: CodeMasker;
}

interface CellEntry {
  cell: Cell;
  parsed?: ParsedCell;
  hardcoded?: HardcodedMap;
  /** Credentials in the cell's stored outputs (NBG401). */
  outputSecrets?: OutputSecret[];
  /** A credential in the cell's metadata (NBG401). */
  metadataSecret?: StructuredSecret;
  /** The caller's stable identity for the cell (an editor's cell URI), if it gave one. */
  key?: string;
}

export class NotebookAnalysis {
  private entries: CellEntry[];
  private order: AnalysisOrder;
  private readonly maxCellSize: number;
  private parseCount = 0;
  /** Unique ids for parsed cells (function ids derive from them; indices move, ids do not). */
  private nextCellId = 0;
  /** The module scope after the last run, and how each cell of that run changed it. */
  private readonly moduleScope = Scope.module();
  private steps: RunStep[] = [];
  /** The Finding made of each reported RawFinding: replayed findings stay the same objects. */
  private readonly reported = new WeakMap<RawFinding, Finding>();
  /** A credential in the notebook's own metadata (Databricks widget values, papermill parameters). */
  private readonly notebookStructuredSecret: StructuredSecret | undefined;
  /** The notebook's file (findings name it) and format (a plain script echoes nothing). */
  private readonly notebook: Pick<Notebook, 'path' | 'format'>;

  constructor(
    private readonly parser: Parser,
    private readonly rules: CompiledRules,
    notebook: Notebook,
    options: AnalysisOptions = {},
    /** Delete the parser with the analysis (it was made for this notebook alone). */
    private readonly ownsParser = false,
  ) {
    this.notebook = { path: notebook.path, format: notebook.format };
    this.order = options.order ?? 'execution';
    this.maxCellSize = checkMaxCellSize(options.maxCellSize ?? DEFAULT_MAX_CELL_SIZE);
    this.entries = notebook.cells.map((cell) => this.entryFor(cell, options.trees));
    this.notebookStructuredSecret = notebook.metadata ? scanStructured(notebook.metadata, rules.detectors) : undefined;
  }

  /** How many times a cell was parsed since opening (a measure of incremental work). */
  get parses(): number {
    return this.parseCount;
  }

  get cells(): readonly Cell[] {
    return this.entries.map((e) => e.cell);
  }

  setOrder(order: AnalysisOrder): void {
    this.order = order;
  }

  /** Replaces the source of the cell at `index` (document order); only that cell is re-parsed. */
  updateCell(index: number, source: string, executionCount?: number | null): void {
    const entry = this.entries[index];
    if (!entry) throw new RangeError(`no cell ${index} in ${this.notebook.path}`);
    const prepared: CellMagicResult = entry.cell.kind === 'code' ? prepareCellCode(source) : { code: source };
    const code = prepared.code ?? source;
    const before = entry.cell;
    entry.cell = {
      ...before,
      code,
      skipReason: prepared.skipReason,
      executionCount: executionCount === undefined ? entry.cell.executionCount : executionCount,
      magics: prepared.magics,
    };
    if (isAnalysed(entry.cell)) {
      if (!entry.parsed) {
        entry.parsed = new ParsedCell(this.parser, String(this.nextCellId++), code, this.maxCellSize);
        this.parseCount++;
        entry.hardcoded = this.credentialsOf(entry.parsed, entry.cell);
      } else if (entry.parsed.update(code)) {
        this.parseCount++;
        entry.hardcoded = this.credentialsOf(entry.parsed, entry.cell);
      } else if (!sameMagics(before.magics, entry.cell.magics)) {
        entry.hardcoded = this.credentialsOf(entry.parsed, entry.cell);
      }
    }
  }

  /** Sets the execution count of the cell at `index` (a cell ran, or was edited). */
  setExecutionCount(index: number, executionCount: number | null): void {
    const entry = this.entries[index];
    if (entry) entry.cell = { ...entry.cell, executionCount };
  }

  /**
   * Replaces the whole cell list (cells inserted, deleted, moved or edited). With `keys` (stable
   * cell identities such as the editor's cell URIs, one per cell) a cell keeps its parse across
   * moves and an edited cell is re-parsed incrementally; without them, cells whose code is
   * unchanged keep their parse wherever they moved.
   */
  setCells(cells: readonly Cell[], keys?: readonly string[]): void {
    // The common case while typing: the same cells (keys) in the same places, all but the edited
    // one the very objects of the last call. Only a changed cell is looked at; no index is built.
    if (keys && cells.length === this.entries.length && this.entries.every((e, i) => e.key === keys[i])) {
      const entries = this.entries;
      for (let i = 0; i < cells.length; i++) {
        const entry = entries[i];
        if (entry.cell === cells[i]) continue;
        const cell = sameCell(entry.cell, cells[i]) ? entry.cell : cells[i];
        if (entry.parsed && isAnalysed(cell)) entries[i] = this.reuseEntry(entry, cell, keys[i]);
        else {
          entry.parsed?.dispose();
          entries[i] = { ...this.entryFor(cell), key: keys[i] };
        }
      }
      return;
    }
    const byKey = new Map<string, CellEntry>();
    const byCode = new Map<string, CellEntry[]>();
    for (const e of this.entries) {
      if (!e.parsed) continue;
      if (e.key !== undefined) byKey.set(e.key, e);
      byCode.set(e.cell.code, [...(byCode.get(e.cell.code) ?? []), e]);
    }
    const used = new Set<CellEntry>();
    const next = cells.map((given, i): CellEntry => {
      // Keep the previous Cell object when nothing in it changed: the incremental dataflow
      // recognises unchanged cells by identity.
      const previous = this.entries[i]?.cell;
      const cell = previous && sameCell(previous, given) ? previous : given;
      const key = keys?.[i];
      let reuse = key !== undefined ? byKey.get(key) : undefined;
      if (!reuse || used.has(reuse)) reuse = byCode.get(cell.code)?.find((e) => !used.has(e));
      if (!reuse?.parsed || !isAnalysed(cell)) return { ...this.entryFor(cell), key };
      used.add(reuse);
      return this.reuseEntry(reuse, cell, key);
    });
    const kept = new Set(next.map((e) => e.parsed));
    for (const e of this.entries) if (e.parsed && !kept.has(e.parsed)) e.parsed.dispose();
    this.entries = next;
  }

  /** `reuse`'s parse brought up to `cell` (re-parsed incrementally if its code changed). */
  private reuseEntry(reuse: CellEntry, cell: Cell, key: string | undefined): CellEntry {
    const parsed = reuse.parsed!;
    let hardcoded = reuse.hardcoded;
    if (parsed.update(cell.code)) {
      this.parseCount++;
      hardcoded = this.credentialsOf(parsed, cell);
    } else if (!sameMagics(reuse.cell.magics, cell.magics)) {
      hardcoded = this.credentialsOf(parsed, cell);
    }
    const outputSecrets = reuse.cell.outputs === cell.outputs ? reuse.outputSecrets : this.scanOutputs(cell);
    const metadataSecret = reuse.cell.metadata === cell.metadata ? reuse.metadataSecret : this.scanMetadata(cell);
    return { cell, parsed, hardcoded, outputSecrets, metadataSecret, key };
  }

  /** The entries by their cell's index (the entries themselves: cells are indexed in document order). */
  private entriesByIndex(): readonly (CellEntry | undefined)[] {
    if (this.entries.every((e, i) => e.cell.index === i)) return this.entries;
    const byIndex: (CellEntry | undefined)[] = [];
    for (const e of this.entries) byIndex[e.cell.index] = e;
    return byIndex;
  }

  /**
   * Runs the taint analysis and the hardcoded-credential check over the current cells. The
   * cells before the first one that changed (in analysis order) are not run again: the module
   * scope is rolled back to that cell and their findings are replayed.
   */
  analyze(): AnalysisResult {
    const file = this.notebook.path;
    const collector = new FindingCollector(file, this.reported);
    // Each cell's facts and hardcoded literals, looked up by cell index in the entries (no index
    // is built per run: an edit of one cell in 5,000 must not cost 5,000 map entries).
    const byIndex = this.entriesByIndex();
    const analysed = (index: number) => {
      const e = byIndex[index];
      return e?.parsed && isAnalysed(e.cell) ? e : undefined;
    };
    const factsOf = (index: number) => analysed(index)?.parsed!.facts;
    const hardcodedOf = (index: number): HardcodedMap | undefined => {
      const h = analysed(index)?.hardcoded;
      return h && h.size > 0 ? h : undefined;
    };
    const hardcoded = { get: hardcodedOf };
    const ordered = orderCells(this.cells, this.order).filter((c) => analysed(c.index) !== undefined);
    let first = 0;
    while (
      first < this.steps.length &&
      first < ordered.length &&
      this.steps[first].cell === ordered[first] &&
      this.steps[first].facts === factsOf(ordered[first].index) &&
      this.steps[first].hardcoded === hardcodedOf(ordered[first].index)
    ) {
      first++;
    }
    for (let i = this.steps.length - 1; i >= first; i--) this.moduleScope.restore(this.steps[i].undo);
    const previousRun = this.steps;
    this.steps = this.steps.slice(0, first);
    for (const step of this.steps) for (const f of step.findings) collector.report(f);

    const previous = this.steps[first - 1];
    const ctx: RunContext = {
      rules: this.rules,
      findings: collector,
      hardcoded,
      cell: ordered[0],
      callStack: [],
      returns: null,
      topLevel: true,
      echoes: this.notebook.format !== 'plain',
      calls: previous?.calls ?? 0,
    };
    // Names whose module-level value differs from the previous run's at this point. Empty at
    // the first changed cell: everything before it is as it was.
    const changed = new Set<string>();
    for (let i = first; i < ordered.length; i++) {
      const old = previousRun[i];
      const cell = ordered[i];
      if (old && old.cell === cell && old.facts === factsOf(cell.index) && old.hardcoded === hardcodedOf(cell.index) && !readsAny(old.reads, changed)) {
        // The same cell, reading nothing that changed: it would compute what it computed before.
        // Its undo log stays right unless a name it writes (but does not read) changed before it.
        let step = old;
        if (readsAny(new Set(old.redo.keys()), changed)) {
          const undo: UndoLog = new Map();
          for (const name of old.redo.keys()) undo.set(name, this.moduleScope.peek(name));
          step = { ...old, undo };
        }
        this.moduleScope.restore(old.redo);
        for (const f of old.findings) collector.report(f);
        for (const name of old.redo.keys()) changed.delete(name);
        this.steps.push(step);
        ctx.calls = old.calls;
        continue;
      }
      const step = this.runCell(ctx, collector, cell, factsOf(cell.index)!, hardcodedOf(cell.index));
      this.steps.push(step);
      noteChanges(changed, step, old);
    }

    reportHardcoded(this.entries, collector);
    reportOutputs(this.entries, collector);
    reportMetadata(this.entries, this.notebookStructuredSecret, collector);
    const suppressed = (cell: Cell, row: number, ruleId: RuleId) => {
      const ids = factsOf(cell.index)?.suppressions.get(row);
      return ids !== undefined && (ids === null || ids.has(ruleId));
    };
    const findings = collector.findings(suppressed).sort(compareFindings);
    // Hardcoded literals, and what stored outputs show (a printed credential may also be in code).
    const secrets: string[] = [];
    for (const e of this.entries) {
      const h = hardcodedOf(e.cell.index);
      if (h) for (const lit of h.values()) secrets.push(lit.value);
      for (const leak of e.outputSecrets ?? []) secrets.push(leak.match.value);
    }
    const failures: SyntaxProblem[] = [];
    for (const s of this.steps) if (s.failure) failures.push(s.failure);
    return { findings, syntaxErrors: [...this.syntaxErrors(file), ...failures], secrets, masker: new CodeMasker(this.rules.detectors, secrets) };
  }

  private runCell(ctx: RunContext, collector: FindingCollector, cell: Cell, facts: CellFacts, hardcoded: HardcodedMap | undefined): RunStep {
    const findings: RawFinding[] = [];
    collector.recording = findings;
    this.moduleScope.startUndoLog();
    ctx.cell = cell;
    ctx.callStack.length = 0;
    ctx.returns = null;
    let failure: SyntaxProblem | undefined;
    try {
      execCell(ctx, facts.body, this.moduleScope);
    } catch (error) {
      // One cell's pathological code (nesting deeper than the stack) must not stop the rest.
      if (!(error instanceof RangeError)) throw error;
      const p = toReported(cell, { row: 0, column: 0 });
      failure = { file: this.notebook.path, cell: cell.index, line: p.line, column: p.column, message: 'the cell is nested too deeply to analyse; the other cells were analysed' };
    } finally {
      collector.recording = null;
    }
    const { undo, redo, reads } = this.moduleScope.takeUndoLog();
    return {
      cell,
      facts,
      hardcoded,
      undo,
      redo,
      reads,
      findings,
      calls: ctx.calls,
      failure,
    };
  }

  dispose(): void {
    for (const e of this.entries) e.parsed?.dispose();
    this.entries = [];
    // Parsers live in the wasm heap, which a long-running process (the server, an audit of a
    // million sessions) would otherwise grow without end.
    if (this.ownsParser) this.parser.delete();
  }

  private scanOutputs(cell: Cell): OutputSecret[] | undefined {
    return cell.outputs?.length ? scanCellOutputs(cell, this.rules.detectors) : undefined;
  }

  private entryFor(cell: Cell, trees?: TreeSource): CellEntry {
    const outputSecrets = this.scanOutputs(cell);
    const metadataSecret = this.scanMetadata(cell);
    if (!isAnalysed(cell)) return { cell, outputSecrets, metadataSecret };
    const parsed = new ParsedCell(this.parser, String(this.nextCellId++), cell.code, this.maxCellSize, trees);
    this.parseCount++;
    return { cell, parsed, hardcoded: this.credentialsOf(parsed, cell), outputSecrets, metadataSecret };
  }

  private scanMetadata(cell: Cell): StructuredSecret | undefined {
    return cell.metadata ? scanStructured(cell.metadata, this.rules.detectors) : undefined;
  }

  /** The hardcoded credentials of a cell: its literals, comments and line magics. */
  private credentialsOf(parsed: ParsedCell, cell: Cell): HardcodedMap {
    return cellCredentials(parsed.facts.body, parsed.code, this.rules, cell.magics);
  }

  private syntaxErrors(file: string): SyntaxProblem[] {
    const out: SyntaxProblem[] = [];
    for (const e of this.entries) {
      if (!e.parsed || !isAnalysed(e.cell)) continue;
      for (const span of e.parsed.facts.syntaxErrors) {
        const p = toReported(e.cell, { row: span.r, column: span.c });
        out.push({ file, cell: e.cell.index, line: p.line, column: p.column, message: 'the code does not parse here; the rest of the notebook was still analysed' });
      }
      for (const problem of e.parsed.facts.problems ?? []) {
        const p = toReported(e.cell, { row: problem.span.r, column: problem.span.c });
        out.push({ file, cell: e.cell.index, line: p.line, column: p.column, message: problem.message });
      }
    }
    return out;
  }
}
