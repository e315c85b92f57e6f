// Evaluates expressions to abstract values: how taint moves through names, attributes,
// subscripts, f-strings, operators, containers and comprehensions. Calls are in ./calls.ts.

import { isCredentialEnvName } from '../rules/credentialNames';
import type { Expr, Span, Target } from '../lower/ir';
import { evalCall } from './calls';
import { magicValue } from './magicValues';
import { isCredentialFor, newSource, type RunContext } from './context';
import { exprText, quoteLiteral } from './exprText';
import { literalKey } from './hardcoded';
import type { Scope } from './scope';
import { CLEAN, flowsOf, join, tainted, unionFlows, withHop, type Flow, type Value } from './value';
import { maskSecret } from '../findings/mask';

/** The value of a name nobody bound: a builtin or a Databricks global (`dbutils`, `spark`). */
function globalName(ctx: RunContext, name: string): Value {
  const qname = ctx.rules.canonical(name);
  const kind = ctx.rules.kindOfName(name);
  return kind ? { flows: [], qname, kind } : { flows: [], qname };
}

export function lookupName(ctx: RunContext, scope: Scope, name: string): Value {
  const v = scope.lookup(name);
  if (!v) return globalName(ctx, name);
  if (v.kind === undefined && v.fn === undefined) {
    const kind = ctx.rules.kindOfName(name);
    if (kind) return { ...v, kind };
  }
  return v;
}

/**
 * A value that is a secret by its qualified name alone (source rules' `mappings`, `stores` and
 * `attributes`): `os.environ` as a whole holds every secret of the environment (one variable of
 * it is judged by the subscript and call rules instead), `st.secrets` and what is read from it,
 * google-auth's `credentials.token`.
 */
function sourceByName(ctx: RunContext, v: Value, span: Span): Value {
  if (v.qname === undefined || v.flows.length > 0) return v;
  const mapping = ctx.rules.sourceMappings.get(v.qname);
  // `st.secrets` and what is read from it; `credentials.token` of google-auth.
  const store = mapping ? undefined : (ctx.rules.sourceStores.get(v.qname) ?? ctx.rules.sourceAttributes.first(v.qname));
  const rule = mapping ?? store;
  if (!rule) return v;
  const label = mapping ? `${v.qname} (the whole environment)` : v.qname.replace(/\(\)\[\]/g, '()');
  const source = newSource(ctx, label, 'secret', span, rule.id);
  return { ...v, flows: [{ source, path: null }] };
}

/** The source value of a hardcoded credential literal, if the literal at `span` is one. */
function hardcodedValue(ctx: RunContext, span: Span): Value | undefined {
  const lit = ctx.hardcoded.get(ctx.cell.index)?.get(literalKey(span));
  if (!lit) return undefined;
  const what = lit.detectorName ?? `credential for "${lit.boundTo}"`;
  const source = newSource(ctx, `the hardcoded ${what} ${maskSecret(lit.value)}`, 'hardcoded', span);
  return { flows: [{ source, path: null }] };
}

export function attributeQname(ctx: RunContext, obj: Value, attr: string): string {
  return ctx.rules.canonicalMember(obj.qname ?? '?', attr);
}

/** A constant string value, or an f-string's template, for key matching. */
export function staticText(v: Value): string | undefined {
  return v.str ?? v.template;
}

/** Whether every flow of a value that holds no known parts starts at a hardcoded string or a source rule that reads one string (`stringValue`). */
function isStringSecret(ctx: RunContext, v: Value): boolean {
  if (v.fields !== undefined || v.rest !== undefined || v.flows.length === 0) return false;
  return v.flows.every((f) => f.source.kind === 'hardcoded' || (f.source.kind === 'secret' && ctx.rules.stringSources.has(f.source.rule ?? '')));
}

function isConstPreviewSlice(ctx: RunContext, index: Expr): boolean {
  if (index.k !== 'slice' || index.step) return false;
  const bound = (e: Expr | undefined): number | undefined | null =>
    e === undefined ? undefined : e.k === 'num' ? e.value : e.k === 'either' && e.options.length === 1 && e.options[0].k === 'num' && e.span.c < e.options[0].span.c ? -e.options[0].value : null;
  const lo = bound(index.lower);
  const hi = bound(index.upper);
  if (lo === null || hi === null) return false;
  const max = ctx.rules.maxPreviewLength;
  if (lo === undefined && hi !== undefined) return hi >= 0 ? hi <= max : false; // s[:4]
  if (hi === undefined && lo !== undefined) return lo < 0 && -lo <= max; // s[-4:]
  if (lo !== undefined && hi !== undefined) return (lo >= 0 && hi >= 0) || (lo < 0 && hi < 0) ? hi - lo <= max : false;
  return false;
}

