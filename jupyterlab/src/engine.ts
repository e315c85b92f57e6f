// nbguard's analysis library in the page: loaded once (the parser's wasm files are the
// labextension's assets), with the built-in rules bundled as texts. Nothing leaves the page.

import { Analyzer, buildRuleSet } from '../../server/src/analysis';
import builtinRules from 'nbguard:builtin-rules';

let loading: Promise<Analyzer> | undefined;

export function engine(): Promise<Analyzer> {
  loading ??= Analyzer.load(buildRuleSet([builtinRules]), {
    runtime: new URL('./tree-sitter.wasm', import.meta.url).href,
    python: new URL('./tree-sitter-python.wasm', import.meta.url).href,
  });
  return loading;
}
