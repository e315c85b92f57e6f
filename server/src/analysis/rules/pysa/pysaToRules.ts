// Turns parsed Pysa models into nbguard rules. nbguard tracks one kind of taint, a secret, so:
//   -> TaintSource[K]          a source (when K matters: see taintConfig.ts)
//   param: TaintSink[K]        a sink on that argument; a call nbguard already checks keeps its
//                              rule, otherwise the kind picks it (rules/pysa.yaml)
//   @Sanitize / -> Sanitize    a sanitizer
//   TaintInTaintOut            nothing: nbguard already carries taint through unknown calls
// Everything else is skipped with a note saying why, so a team sees what did not carry over.

import type { RuleFile, RuleSet, SinkRule, SourceRule, TaintRuleId } from '../ruleFile';
import type { Annotation, PysaModel } from './parsePysa';
import type { TaintConfig } from './taintConfig';

export class PysaModelError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

interface Effects {
  sources: string[];
  sinks: string[];
  sanitize: boolean;
  tito: boolean;
  other: string[];
}

/** Labels inside a TaintSource[...] / TaintSink[...] that are not kinds. */
const NOT_KINDS = /^(Via|ViaValueOf|ViaTypeOf|ViaAttributeName|ViaDynamicFeature|ParameterPath|ReturnPath|UpdatePath|UpdateSelf|Collapse|NoCollapse|CollapseDepth|LocalReturn|Updates|ParametricSourceFromAnnotation|ParametricSinkFromAnnotation)$/;