export function evalExpr(ctx: RunContext, e: Expr, scope: Scope): Value {
  switch (e.k) {
    case 'name':
      return sourceByName(ctx, lookupName(ctx, scope, e.id), e.span);
    case 'str':
      return hardcodedValue(ctx, e.span) ?? { flows: [], str: e.value };
    case 'fstr': {
      let flows: readonly Flow[] = [];
      let template = '';
      for (const p of e.parts) {
        if ('text' in p) {
          template += p.text;
          const hv = hardcodedValue(ctx, p.span);
          if (hv) flows = unionFlows(flows, hv.flows);
        } else {
          template += '*';
          flows = unionFlows(flows, evalExpr(ctx, p.expr, scope).flows);
        }
      }
      return { flows, template };
    }
    case 'num':
      return CLEAN;
    case 'const':
      // A masked line magic stands here as `...` (`token = !gcloud auth print-access-token`).
      return (ctx.cell.magics && magicValue(ctx, e.span)) || CLEAN;
    case 'attr': {
      const obj = evalExpr(ctx, e.obj, scope);
      const field = obj.fields?.get(e.attr);
      const qname = attributeQname(ctx, obj, e.attr);
      if (field) return field.qname ? field : { ...field, qname };
      // `self.logger`, `app.log`: named like a logger, taken for one (as bare names are).
      const kind = ctx.rules.kindOfName(e.attr);
      // Another attribute of an object whose secrets are all among its known fields (Value.rest).
      const flows = obj.rest !== undefined && obj.fields !== undefined ? obj.rest : obj.flows;
      return sourceByName(ctx, { flows, qname, ...(kind ? { kind } : {}) }, e.span);
    }
    case 'sub':
      return evalSubscript(ctx, e.obj, e.index, e.span, scope);
    case 'slice':
      return tainted(flowsOf([e.lower, e.upper, e.step].filter((x): x is Expr => x !== undefined).map((x) => evalExpr(ctx, x, scope))));
    case 'call':
      return evalCall(ctx, e, scope);
    case 'binop': {
      const left = evalExpr(ctx, e.left, scope);
      const right = evalExpr(ctx, e.right, scope);
      const flows = unionFlows(left.flows, right.flows);
      if (e.op === '+' && left.str !== undefined && right.str !== undefined) return { flows, str: left.str + right.str };
      return tainted(flows);
    }
    case 'test':
      for (const o of e.operands) evalExpr(ctx, o, scope);
      return CLEAN;
    case 'either': {
      for (const o of e.evaluated) evalExpr(ctx, o, scope);
      let v: Value | undefined;
      for (const o of e.options) v = join(v, evalExpr(ctx, o, scope));
      return v ?? CLEAN;
    }
    case 'seq': {
      const values = e.elts.map((x) => evalExpr(ctx, x, scope));
      const flows = flowsOf(values);
      if (e.kind === 'set' || e.elts.some((x) => x.k === 'star')) return tainted(flows);
      return { flows, fields: new Map(values.map((v, i) => [String(i), v])) };
    }
    case 'dict':
      return evalDict(ctx, e, scope);
    case 'star':
      return evalExpr(ctx, e.value, scope);
    case 'comp':
      return evalComprehension(ctx, e, scope);
    case 'lambda':
      return { flows: [], fn: { def: e.def, cell: ctx.cell, defaults: evalDefaults(ctx, e.def.params, scope), closure: scope } };
    case 'walrus': {
      const v = evalExpr(ctx, e.value, scope);
      scope.assign(e.target, withHop(v, { loc: { cell: ctx.cell, span: e.span }, label: e.target }));
      return v;
    }
    case 'other':
      return tainted(flowsOf(e.children.map((c) => evalExpr(ctx, c, scope))));
  }
}

export function evalDefaults(ctx: RunContext, params: readonly { name: string; default?: Expr }[], scope: Scope): Map<string, Value> {
  const defaults = new Map<string, Value>();
  for (const p of params) if (p.default) defaults.set(p.name, evalExpr(ctx, p.default, scope));
  return defaults;
}

