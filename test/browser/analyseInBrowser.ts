// The page script of test/browser-library.test.ts: the analysis library as a browser client (a
// JupyterLab extension, JupyterLite) would use it, with the rule texts and wasm URLs it was given.

import { Analyzer, buildRuleSet, readNotebookText, type RuleFolder } from '../../server/src/analysis';

/** What the page offers the test (on globalThis). */
export interface BrowserHooks {
  nbguardAnalyse(folders: RuleFolder[], runtime: string, python: string, path: string, text: string): Promise<unknown[]>;
}

(globalThis as unknown as BrowserHooks).nbguardAnalyse = async (folders, runtime, python, path, text) => {
  const analyzer = await Analyzer.load(buildRuleSet(folders), { runtime, python });
  const result = analyzer.analyze(readNotebookText(path, text));
  return result.findings.map((f) => ({ ruleId: f.ruleId, cell: f.cell, line: f.line, column: f.column, message: f.message }));
};
