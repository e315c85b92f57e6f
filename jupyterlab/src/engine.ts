// nbguard's analysis library in the page: the built-in rules (validated at build time) plus the user's
// rule files from the settings, and the parser (its two wasm files are the labextension's assets,
// loaded once). Nothing leaves the page. A rule file that does not load, or a user detector whose
// regex could freeze the page, is reported and the built-in rules are used alone.

import { Analyzer, buildRuleSet, RuleLoadError, type TextFile } from '../../server/src/analysis';
import builtinRules from 'nbguard:builtin-rules';
import { firstUnsafePattern, UNSAFE_REASON } from './patternSafety';

export interface Engine {
  readonly analyzer: Analyzer;
  /** Why the user's rules are not in use (never a rule's text). */
  readonly problem?: string;
}

const WASM = {
  runtime: new URL('./tree-sitter.wasm', import.meta.url).href,
  python: new URL('./tree-sitter-python.wasm', import.meta.url).href,
};

let builtinOnly: Promise<Analyzer> | undefined;
const builtin = () => (builtinOnly ??= Analyzer.load(buildRuleSet([builtinRules]), WASM));

/** The engine of the current user rule files (the settings change rarely; an older one is dropped). */
let current: { key: string; engine: Promise<Engine> } | undefined;

async function load(ruleFiles: readonly TextFile[]): Promise<Engine> {
  if (ruleFiles.length === 0) return { analyzer: await builtin() };
  try {
    const set = buildRuleSet([builtinRules, { builtin: false, ruleFiles, models: [], taintConfigs: [] }]);
    const unsafe = await firstUnsafePattern(set.detectors.slice(set.builtinDetectors));
    if (unsafe) {
      const origin = set.detectorOrigins[set.detectors.indexOf(unsafe)] ?? 'a rule file';
      throw new RuleLoadError(origin, `detector ${unsafe.id}: ${UNSAFE_REASON}`);
    }
    return { analyzer: await Analyzer.load(set, WASM) };
  } catch (error) {
    if (!(error instanceof RuleLoadError)) throw error;
    return { analyzer: await builtin(), problem: `rule file error: ${error.message}; the built-in rules are in use` };
  }
}

export function engine(ruleFiles: readonly TextFile[] = []): Promise<Engine> {
  const key = JSON.stringify(ruleFiles);
  if (current?.key !== key) current = { key, engine: load(ruleFiles) };
  return current.engine;
}