function evalSubscript(ctx: RunContext, objExpr: Expr, index: Expr, span: Span, scope: Scope): Value {
  const obj = evalExpr(ctx, objExpr, scope);
  const idx = evalExpr(ctx, index, scope);
  // os.environ["HF_TOKEN"]
  if (obj.qname) {
    const rule = ctx.rules.sourceSubscripts.first(obj.qname);
    const key = staticText(idx);
    if (rule && (!rule.credentialNameArgument || (key !== undefined && isCredentialEnvName(key)))) {
      const shownKey = key !== undefined ? quoteLiteral(key, isCredentialFor(ctx)) : '…';
      const source = newSource(ctx, `${exprText(objExpr)}[${shownKey}]`, 'secret', span, rule.id);
      return { flows: [{ source, path: null }] };
    }
  }
  // One variable of the environment: a secret only by the rule above (a credential's name).
  if (obj.qname !== undefined && ctx.rules.sourceMappings.has(obj.qname)) return CLEAN;
  // Anything read from a secret store (`st.secrets["db"]["password"]`).
  if (obj.qname !== undefined && obj.flows.length > 0 && ctx.rules.sourceStores.has(obj.qname)) return { flows: obj.flows, qname: `${obj.qname}[]` };
  if (isConstPreviewSlice(ctx, index)) return CLEAN;
  const key = idx.str ?? (index.k === 'num' ? String(index.value) : undefined);
  if (key !== undefined && obj.fields) {
    const field = obj.fields.get(key);
    if (field) return field;
  }
  // Another constant key of a dict whose secrets all went in under known keys.
  if (key !== undefined && obj.rest !== undefined) return tainted(obj.rest);
  // `token[0]` of a string secret: one character, a preview within maxPreviewLength.
  if (index.k === 'num' && Number.isInteger(index.value) && isStringSecret(ctx, obj)) return CLEAN;
  // `config_list[i]` of a list of dicts: any of its elements, keys and all, so that a later
  // `config_list[i]["model"]` reads the model entries, not the api_key ones.
  if (key === undefined && !obj.qname) {
    const element = sequenceElement(obj);
    if (element) return { ...element, flows: unionFlows(element.flows, unionFlows(obj.flows, idx.flows)) };
  }
  const qname = obj.qname ? `${obj.qname}[]` : undefined;
  const flows = unionFlows(obj.flows, idx.flows);
  return qname ? { flows, qname } : tainted(flows);
}

function evalDict(ctx: RunContext, e: Extract<Expr, { k: 'dict' }>, scope: Scope): Value {
  const fields = new Map<string, Value>();
  let flows: readonly Flow[] = [];
  // What a constant key that is not among the fields reads: nothing, unless some entry's key is
  // not constant or a `**` merge brings entries nbguard does not know.
  let rest: readonly Flow[] = [];
  for (const item of e.items) {
    const value = evalExpr(ctx, item.value, scope);
    if (!item.key) {
      // {**other}: its known fields and its flows
      value.fields?.forEach((v, k) => fields.set(k, v));
      flows = unionFlows(flows, value.flows);
      rest = unionFlows(rest, restOf(value));
      continue;
    }
    const key = evalExpr(ctx, item.key, scope);
    flows = unionFlows(unionFlows(flows, value.flows), key.flows);
    const name = staticText(key);
    if (name !== undefined) fields.set(name, value);
    else rest = unionFlows(rest, unionFlows(value.flows, key.flows));
  }
  return { flows, fields, rest };
}

/** The flows of a value's entries other than its known fields (all of them when unknown). */
export function restOf(value: Value): readonly Flow[] {
  return value.rest ?? value.flows;
}

function evalComprehension(ctx: RunContext, e: Extract<Expr, { k: 'comp' }>, scope: Scope): Value {
  const inner = scope.fork(); // comprehension variables do not leak (Python 3)
  for (const g of e.gens) {
    const iter = evalExpr(ctx, g.iter, inner);
    bindTarget(ctx, g.target, elementOf(iter), inner, false);
    for (const cond of g.ifs) evalExpr(ctx, cond, inner);
  }
  const elt = evalExpr(ctx, e.elt, inner);
  const key = e.key ? evalExpr(ctx, e.key, inner) : CLEAN;
  return tainted(unionFlows(elt.flows, key.flows));
}

