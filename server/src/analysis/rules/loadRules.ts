// Builds the rule set from the texts of rule files (YAML or JSON): the built-in rules/ folder
// first, then user folders; each file is validated against the JSON schema, and Pysa models
// (.pysa, taint.config) of user folders are converted and merged after them. A bad file is an
// error naming the file and the entry, never a silent skip: a rule that does not load is a leak
// not reported. Reading the folders is the host's part (server/src/node/loadRuleSet.ts on Node;
// a browser client hands over the texts it bundled).

import { describeJsonError } from '../notebook/jsonError';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import schema from '../../../../rules/schema/rules.schema.json';
import { emptyRuleSet, mergeRuleFile, type RuleFile, type RuleSet } from './ruleFile';
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

/** A file's path (as messages name it) and text. */
export interface TextFile {
  readonly path: string;
  readonly text: string;
}

/** A rule file parsed and validated before (the built-in rules, at build time). */
export interface ValidatedRuleFile {
  readonly path: string;
  readonly file: RuleFile;
}

/** The rule inputs of one folder (or one file given on its own), read by the host. */
export interface RuleFolder {
  /** The built-in rules (their detectors are counted apart: user patterns get checked). */
  readonly builtin: boolean;
  /** YAML and JSON rule files. */
  readonly ruleFiles: readonly TextFile[];
  /**
   * Rule files already parsed and validated, merged before `ruleFiles`: the built-in rules are
   * checked when nbguard is built, so a start does not parse their YAML or compile the schema.
   */
  readonly validated?: readonly ValidatedRuleFile[];
  /** Pysa model files (.pysa). */
  readonly models: readonly TextFile[];
  /** Pysa taint.config files. */
  readonly taintConfigs: readonly TextFile[];
}

/** What the Pysa models and taint.config files say, added to `set`. */
function addPysaModels(set: RuleSet, models: readonly TextFile[], taintConfigs: readonly TextFile[]): void {
  const config = mergeTaintConfigs(
    taintConfigs.map((file) => {
      try {
        return parseTaintConfig(file.text);
      } catch (error) {
        throw new RuleLoadError(file.path, (error as Error).message);
      }
    }),
  );
  for (const file of models) {
    try {
      const parsed = parsePysa(file.text);
      const converted = pysaToRules(parsed.models, file.path, set, config);
      mergeRuleFile(set, converted.rules, file.path);
      set.notes.push(...parsed.skipped.map((s) => `${file.path}:${s.line}: ${s.reason}`), ...converted.notes);
    } catch (error) {
      if (error instanceof PysaSyntaxError || error instanceof PysaModelError) throw new RuleLoadError(`${file.path}:${error.line}`, error.message);
      throw error;
    }
  }
}

/** The rule set of these folders, merged in order (the built-in one first). */
export function buildRuleSet(folders: readonly RuleFolder[]): RuleSet {
  const set = emptyRuleSet();
  for (const folder of folders) {
    for (const v of folder.validated ?? []) mergeRuleFile(set, v.file, v.path);
    for (const file of folder.ruleFiles) mergeRuleFile(set, parseRuleFile(file.path, file.text), file.path);
    if (folder.builtin) set.builtinDetectors = set.detectors.length;
  }
  // After every YAML file: models map their sinks with the final sinkKinds table.
  addPysaModels(
    set,
    folders.flatMap((f) => f.models),
    folders.flatMap((f) => f.taintConfigs),
  );
  return set;
}
