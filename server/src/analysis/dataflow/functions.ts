// User-defined functions and lambdas. A call interprets the body with the arguments' values
// bound to the parameters, in the cell that defines the function, so a sink inside fires at
// its own line with the call site as a trace hop, and a returned secret taints the call. A
// definition is also probed once with credential-named parameters (`def connect(password)`)
// as presumed secrets, so a leak inside a function shows even before anything calls it.

import type { FunctionDef } from '../lower/ir';
import { isPresumedSecretParameter } from '../rules/credentialNames';
import type { RunContext } from './context';
import { elementOf, evalExpr } from './expressions';
import { Scope } from './scope';
import type { EvaluatedArg } from './sinks';
import { execBlock } from './statements';
import { CLEAN, flowsOf, join, sourceId, tainted, withHop, type FunctionValue, type Source, type Value } from './value';
import type { Expr } from '../lower/ir';

const MAX_DEPTH = 8;
/** User-function bodies interpreted per analysis run before calls fall back to plain propagation. */
const MAX_CALLS = 50_000;

type CallExpr = Extract<Expr, { k: 'call' }>;

/** Binds call arguments to parameters the way Python does (positional, keyword, *args, **kwargs). */
function bindArguments(ctx: RunContext, fn: FunctionValue, args: readonly EvaluatedArg[]): Map<string, Value> {
  const params = fn.def.params;
  const bound = new Map<string, Value>();
  const positionalParams = params.filter((p) => !p.star);
  const varargs = params.find((p) => p.star === 1);
  const kwargs = params.find((p) => p.star === 2);
  let position = 0;
  const extraPositional: Value[] = [];
  const extraKeywords = new Map<string, Value>();
  const hopFor = (name: string, arg: EvaluatedArg, v: Value) =>
    withHop(v, { loc: { cell: ctx.cell, span: arg.arg.value.span }, label: `argument "${name}" of ${fn.def.name}()` });
  for (const a of args) {
    if (a.arg.star === 1) {
      const element = elementOf(a.value);
      for (; position < positionalParams.length; position++) bound.set(positionalParams[position].name, hopFor(positionalParams[position].name, a, element));
      extraPositional.push(element);
    } else if (a.arg.star === 2) {
      for (const p of positionalParams) if (!bound.has(p.name)) bound.set(p.name, hopFor(p.name, a, a.value.fields?.get(p.name) ?? elementOf(a.value)));
      extraKeywords.set('**', a.value);
    } else if (a.arg.name !== undefined) {
      if (positionalParams.some((p) => p.name === a.arg.name)) bound.set(a.arg.name, hopFor(a.arg.name, a, a.value));
      else extraKeywords.set(a.arg.name, a.value);
    } else if (position < positionalParams.length) {
      const p = positionalParams[position++];
      bound.set(p.name, hopFor(p.name, a, a.value));
    } else extraPositional.push(a.value);
  }
  for (const p of positionalParams) if (!bound.has(p.name)) bound.set(p.name, fn.defaults.get(p.name) ?? CLEAN);
  if (varargs) bound.set(varargs.name, tainted(flowsOf(extraPositional)));
  if (kwargs) bound.set(kwargs.name, { flows: flowsOf([...extraKeywords.values()]), fields: extraKeywords });
  return bound;
}

/** Runs a function body in `scope`, returning the join of its return values. */
function runBody(ctx: RunContext, fn: FunctionValue, scope: Scope): Value {
  const saved = { cell: ctx.cell, returns: ctx.returns, topLevel: ctx.topLevel };
  ctx.cell = fn.cell;
  ctx.returns = [];
  ctx.topLevel = false;
  ctx.callStack.push(fn.def.id);
  try {
    if (fn.def.lambdaBody) {
      ctx.returns.push(evalLambdaBody(ctx, fn.def, scope));
    } else execBlock(ctx, fn.def.body, scope);
    let result: Value | undefined;
    for (const r of ctx.returns) result = join(result, r);
    return result ?? CLEAN;
  } finally {
    ctx.callStack.pop();
    ctx.cell = saved.cell;
    ctx.returns = saved.returns;
    ctx.topLevel = saved.topLevel;
  }
}

function evalLambdaBody(ctx: RunContext, def: FunctionDef, scope: Scope): Value {
  return def.lambdaBody ? evalExpr(ctx, def.lambdaBody, scope) : CLEAN;
}

/** A method call's bound `self`; after the call, `value` is `self` as the method left it. */
export interface BoundSelf {
  value: Value;
}

export function callUserFunction(ctx: RunContext, fn: FunctionValue, args: readonly EvaluatedArg[], call: CallExpr, scope: Scope, self?: BoundSelf): Value {
  const fallback = () => tainted(flowsOf([...args.map((a) => a.value), ...(self ? [self.value] : [])]));
  if (ctx.callStack.includes(fn.def.id) || ctx.callStack.length >= MAX_DEPTH || ctx.calls >= MAX_CALLS) return fallback();
  ctx.calls++;
  const parent = fn.closure ?? scope.module ?? scope;
  const local = Scope.local(parent, fn.def.globals);
  const selfName = self ? fn.def.params.find((p) => !p.star)?.name : undefined;
  const bound = bindArguments(ctx, selfName ? { ...fn, def: { ...fn.def, params: fn.def.params.filter((p) => p.name !== selfName) } } : fn, args);
  for (const [name, value] of bound) local.assign(name, value);
  if (selfName && self) local.assign(selfName, self.value);
  const callerLoc = { cell: ctx.cell, span: call.span };
  const result = runBody(ctx, fn, local);
  if (selfName && self) self.value = local.lookup(selfName) ?? self.value;
  return withHop(result, { loc: callerLoc, label: `returned by ${fn.def.name}()` });
}

/**
 * Interprets a new definition once: credential-named parameters hold presumed secrets, others
 * are clean; writes to module names are discarded (nothing was called).
 */
export function probeFunction(ctx: RunContext, fn: FunctionValue): void {
  if (ctx.callStack.length >= MAX_DEPTH || ctx.calls >= MAX_CALLS) return;
  ctx.calls++;
  const parent = (fn.closure ?? Scope.module()).fork();
  const local = Scope.local(parent, fn.def.globals);
  for (const p of fn.def.params) {
    if (p.star === undefined && isPresumedSecretParameter(p.name)) {
      const loc = { cell: fn.cell, span: p.span };
      const source: Source = { id: sourceId(loc, 'presumed'), label: `parameter "${p.name}" of ${fn.def.name}()`, kind: 'presumed', loc };
      local.assign(p.name, { flows: [{ source, path: null }] });
    } else local.assign(p.name, fn.defaults.get(p.name) ?? CLEAN);
  }
  runBody(ctx, fn, local);
}
