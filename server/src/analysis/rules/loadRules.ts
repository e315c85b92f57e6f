// Loads rule files (YAML or JSON) from the built-in rules/ folder and from user folders,
// validates each against the JSON schema, and merges them; Pysa models (.pysa, taint.config)
// in user folders are converted and merged after them. A bad file is an error naming the
// file and the entry, never a silent skip: a rule that does not load is a leak not reported.

import { describeJsonError } from '../notebook/jsonError';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { builtinRulesDir } from '../assets';
import { emptyRuleSet, mergeRuleFile, type RuleFile, type RuleSet } from './ruleFile';
import { findUnsafePatterns } from '../detectors/regexSafety';
import { parsePysa, PysaSyntaxError } from './pysa/parsePysa';
import { PysaModelError, pysaToRules } from './pysa/pysaToRules';
import { mergeTaintConfigs, parseTaintConfig } from './pysa/taintConfig';

export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'RuleLoadError';
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(builtinRulesDir(), 'schema', 'rules.schema.json'), 'utf8'));
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

/** "sinks[3] (id: print) args must be ..." from an ajv error on `data`. */
function describeError(data: unknown, error: ErrorObject): string {
  const parts = error.instancePath.split('/').filter(Boolean);
  let entry = '';
  let field = '';
  let node: unknown = data;
  for (const part of parts) {
    node = (node as Record<string, unknown> | undefined)?.[part];
    if (/^\d+$/.test(part)) {
      // The innermost list entry names the rule; what follows is the field inside it.
      entry += field + `[${part}]`;
      field = '';
      const id = (node as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') entry += ` (id: ${id})`;
    } else field += entry || field ? `.${part}` : part;
  }
  let detail = error.message ?? 'is not valid';
  if (error.keyword === 'additionalProperties') detail = `has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === 'enum') detail += `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  const where = `${entry}${field ? (entry ? ` ${field.replace(/^\./, '')}` : field) : ''}`;
  return `${where || 'the document'} ${detail}`;
}

/** The error a person can act on: a misspelt field or a bad value before "must match oneOf". */
function mostSpecific(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) =>
    e.keyword === 'additionalProperties' ? 0 : e.keyword === 'enum' || e.keyword === 'type' || e.keyword === 'pattern' ? 1 : e.keyword === 'required' ? 2 : 3;
  return [...errors].sort((a, b) => rank(a) - rank(b) || b.instancePath.length - a.instancePath.length)[0];
}

export function parseRuleFile(path: string, text: string): RuleFile {
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // JSON.parse quotes the text; YAML's first line names only the problem and its place.
    const reason = path.endsWith('.json') ? describeJsonError(text) : (error as Error).message.split('\n')[0];
    throw new RuleLoadError(path, `cannot be parsed: ${reason}`);
  }
  if (data === null || data === undefined) return {};
  const errors = validate(data);
  if (errors.length > 0) throw new RuleLoadError(path, describeError(data, mostSpecific(errors)));
  checkPatterns(path, data as RuleFile);
  return data as RuleFile;
}

/** Detector regexes must compile; a broken one is reported with its id. */
function checkPatterns(path: string, file: RuleFile): void {
  file.detectors?.forEach((d, i) => {
    try {
      new RegExp(d.pattern, d.flags ?? '');
    } catch (error) {
      throw new RuleLoadError(path, `detectors[${i}] (id: ${d.id}) pattern is not a valid regular expression: ${(error as Error).message}`);
    }
  });
  file.sources?.forEach((src, i) => {
    for (const command of src.commands ?? []) {
      try {
        new RegExp(command);
      } catch (error) {
        throw new RuleLoadError(path, `sources[${i}] (id: ${src.id}) command ${JSON.stringify(command)} is not a valid regular expression: ${(error as Error).message}`);
      }
    }
  });
  file.kinds?.forEach((k, i) => {
    if (k.names === undefined) return;
    try {
      new RegExp(k.names);
    } catch (error) {
      throw new RuleLoadError(path, `kinds[${i}] (kind: ${k.kind}) names is not a valid regular expression: ${(error as Error).message}`);
    }
  });
}

interface RuleInputs {
  /** YAML and JSON rule files. */
  readonly ruleFiles: string[];
  /** Pysa model files (.pysa). */
  readonly models: string[];
  /** Pysa taint.config files. */
  readonly taintConfigs: string[];
}

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

/** The rule inputs in a folder, or the one file given. */
function ruleInputsIn(path: string): RuleInputs {
  const inputs: RuleInputs = { ruleFiles: [], models: [], taintConfigs: [] };
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
    if (/\.(ya?ml|json)$/i.test(name)) inputs.ruleFiles.push(file);
    else if (/\.pysa$/i.test(name)) inputs.models.push(file);
    else if (name === 'taint.config') inputs.taintConfigs.push(file);
    // Other files in a folder are not rules (a README); a file given on its own must be one.
    else if (!folder) throw new RuleLoadError(file, 'is not a rule file (.yaml, .json), a Pysa model (.pysa) or a taint.config');
  }
  return inputs;
}

/** Reads the Pysa models and taint.config files and adds what they say to `set`. */
function loadPysaModels(set: RuleSet, models: readonly string[], taintConfigs: readonly string[]): void {
  const config = mergeTaintConfigs(
    taintConfigs.map((file) => {
      try {
        return parseTaintConfig(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new RuleLoadError(file, (error as Error).message);
      }
    }),
  );
  for (const file of models) {
    try {
      const parsed = parsePysa(readFileSync(file, 'utf8'));
      const converted = pysaToRules(parsed.models, file, set, config);
      mergeRuleFile(set, converted.rules, file);
      set.notes.push(...parsed.skipped.map((s) => `${file}:${s.line}: ${s.reason}`), ...converted.notes);
    } catch (error) {
      if (error instanceof PysaSyntaxError || error instanceof PysaModelError) throw new RuleLoadError(`${file}:${error.line}`, error.message);
      throw new RuleLoadError(file, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
}

/** Loads the built-in rules plus every rule file and Pysa model in `extraDirs`, in that order. */
export function loadRuleSet(extraDirs: readonly string[] = []): RuleSet {
  const set = emptyRuleSet();
  const models: string[] = [];
  const taintConfigs: string[] = [];
  for (const dir of [builtinRulesDir(), ...extraDirs]) {
    const inputs = ruleInputsIn(dir);
    for (const file of inputs.ruleFiles) {
      mergeRuleFile(set, parseRuleFile(file, readFileSync(file, 'utf8')), file);
    }
    models.push(...inputs.models);
    taintConfigs.push(...inputs.taintConfigs);
    if (dir === builtinRulesDir()) set.builtinDetectors = set.detectors.length;
  }
  // After every YAML file: models map their sinks with the final sinkKinds table.
  loadPysaModels(set, models, taintConfigs);
  // User patterns must not be able to hang a scan (built-in ones are tested in the suite).
  const unsafe = findUnsafePatterns(set.detectors.slice(set.builtinDetectors));
  if (unsafe.length > 0) {
    const index = set.detectors.findIndex((d) => d.id === unsafe[0].id);
    const origin = set.detectorOrigins[index] ?? 'a rule file';
    throw new RuleLoadError(origin, `detector ${unsafe[0].id}: ${unsafe[0].reason}`);
  }
  return set;
}
