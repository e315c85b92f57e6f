// The nbguard analysis library: notebook source -> ordered cells -> parsed module -> facts ->
// dataflow -> findings. No editor, LSP or Node-only code lives here (test/browser-library.test.ts
// bundles it for the browser to keep it so); the CLI, the language server, the tests and an
// in-browser client all go through this API. On Node, server/src/node/createAnalyzer.ts loads
// the rules and the parser from disk.

import { NotebookAnalysis, type AnalysisOptions, type AnalysisResult } from './notebookAnalysis';
import type { Notebook } from './notebook/model';
import type { Parser } from 'web-tree-sitter';
import { initPython, newPythonParser, type ParserWasm } from './parse/pythonParser';
import { CompiledRules } from './rules/compiledRules';
import type { RuleSet } from './rules/ruleFile';
import { redact } from './redact/redactor';
import { planFix, type FixOptions, type FixPlan } from './fix/planFix';
import { checkMaxCellSize, DEFAULT_MAX_CELL_SIZE } from './parse/sizeLimit';

export { NotebookAnalysis } from './notebookAnalysis';
export type { AnalysisOptions, AnalysisResult, SyntaxProblem } from './notebookAnalysis';
export type { Finding, TraceStep } from './findings/finding';
export { RULES, severityAtLeast, type RuleId, type Severity } from './findings/ruleCatalog';
export { maskSecret } from './findings/mask';
export { compareText, formatCount } from './findings/textOrder';
export { readSeverityOverrides, withSeverities, type RuleSeverityOverride, type SeverityOverrides } from './findings/severityOverrides';
export { cellName, traceSummary } from './findings/cellNames';
export type { FixOptions, FixPlan } from './fix/planFix';
export { applyEdits, unifiedDiff, type TextEdit } from './fix/textEdits';
export { suppressInText } from './fix/suppressionFix';
export { cellFixTarget, fixFacts, quickFixes, type FixContext, type FixTarget, type QuickFix } from './fix/quickFixes';
export { applyLineEdits, type LineEdit, type LineRange } from './fix/lineEdits';
export { leakingOutputs } from './fix/storedOutputFix';
export { CodeMasker, type ShownLines } from './findings/codeMasker';
export type { Cell, Notebook, NotebookFormat } from './notebook/model';
export { readNotebookText, isNotebookPath } from './notebook/readNotebook';
export { ipynbNotebook, type IpynbCellMemo } from './notebook/ipynb';
export { linesAsWritten } from './notebook/magics';
export { NotebookInputError } from './notebook/errors';
export { RuleLoadError } from './rules/loadRules';
export type { AnalysisOrder } from './notebook/order';
export { Redactor } from './redact/redactor';
export { DEFAULT_MAX_CELL_SIZE, HIGHEST_MAX_CELL_SIZE, MB } from './parse/sizeLimit';

export type { ParserWasm } from './parse/pythonParser';
export type { DetectorRule, RuleSet } from './rules/ruleFile';
export { buildRuleSet, type RuleFolder, type TextFile } from './rules/loadRules';
export { adversarialInputs } from './detectors/adversarialInputs';

export interface AnalyzerOptions {
  /** The size limit per cell in bytes for every analysis (AnalysisOptions.maxCellSize overrides it). */
  readonly maxCellSize?: number;
}

/** Loaded rules and parser, shared by every notebook analysed in the process. */
export class Analyzer {
  /** One parser for every one-shot analyze() (they run one at a time). */
  private sharedParser: Parser | undefined;

  private constructor(
    readonly rules: CompiledRules,
    private readonly maxCellSize: number,
  ) {}

  /** An analyzer of these rules (buildRuleSet), with the parser loaded from `wasm`. */
  static async load(ruleSet: RuleSet, wasm: ParserWasm, options: AnalyzerOptions = {}): Promise<Analyzer> {
    const maxCellSize = checkMaxCellSize(options.maxCellSize ?? DEFAULT_MAX_CELL_SIZE);
    const rules = new CompiledRules(ruleSet);
    await initPython(wasm);
    return new Analyzer(rules, maxCellSize);
  }

  /** Opens a notebook for incremental analysis (remember to dispose()). */
  open(notebook: Notebook, options: AnalysisOptions = {}): NotebookAnalysis {
    return new NotebookAnalysis(newPythonParser(), this.rules, notebook, this.withLimit(options), true);
  }

  /** Replaces every credential in `text` with its REDACTED_* placeholder (masking stored outputs). */
  redact(text: string): string {
    return redact(text, this.rules.detectors);
  }

  /** Whether `text` holds a credential a detector accepts (a fix never copies one). */
  holdsCredential(text: string): boolean {
    return this.redact(text) !== text;
  }

  /** The edits `nbguard fix` makes to one notebook's text (see fix/planFix.ts). */
  planFix(path: string, text: string, options: FixOptions): FixPlan {
    return planFix(this, path, text, options);
  }

  /** Analyses a notebook once. */
  analyze(notebook: Notebook, options: AnalysisOptions = {}): AnalysisResult {
    this.sharedParser ??= newPythonParser();
    const analysis = new NotebookAnalysis(this.sharedParser, this.rules, notebook, this.withLimit(options));
    try {
      return analysis.analyze();
    } finally {
      analysis.dispose();
    }
  }

  private withLimit(options: AnalysisOptions): AnalysisOptions {
    return { ...options, maxCellSize: options.maxCellSize ?? this.maxCellSize };
  }
}
