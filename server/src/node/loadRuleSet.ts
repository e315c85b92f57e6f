// Reads rule folders from disk for the analysis library (rules/loadRules.ts builds the set from
// the texts): the built-in rules/ folder, then each user folder or file. User detector patterns
// are then checked to finish on adversarial input (in a child process: regexSafety.ts), so a
// user rule cannot hang a scan or the language server.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildRuleSet, RuleLoadError, type RuleFolder, type TextFile } from '../analysis/rules/loadRules';
import type { RuleSet } from '../analysis/rules/ruleFile';
import { builtinRuleFolder } from './builtinRules';
import { findUnsafePatterns } from './regexSafety';

/** The files of a folder and of its subfolders (`rules/detectors/`, one detector a file), sorted. */
function filesUnder(dir: string, depth = 0): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) {
      // Two levels at most: a rules folder holds rule files and folders of them, not a project tree.
      if (depth < 1 && name !== 'schema' && !name.startsWith('.')) out.push(...filesUnder(file, depth + 1));
    } else out.push(file);
  }
  return out;
}

function read(file: string): TextFile {
  try {
    return { path: file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new RuleLoadError(file, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The rule inputs in a folder, or the one file given, with their texts. */
export function readRuleFolder(path: string, builtin: boolean): RuleFolder {
  const ruleFiles: TextFile[] = [];
  const models: TextFile[] = [];
  const taintConfigs: TextFile[] = [];
  let entries: string[];
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
    entries = folder ? filesUnder(path) : [path];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RuleLoadError(path, code === 'ENOENT' ? 'no such rules folder or file' : code === 'EACCES' ? 'permission denied' : `cannot be read: ${code ?? (error as Error).message}`);
  }
  for (const file of entries) {
    const name = basename(file);
    if (/\.(ya?ml|json)$/i.test(name)) ruleFiles.push(read(file));
    else if (/\.pysa$/i.test(name)) models.push(read(file));
    else if (name === 'taint.config') taintConfigs.push(read(file));
    // Other files in a folder are not rules (a README); a file given on its own must be one.
    else if (!folder) throw new RuleLoadError(file, 'is not a rule file (.yaml, .json), a Pysa model (.pysa) or a taint.config');
  }
  return { builtin, ruleFiles, models, taintConfigs };
}

/** Loads the built-in rules plus every rule file and Pysa model in `extraDirs`, in that order. */
export function loadRuleSet(extraDirs: readonly string[] = []): RuleSet {
  const set = buildRuleSet([builtinRuleFolder(), ...extraDirs.map((dir) => readRuleFolder(dir, false))]);
  // User patterns must not be able to hang a scan (built-in ones are tested in the suite).
  const unsafe = findUnsafePatterns(set.detectors.slice(set.builtinDetectors));
  if (unsafe.length > 0) {
    const index = set.detectors.findIndex((d) => d.id === unsafe[0].id);
    const origin = set.detectorOrigins[index] ?? 'a rule file';
    throw new RuleLoadError(origin, `detector ${unsafe[0].id}: ${unsafe[0].reason}`);
  }
  return set;
}