/** An element of a container or iterable: tainted when any part of it is. */
export function elementOf(v: Value): Value {
  if (!v.fields || v.fields.size === 0) return tainted(v.flows);
  const element = sequenceElement(v);
  if (element) return { flows: unionFlows(v.flows, element.flows), fields: element.fields, rest: element.rest };
  let joined: Value | undefined;
  for (const f of v.fields.values()) joined = join(joined, f);
  return tainted(unionFlows(v.flows, joined?.flows ?? []));
}

/**
 * Any element of a list or tuple literal whose elements are all dicts or records (fields by
 * position `0`, `1`, …): their join, which keeps the keys they share. Undefined for other values.
 */
function sequenceElement(v: Value): Value | undefined {
  if (!v.fields || v.fields.size === 0) return undefined;
  let element: Value | undefined;
  let i = 0;
  for (const [k, f] of v.fields) {
    if (k !== String(i++) || !f.fields) return undefined;
    element = join(element, f);
  }
  return element;
}

/**
 * Binds an assignment target. Names get the value (with a trace hop when it is tainted);
 * tuple targets take known positions of the value; `obj.attr = v` and `obj[k] = v` store into
 * the object bound to a name, so a later `obj` or `obj[k]` is tainted.
 */
export function bindTarget(ctx: RunContext, t: Target, value: Value, scope: Scope, hop = true): void {
  switch (t.k) {
    case 'name': {
      const v = hop ? withHop(value, { loc: { cell: ctx.cell, span: t.span }, label: t.id }) : value;
      scope.assign(t.id, v);
      return;
    }
    case 'unpack': {
      const starred = t.elts.some((x) => x.k === 'starred');
      // `credentials, project = google.auth.default()`: each element is `google.auth.default()[]`.
      const element = value.qname !== undefined && !value.fields ? { ...elementOf(value), qname: `${value.qname}[]` } : elementOf(value);
      t.elts.forEach((elt, i) => {
        const field = !starred ? value.fields?.get(String(i)) : undefined;
        bindTarget(ctx, elt, field ?? element, scope, hop);
      });
      return;
    }
    case 'starred':
      bindTarget(ctx, t.target, elementOf(value), scope, hop);
      return;
    case 'attr':
    case 'sub': {
      const root = rootName(t.obj);
      const key = t.k === 'attr' ? t.attr : staticText(evalExpr(ctx, t.index, scope));
      if (!root) {
        evalExpr(ctx, t.obj, scope);
        return;
      }
      storeInto(ctx, scope, t.obj, key, value, t.span);
      return;
    }
  }
}

/** The name at the root of `a.b[c].d`, if it is a name. */
export function rootName(e: Expr): string | undefined {
  let cur = e;
  while (cur.k === 'attr' || cur.k === 'sub') cur = cur.obj;
  return cur.k === 'name' ? cur.id : undefined;
}

/** Stores `value` under `key` in the object `objExpr` (a name or a path from one). */
export function storeInto(ctx: RunContext, scope: Scope, objExpr: Expr, key: string | undefined, value: Value, span: Span): void {
  if (objExpr.k === 'name') {
    const current = scope.lookup(objExpr.id);
    // Nothing to store into: a builtin or Databricks global, or a module such as `os`.
    if (!current || (current.qname !== undefined && !/[)\]]$/.test(current.qname))) return;
    const base = current;
    const fields = new Map(base.fields ?? []);
    if (key !== undefined) fields.set(key, value);
    const flows = unionFlows(base.flows, value.flows);
    // Under a constant key the other entries are unchanged; under another key, any may be it.
    const rest = key !== undefined ? restOf(base) : unionFlows(restOf(base), value.flows);
    const stored: Value = { ...base, flows, fields: key !== undefined ? fields : base.fields, rest };
    const hopped = value.flows.length > 0 ? withHop(stored, { loc: { cell: ctx.cell, span }, label: objExpr.id }) : stored;
    scope.assign(objExpr.id, hopped);
    return;
  }
  if ((objExpr.k === 'attr' || objExpr.k === 'sub') && value.flows.length > 0) {
    // a.b[k] = secret: store into a.b, then a.b into a, down to the root name.
    const outerKey = objExpr.k === 'attr' ? objExpr.attr : staticText(evalExpr(ctx, objExpr.index, scope));
    const inner = evalExpr(ctx, objExpr, scope);
    const merged: Value = { ...inner, flows: unionFlows(inner.flows, value.flows) };
    storeInto(ctx, scope, objExpr.obj, outerKey, merged, span);
  }
}