function effectsOf(annotation: Annotation | undefined, into: Effects = { sources: [], sinks: [], sanitize: false, tito: false, other: [] }): Effects {
  if (!annotation) return into;
  const kinds = () => annotation.args.filter((a) => a.args.length === 0 && /^[A-Za-z_]\w*$/.test(a.name) && !NOT_KINDS.test(a.name)).map((a) => a.name);
  switch (annotation.name) {
    case 'TaintSource':
      into.sources.push(...kinds());
      break;
    case 'TaintSink':
      into.sinks.push(...kinds());
      break;
    case 'Sanitize':
      // Sanitize[TaintSource[...]] and friends are narrower than "clean"; only the plain form is kept.
      if (annotation.args.length === 0) into.sanitize = true;
      else into.other.push('Sanitize[...] of some kinds only');
      break;
    case 'TaintInTaintOut':
    case 'AddFeatureToArgument':
      into.tito = true;
      break;
    case 'Union':
    case 'AppliesTo':
    case 'CrossRepositoryTaint':
      for (const a of annotation.args) effectsOf(a, into);
      break;
    default:
      if (!/^-?\d+$|^["']/.test(annotation.name)) into.other.push(annotation.name);
  }
  return into;
}

/** nbguard's names for a callable: a method also matches on instances (`Class().method`). */
function callNames(model: PysaModel): string[] {
  if (!model.method) return [model.callable];
  const dot = model.callable.lastIndexOf('.');
  const owner = model.callable.slice(0, dot);
  return [model.callable, `${owner}().${model.callable.slice(dot + 1)}`];
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'model';
}

export interface ConvertedModels {
  readonly rules: RuleFile;
  readonly notes: string[];
}

/**
 * Converts one file's models. `set` holds the rules loaded so far (the built-in ones first), to
 * find calls nbguard already checks; `config` is the merged taint.config, if there is one.
 */
export function pysaToRules(models: readonly PysaModel[], file: string, set: RuleSet, config: TaintConfig | undefined): ConvertedModels {
  const notes: string[] = [];
  const sources: SourceRule[] = [];
  const sinks: SinkRule[] = [];
  const sanitizers: string[] = [];
  const where = (m: PysaModel) => `${file}:${m.line}`;
  const builtinSinkRule = new Map<string, TaintRuleId>();
  for (const s of set.sinks) for (const c of s.calls ?? []) if (!builtinSinkRule.has(c)) builtinSinkRule.set(c, s.rule);
  const configurationCalls = new Set([...set.configuration.setters.flatMap((s) => s.calls), ...set.configuration.mounts.flatMap((m) => m.calls)]);

  const checkDeclared = (m: PysaModel, kinds: string[], declared: ReadonlySet<string> | undefined, what: string) => {
    for (const k of kinds) {
      if (declared && !declared.has(k)) throw new PysaModelError(m.line, `${m.callable}: the ${what} kind "${k}" is not declared in taint.config`);
    }
  };

  for (const m of models) {
    const names = callNames(m);
    const returns = effectsOf(m.returns);
    for (const d of m.decorators) {
      if (d.name === 'Sanitize' && d.args.length === 0) returns.sanitize = true;
      else if (!/^Skip|^Entrypoint$/.test(d.name)) notes.push(`${where(m)}: ${m.callable}: the decorator @${d.name} is ignored`);
    }
    checkDeclared(m, returns.sources, config?.sources, 'source');
    if (returns.sources.length > 0) {
      const kept = returns.sources.filter((k) => !config || config.ruledSources.has(k));
      if (kept.length > 0) sources.push({ id: `pysa-${slug(m.callable)}`, description: `Pysa model ${where(m)} (TaintSource[${kept.join(', ')}])`, calls: names });
      else notes.push(`${where(m)}: ${m.callable}: no taint.config rule leads ${returns.sources.join(', ')} to a sink; not a source`);
    }
    if (returns.sanitize) sanitizers.push(...names);
    if (returns.sinks.length > 0) notes.push(`${where(m)}: ${m.callable}: TaintSink on a return value is ignored (sinks are parameters)`);
    if (returns.other.length > 0) notes.push(`${where(m)}: ${m.callable}: ${returns.other.join(', ')} on the return value is ignored`);

    // Sinks: the arguments of each rule this model's parameters lead to.
    const byRule = new Map<TaintRuleId, { args: (number | string)[]; all: boolean; kinds: Set<string> }>();
    for (const p of m.parameters) {
      const e = effectsOf(p.annotation);
      if (e.sanitize || e.other.length > 0 || e.sources.length > 0) {
        const what = [...(e.sanitize ? ['Sanitize'] : []), ...(e.sources.length > 0 ? ['TaintSource'] : []), ...e.other];
        notes.push(`${where(m)}: ${m.callable}(${p.name}): ${what.join(', ')} on a parameter is ignored`);
      }
      if (e.sinks.length === 0) continue;
      checkDeclared(m, e.sinks, config?.sinks, 'sink');
      const kinds = e.sinks.filter((k) => !config || config.ruledSinks.has(k));
      if (kinds.length === 0) {
        notes.push(`${where(m)}: ${m.callable}(${p.name}): no taint.config rule leads a source to ${e.sinks.join(', ')}; not a sink`);
        continue;
      }
      if (names.some((n) => configurationCalls.has(n))) {
        notes.push(`${where(m)}: ${m.callable}(${p.name}): nbguard checks this call as configuration (NBG301) already`);
        continue;
      }
      const builtin = names.map((n) => builtinSinkRule.get(n)).find((r) => r !== undefined);
      const rule = builtin ?? kinds.map((k) => set.pysa.sinkKinds.get(k)).find((r) => r !== undefined) ?? set.pysa.defaultSinkRule;
      const entry = byRule.get(rule) ?? { args: [], all: false, kinds: new Set<string>() };
      if (p.star) entry.all = true;
      else entry.args.push(...(p.position !== undefined ? [p.position] : []), p.name);
      kinds.forEach((k) => entry.kinds.add(k));
      byRule.set(rule, entry);
    }
    for (const [rule, entry] of byRule) {
      sinks.push({
        id: `pysa-${slug(m.callable)}-${rule.toLowerCase()}`,
        rule,
        description: `Pysa model ${where(m)} (TaintSink[${[...entry.kinds].join(', ')}])`,
        calls: names,
        args: entry.all ? 'all' : entry.args,
      });
    }
  }
  return { rules: { sources, sinks, ...(sanitizers.length > 0 ? { sanitizers: { calls: sanitizers } } : {}) }, notes };
}
