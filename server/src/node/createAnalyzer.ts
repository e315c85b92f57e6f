// The analyzer on Node: the built-in rules and the user's rule folders read from disk, and the
// parser's wasm from the package (or from beside the bundle). The CLI, the language server and
// the tests start here; a browser client calls Analyzer.load with what it bundled.

import { Analyzer, type AnalyzerOptions } from '../analysis';
import { nodeParserWasm } from './assets';
import { loadRuleSet } from './loadRuleSet';

export interface NodeAnalyzerOptions extends AnalyzerOptions {
  /** Folders (or files) of extra rules and Pysa models, loaded after the built-in rules. */
  readonly rulesDirs?: readonly string[];
}

export function createAnalyzer(options: NodeAnalyzerOptions = {}): Promise<Analyzer> {
  return Analyzer.load(loadRuleSet(options.rulesDirs ?? []), nodeParserWasm(), options);
}
