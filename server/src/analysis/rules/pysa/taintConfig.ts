// Reads Pysa's taint.config (JSON): the source and sink kinds a team declared and the rules that
// connect them. nbguard tracks one kind of taint, a secret, so what it takes from the config is
// which kinds matter: a source kind counts when a rule leads it to some sink kind, and a sink
// kind counts when a rule leads some source kind to it. Models naming a kind the config does not
// declare are an error, as they are for Pysa.

import { describeJsonError } from '../../notebook/jsonError';

export interface TaintConfig {
  readonly sources: ReadonlySet<string>;
  readonly sinks: ReadonlySet<string>;
  /** Kinds that take part in a rule. */
  readonly ruledSources: ReadonlySet<string>;
  readonly ruledSinks: ReadonlySet<string>;
}

export class TaintConfigError extends Error {}

function names(list: unknown, field: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TaintConfigError(`"${field}" must be a list`);
  return list.map((entry, i) => {
    const name = typeof entry === 'string' ? entry : (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.length === 0) throw new TaintConfigError(`${field}[${i}] has no "name"`);
    return name;
  });
}

export function parseTaintConfig(text: string): TaintConfig {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TaintConfigError(describeJsonError(text));
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new TaintConfigError('not a JSON object');
  const sources = new Set(names(data.sources, 'sources'));
  const sinks = new Set([...names(data.sinks, 'sinks'), ...names(data.transforms, 'transforms')]);
  const ruledSources = new Set<string>();
  const ruledSinks = new Set<string>();
  const rules = data.rules ?? [];
  if (!Array.isArray(rules)) throw new TaintConfigError('"rules" must be a list');
  rules.forEach((rule: Record<string, unknown>, i: number) => {
    const label = `rules[${i}]${typeof rule?.name === 'string' ? ` (${rule.name})` : ''}`;
    for (const kind of names(rule?.sources, `${label} sources`)) {
      if (!sources.has(kind)) throw new TaintConfigError(`${label} names the source "${kind}", which "sources" does not declare`);
      ruledSources.add(kind);
    }
    for (const kind of names(rule?.sinks, `${label} sinks`)) {
      if (!sinks.has(kind)) throw new TaintConfigError(`${label} names the sink "${kind}", which "sinks" does not declare`);
      ruledSinks.add(kind);
    }
  });
  return { sources, sinks, ruledSources, ruledSinks };
}

/** Several taint.config files (one per model folder) act as one, as in Pysa. */
export function mergeTaintConfigs(configs: readonly TaintConfig[]): TaintConfig | undefined {
  if (configs.length === 0) return undefined;
  const union = (pick: (c: TaintConfig) => ReadonlySet<string>) => new Set(configs.flatMap((c) => [...pick(c)]));
  return { sources: union((c) => c.sources), sinks: union((c) => c.sinks), ruledSources: union((c) => c.ruledSources), ruledSinks: union((c) => c.ruledSinks) };
}
