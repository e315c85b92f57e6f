// Loads rule files (YAML or JSON) from the built-in rules/ folder and from user folders,
// validates each against the JSON schema, and merges them. A bad file is an error naming the
// file and the entry, never a silent skip: a rule that does not load is a leak not reported.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { builtinRulesDir } from '../assets';
import { emptyRuleSet, mergeRuleFile, type RuleFile, type RuleSet } from './ruleFile';
import { findUnsafePatterns } from '../detectors/regexSafety';

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
    throw new RuleLoadError(path, `cannot be parsed: ${(error as Error).message.split('\n')[0]}`);
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
  file.kinds?.forEach((k, i) => {
    if (k.names === undefined) return;
    try {
      new RegExp(k.names);
    } catch (error) {
      throw new RuleLoadError(path, `kinds[${i}] (kind: ${k.kind}) names is not a valid regular expression: ${(error as Error).message}`);
    }
  });
}

function ruleFilesIn(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new RuleLoadError(dir, 'is not a folder');
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof RuleLoadError) throw error;
    throw new RuleLoadError(dir, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return entries.filter((f) => /\.(ya?ml|json)$/i.test(f)).sort().map((f) => join(dir, f));
}

/** Loads the built-in rules plus every rule file in `extraDirs`, in that order. */
export function loadRuleSet(extraDirs: readonly string[] = []): RuleSet {
  const set = emptyRuleSet();
  for (const dir of [builtinRulesDir(), ...extraDirs]) {
    for (const file of ruleFilesIn(dir)) {
      mergeRuleFile(set, parseRuleFile(file, readFileSync(file, 'utf8')), file);
    }
    if (dir === builtinRulesDir()) set.builtinDetectors = set.detectors.length;
  }
  // User patterns must not be able to hang a scan (built-in ones are tested in the suite).
  const unsafe = findUnsafePatterns(set.detectors.slice(set.builtinDetectors));
  if (unsafe.length > 0) {
    const index = set.detectors.findIndex((d) => d.id === unsafe[0].id);
    const origin = set.detectorOrigins[index] ?? 'a rule file';
    throw new RuleLoadError(origin, `detector ${unsafe[0].id}: ${unsafe[0].reason}`);
  }
  return set;
}
