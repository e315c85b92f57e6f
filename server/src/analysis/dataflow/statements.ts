// Executes statements over abstract values, flow-sensitively in analysis order: assignment
// replaces a name's value (a clean value clears it), branches and loops run on overlays that
// are joined afterwards, and the notebook's statement sinks (the cell echo, raise, assert)
// and the environment/configuration stores are checked here.

import type { Stmt, Target } from '../lower/ir';
import { isCredentialName } from '../rules/credentialNames';
import { locOf, newSource, type RunContext } from './context';
import { bindTarget, elementOf, evalDefaults, evalExpr, staticText } from './expressions';
import { probeFunction } from './functions';
import type { Scope } from './scope';
import { checkEnvironment, reportTaintSink } from './sinks';
import { CLEAN, type FunctionValue, type Value } from './value';

export function execBlock(ctx: RunContext, body: readonly Stmt[], scope: Scope): void {
  for (const s of body) execStmt(ctx, s, scope, false);
}

/** Runs a cell's top-level statements; the last one may be echoed into the cell output. */
export function execCell(ctx: RunContext, body: readonly Stmt[], scope: Scope): void {
  ctx.topLevel = true;
  body.forEach((s, i) => execStmt(ctx, s, scope, i === body.length - 1));
}

function execStmt(ctx: RunContext, s: Stmt, scope: Scope, lastInCell: boolean): void {
  switch (s.k) {
    case 'expr': {
      const value = evalExpr(ctx, s.value, scope);
      if (lastInCell && ctx.topLevel && ctx.echoes && !s.semicolon) {
        const echo = ctx.rules.statementSinks.get('echo');
        if (echo) reportTaintSink(ctx, echo.rule, "the cell's output (its last expression is echoed)", s.value.span, [value]);
      }
      return;
    }
    case 'assign': {
      let value = evalExpr(ctx, s.value, scope);
      value = presumedInput(ctx, s, value);
      for (const t of s.targets) {
        storeCheck(ctx, t, value, scope);
        bindTarget(ctx, t, value, scope);
      }
      return;
    }
    case 'augassign': {
      const current = evalExpr(ctx, targetAsExpr(s.target), scope);
      const added = evalExpr(ctx, s.value, scope);
      const value: Value = { flows: [...current.flows, ...added.flows.filter((f) => !current.flows.some((g) => g.source.id === f.source.id))] };
      storeCheck(ctx, s.target, value, scope);
      bindTarget(ctx, s.target, value.flows.length > 0 ? value : CLEAN, scope);
      return;
    }
    case 'annassign':
      if (s.value) bindTarget(ctx, s.target, evalExpr(ctx, s.value, scope), scope);
      return;
    case 'if': {
      const forks: Scope[] = [];
      for (const b of s.branches) {
        if (b.test) evalExpr(ctx, b.test, scope);
        const fork = scope.fork();
        execBlock(ctx, b.body, fork);
        forks.push(fork);
      }
      scope.merge(forks);
      return;
    }
    case 'for':
    case 'while': {
      const loop = scope.fork();
      // Two passes reach the values that flow around the loop once; more rarely matter.
      for (let pass = 0; pass < 2; pass++) {
        if (s.k === 'for') bindTarget(ctx, s.target, elementOf(evalExpr(ctx, s.iter, loop)), loop);
        else evalExpr(ctx, s.test, loop);
        execBlock(ctx, s.body, loop);
      }
      scope.merge([loop, scope.fork()]);
      execBlock(ctx, s.orelse, scope);
      return;
    }
    case 'try': {
      execBlock(ctx, s.body, scope);
      const forks: Scope[] = [];
      const normal = scope.fork();
      execBlock(ctx, s.orelse, normal);
      forks.push(normal);
      for (const h of s.handlers) {
        if (h.types) evalExpr(ctx, h.types, scope);
        const fork = scope.fork();
        if (h.name) fork.assign(h.name, CLEAN);
        execBlock(ctx, h.body, fork);
        forks.push(fork);
      }
      scope.merge(forks);
      execBlock(ctx, s.finalbody, scope);
      return;
    }
    case 'with':
      for (const item of s.items) {
        const value = evalExpr(ctx, item.ctx, scope);
        if (item.target) bindTarget(ctx, item.target, value, scope);
      }
      execBlock(ctx, s.body, scope);
      return;
    case 'def': {
      for (const d of s.decorators) evalExpr(ctx, d, scope);
      const fn = { def: s.def, cell: ctx.cell, defaults: evalDefaults(ctx, s.def.params, scope), closure: scope };
      scope.assign(s.def.name, { flows: [], fn });
      probeFunction(ctx, fn);
      return;
    }
    case 'class': {
      for (const b of s.bases) evalExpr(ctx, b, scope);
      // The class body runs once; its methods are probed like functions and kept for calls.
      const body = scope.fork();
      const saved = ctx.topLevel;
      ctx.topLevel = false;
      execBlock(ctx, s.body, body);
      ctx.topLevel = saved;
      const methods = new Map<string, FunctionValue>();
      const attributes = new Map<string, Value>();
      const annotated: string[] = [];
      for (const member of s.body) {
        if (member.k === 'def') {
          const fn = body.lookup(member.def.name)?.fn;
          if (fn) methods.set(member.def.name, fn);
        } else if (member.k === 'annassign' && member.target.k === 'name') annotated.push(member.target.id);
        if (member.k === 'assign') for (const t of member.targets) if (t.k === 'name') attributes.set(t.id, body.lookup(t.id) ?? CLEAN);
        if (member.k === 'annassign' && member.target.k === 'name' && member.value) attributes.set(member.target.id, body.lookup(member.target.id) ?? CLEAN);
      }
      scope.assign(s.name, { flows: [], qname: s.name, cls: { name: s.name, methods, attributes, annotated } });
      return;
    }
    case 'return':
      if (ctx.returns) ctx.returns.push(s.value ? evalExpr(ctx, s.value, scope) : CLEAN);
      else if (s.value) evalExpr(ctx, s.value, scope);
      return;
    case 'raise': {
      if (!s.value) return;
      const value = evalExpr(ctx, s.value, scope);
      const sink = ctx.rules.statementSinks.get('raise');
      if (sink) reportTaintSink(ctx, sink.rule, 'an exception message (raise)', s.span, [value]);
      return;
    }
    case 'assert': {
      evalExpr(ctx, s.test, scope);
      if (!s.msg) return;
      const value = evalExpr(ctx, s.msg, scope);
      const sink = ctx.rules.statementSinks.get('assert');
      if (sink) reportTaintSink(ctx, sink.rule, 'an assertion message', s.span, [value]);
      return;
    }
    case 'import':
      for (const n of s.names) scope.assign(n.bind, { flows: [], qname: ctx.rules.canonical(n.qname) });
      return;
    case 'global':
      return;
    case 'del':
      for (const t of s.targets) if (t.k === 'name') scope.assign(t.id, CLEAN);
      return;
    case 'other':
      for (const e of s.exprs) evalExpr(ctx, e, scope);
      execBlock(ctx, s.body, scope);
      return;
  }
}

