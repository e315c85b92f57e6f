// The built-in rules on Node. Parsing their YAML and compiling the schema validator took most of
// a start (about 200 ms of 500), so the build validates them once (validatedRuleFolder, run by
// scripts/builtinRules.mjs) and writes dist/builtin-rules.json, which the bundle reads with one
// JSON.parse. Run from source (the tests), the rules/ folder is read and validated as it is.

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseRuleFile, type RuleFolder } from '../analysis/rules/loadRules';
import type { RuleFile } from '../analysis/rules/ruleFile';
import { builtinRulesDir, isBundle } from './assets';
import { readRuleFolder } from './loadRuleSet';

/**
 * A detector's test vectors are for the suite and its description for the docs: the bundles need
 * neither, and their credential-shaped text would make secret scanners (vsce's) refuse the package.
 */
function withoutSamples(file: RuleFile): RuleFile {
  return file.detectors ? { ...file, detectors: file.detectors.map(({ samples: _samples, description: _description, ...d }) => d) } : file;
}

/** The rules of `dir` parsed and validated (an error names the file), paths relative to `base`, samples and descriptions left out. */
export function validatedRuleFolder(dir: string, base: string): RuleFolder {
  const folder = readRuleFolder(dir, true);
  const validated = folder.ruleFiles.map((f) => ({ path: relative(base, f.path), file: withoutSamples(parseRuleFile(f.path, f.text)) }));
  return { builtin: true, ruleFiles: [], validated, models: folder.models, taintConfigs: folder.taintConfigs };
}

let cached: RuleFolder | undefined;

/** The built-in rule folder: validated at build time in the bundle, read from rules/ otherwise. */
export function builtinRuleFolder(): RuleFolder {
  cached ??= isBundle() ? (JSON.parse(readFileSync(join(__dirname, 'builtin-rules.json'), 'utf8')) as RuleFolder) : readRuleFolder(builtinRulesDir(), true);
  return cached;
}