/** `password = input("Password: ")`: a credential-named variable read from input() is a presumed secret. */
function presumedInput(ctx: RunContext, s: Extract<Stmt, { k: 'assign' }>, value: Value): Value {
  if (s.value.k !== 'call' || s.value.fn.k !== 'name' || s.value.fn.id !== 'input') return value;
  const name = s.targets.find((t): t is Extract<Target, { k: 'name' }> => t.k === 'name' && isCredentialName(t.id));
  if (!name) return value;
  return { flows: [{ source: newSource(ctx, `input() assigned to "${name.id}"`, 'presumed', s.value.span), path: null }] };
}

/** `os.environ["K"] = secret` stores into the process environment (NBG301). */
function storeCheck(ctx: RunContext, t: Target, value: Value, scope: Scope): void {
  if (t.k !== 'sub' || value.flows.length === 0) return;
  const obj = evalExpr(ctx, t.obj, scope);
  if (obj.qname === undefined || !ctx.rules.envSubscripts.first(obj.qname)) return;
  checkEnvironment(ctx, locOf(ctx, t.span).span, staticText(evalExpr(ctx, t.index, scope)), [value]);
}

function targetAsExpr(t: Target): Parameters<typeof evalExpr>[1] {
  switch (t.k) {
    case 'name':
      return { k: 'name', id: t.id, span: t.span };
    case 'attr':
      return { k: 'attr', obj: t.obj, attr: t.attr, span: t.span };
    case 'sub':
      return { k: 'sub', obj: t.obj, index: t.index, span: t.span };
    default:
      return { k: 'const', span: t.span };
  }
}
