// Lowers tree-sitter Python expressions, targets and parameters to the IR of ./ir.ts. Unknown
// or broken syntax becomes an `other` node over whatever children could be lowered, so a flow
// through a half-typed line is still followed.

import type { FlatTree } from '../parse/flatTree';
import { NONE } from '../parse/flatTree';
import type { Arg, Comprehension, DictItem, Expr, FunctionDef, Param, Span, Target } from './ir';
import { lowerString } from './lowerString';

/** A node of the context's tree (parse/flatTree.ts), or NONE. */
export type Node = number;

/** The context a lowering pass needs: the tree, and the cell id for ids of functions and lambdas. */
export interface LowerContext {
  readonly tree: FlatTree;
  readonly cellId: string;
  /** Lowers a block of statements (provided by lowerStmt, which depends on this module). */
  readonly lowerBlock: (node: Node, ctx: LowerContext) => import('./ir').Stmt[];
  /** How many expressions and blocks enclose the node being lowered. */
  depth: number;
  /** Statements skipped for nesting too deep. */
  tooDeep?: Span[];
}

/**
 * Code nested deeper than this is not lowered: the statement holding it is reported as not
 * analysed. Every later pass over the facts recurses, and a bound here keeps all of them far
 * from the stack's end whatever else the process is doing. CPython's own tokenizer refuses
 * brackets nested 200 deep. Long chains of one operator (`a + b + … `, 50,000 terms) are not
 * deep: they are lowered as a balanced tree.
 */
export const MAX_NESTING = 200;

export class TooDeep extends Error {
  constructor() {
    super(`nested more than ${MAX_NESTING} levels deep`);
  }
}

/** Runs `lower` one level deeper, refusing to go past MAX_NESTING. */
export function deeper<T>(ctx: LowerContext, lower: () => T): T {
  if (ctx.depth >= MAX_NESTING) throw new TooDeep();
  ctx.depth++;
  try {
    return lower();
  } finally {
    ctx.depth--;
  }
}

export function lowerExpr(node: Node, ctx: LowerContext): Expr {
  // deeper(), written out: this runs for every expression, and a closure per call is garbage.
  if (ctx.depth >= MAX_NESTING) throw new TooDeep();
  ctx.depth++;
  try {
    return lowerExprNode(node, ctx);
  } finally {
    ctx.depth--;
  }
}

/** Operator chains longer than this become a balanced tree (short ones keep their shape). */
const LONG_CHAIN = 32;

/**
 * `a + b + c + …` parses as a left-deep tree as deep as the chain is long. Its operands are
 * gathered without recursion and lowered into a balanced tree of the same operator, in the same
 * order: what the dataflow computes of a chain (the join of its flows, the concatenated text)
 * does not depend on how it is grouped.
 */
function lowerChain(node: Node, op: string, ctx: LowerContext): Expr | undefined {
  const t = ctx.tree;
  const rights: Node[] = [];
  let left: Node = node;
  while (left !== NONE && t.type(left) === 'binary_operator' && textOf(t, t.field(left, 'operator')) === op) {
    const right = t.field(left, 'right');
    if (right === NONE) return undefined;
    rights.push(right);
    left = t.field(left, 'left');
  }
  if (left === NONE || rights.length < LONG_CHAIN) return undefined;
  const operands = [left, ...rights.reverse()].map((n) => lowerExpr(n, ctx));
  const build = (lo: number, hi: number): Expr => {
    if (lo === hi) return operands[lo];
    const mid = (lo + hi) >> 1;
    const a = operands[lo].span;
    const b = operands[hi].span;
    return { k: 'binop', op, left: build(lo, mid), right: build(mid + 1, hi), span: { r: a.r, c: a.c, er: b.er, ec: b.ec } };
  };
  return build(0, operands.length - 1);
}

/** A node's text, or undefined for NONE. */
export function textOf(t: FlatTree, node: Node): string | undefined {
  return node === NONE ? undefined : t.text(node);
}

function lowerExprNode(node: Node, ctx: LowerContext): Expr {
  const t = ctx.tree;
  const span = t.span(node);
  const type = t.type(node);
  switch (type) {
    case 'identifier':
      return { k: 'name', id: t.text(node), span };
    case 'string':
    case 'concatenated_string':
      return lowerString(node, ctx);
    case 'integer':
    case 'float': {
      const value = Number(t.text(node).replace(/_/g, ''));
      return { k: 'num', value: Number.isFinite(value) ? value : 0, span };
    }
    case 'true':
    case 'false':
    case 'none':
    case 'ellipsis':
      return { k: 'const', span, name: type };
    case 'parenthesized_expression': {
      const inner = t.named(node)[0];
      return inner !== undefined ? lowerExpr(inner, ctx) : { k: 'const', span };
    }
    case 'attribute': {
      const obj = t.field(node, 'object');
      const attr = t.field(node, 'attribute');
      if (obj === NONE || attr === NONE) return other(node, ctx);
      return { k: 'attr', obj: lowerExpr(obj, ctx), attr: t.text(attr), span };
    }
    case 'subscript': {
      const value = t.field(node, 'value');
      const indexes = t.fieldAll(node, 'subscript');
      if (value === NONE) return other(node, ctx);
      const index: Expr =
        indexes.length === 1 ? lowerExpr(indexes[0], ctx) : { k: 'seq', kind: 'tuple', elts: indexes.map((n) => lowerExpr(n, ctx)), span };
      return { k: 'sub', obj: lowerExpr(value, ctx), index, span };
    }
    case 'slice':
      return lowerSlice(node, ctx);
    case 'call':
      return lowerCall(node, ctx);
    case 'binary_operator': {
      const left = t.field(node, 'left');
      const right = t.field(node, 'right');
      const op = textOf(t, t.field(node, 'operator')) ?? '?';
      if (left === NONE || right === NONE) return other(node, ctx);
      const chain = t.type(left) === 'binary_operator' ? lowerChain(node, op, ctx) : undefined;
      if (chain) return { ...chain, span };
      return { k: 'binop', op, left: lowerExpr(left, ctx), right: lowerExpr(right, ctx), span };
    }
    case 'comparison_operator':
    case 'not_operator':
      return { k: 'test', operands: lowerAll(t.named(node), ctx), span };
    case 'boolean_operator':
      return { k: 'either', options: lowerAll(t.named(node), ctx), evaluated: [], span };
    case 'conditional_expression': {
      const [a, cond, b] = lowerAll(t.named(node), ctx);
      return { k: 'either', options: [a, b].filter(Boolean), evaluated: cond ? [cond] : [], span };
    }
    case 'unary_operator': {
      const arg = t.field(node, 'argument');
      return arg !== NONE ? { k: 'either', options: [lowerExpr(arg, ctx)], evaluated: [], span } : other(node, ctx);
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern': {
      const kind = type === 'list' || type === 'list_pattern' ? 'list' : type === 'set' ? 'set' : 'tuple';
      return { k: 'seq', kind, elts: lowerAll(t.named(node), ctx), span };
    }
    case 'list_splat':
    case 'dictionary_splat':
    case 'parenthesized_list_splat':
    case 'list_splat_pattern': {
      const inner = t.named(node)[0];
      return inner !== undefined ? { k: 'star', value: lowerExpr(inner, ctx), span } : other(node, ctx);
    }
    case 'dictionary':
      return lowerDict(node, ctx);
    case 'list_comprehension':
    case 'set_comprehension':
    case 'generator_expression':
    case 'dictionary_comprehension':
      return lowerComprehension(node, ctx);
    case 'lambda':
      return { k: 'lambda', def: lowerLambda(node, ctx), span };
    case 'named_expression': {
      const name = t.field(node, 'name');
      const value = t.field(node, 'value');
      if (name === NONE || value === NONE) return other(node, ctx);
      return { k: 'walrus', target: t.text(name), value: lowerExpr(value, ctx), span };
    }
    case 'keyword_argument': {
      const value = t.field(node, 'value');
      return value !== NONE ? lowerExpr(value, ctx) : other(node, ctx);
    }
    default:
      return other(node, ctx);
  }
}

/** Lowers each node, in order. */
export function lowerAll(nodes: readonly Node[], ctx: LowerContext): Expr[] {
  return nodes.map((n) => lowerExpr(n, ctx));
}

function other(node: Node, ctx: LowerContext): Expr {
  return { k: 'other', children: lowerAll(ctx.tree.named(node), ctx), span: ctx.tree.span(node) };
}

function lowerSlice(node: Node, ctx: LowerContext): Expr {
  const t = ctx.tree;
  // slice children are `[lower] : [upper] [: step]`; find which side of each colon a child sits.
  const parts: (Expr | undefined)[] = [undefined, undefined, undefined];
  let slot = 0;
  for (const child of t.children(node)) {
    const type = t.type(child);
    if (type === ':') slot++;
    else if (t.isNamed(child) && type !== 'comment') parts[slot] = lowerExpr(child, ctx);
  }
  return { k: 'slice', lower: parts[0], upper: parts[1], step: parts[2], span: t.span(node) };
}

function lowerCall(node: Node, ctx: LowerContext): Expr {
  const t = ctx.tree;
  const fn = t.field(node, 'function');
  const argsNode = t.field(node, 'arguments');
  const args: Arg[] = [];
  if (argsNode !== NONE && t.type(argsNode) === 'generator_expression') {
    args.push({ value: lowerExpr(argsNode, ctx) });
  } else {
    for (const a of t.named(argsNode)) {
      const type = t.type(a);
      if (type === 'keyword_argument') {
        const name = textOf(t, t.field(a, 'name'));
        const value = t.field(a, 'value');
        if (value !== NONE) args.push({ name, value: lowerExpr(value, ctx) });
      } else if (type === 'list_splat' || type === 'dictionary_splat') {
        const inner = t.named(a)[0];
        if (inner !== undefined) args.push({ star: type === 'list_splat' ? 1 : 2, value: lowerExpr(inner, ctx) });
      } else {
        args.push({ value: lowerExpr(a, ctx) });
      }
    }
  }
  const fnExpr: Expr = fn !== NONE ? lowerExpr(fn, ctx) : { k: 'const', span: t.span(node) };
  return { k: 'call', fn: fnExpr, args, span: t.span(node) };
}

function lowerDict(node: Node, ctx: LowerContext): Expr {
  const t = ctx.tree;
  const items: DictItem[] = [];
  for (const child of t.named(node)) {
    const type = t.type(child);
    if (type === 'pair') {
      const key = t.field(child, 'key');
      const value = t.field(child, 'value');
      if (key !== NONE && value !== NONE) items.push({ key: lowerExpr(key, ctx), value: lowerExpr(value, ctx) });
    } else if (type === 'dictionary_splat') {
      const inner = t.named(child)[0];
      if (inner !== undefined) items.push({ value: lowerExpr(inner, ctx) });
    }
  }
  return { k: 'dict', items, span: t.span(node) };
}

function lowerComprehension(node: Node, ctx: LowerContext): Expr {
  const t = ctx.tree;
  const body = t.field(node, 'body');
  const gens: { target: Target; iter: Expr; ifs: Expr[] }[] = [];
  for (const child of t.named(node)) {
    const type = t.type(child);
    if (type === 'for_in_clause') {
      const left = t.field(child, 'left');
      const right = t.field(child, 'right');
      if (left !== NONE && right !== NONE) gens.push({ target: lowerTarget(left, ctx), iter: lowerExpr(right, ctx), ifs: [] });
    } else if (type === 'if_clause' && gens.length > 0) {
      const cond = t.named(child)[0];
      if (cond !== undefined) gens[gens.length - 1].ifs.push(lowerExpr(cond, ctx));
    }
  }
  const span = t.span(node);
  if (body !== NONE && t.type(body) === 'pair') {
    const key = t.field(body, 'key');
    const value = t.field(body, 'value');
    return {
      k: 'comp',
      key: key !== NONE ? lowerExpr(key, ctx) : undefined,
      elt: value !== NONE ? lowerExpr(value, ctx) : { k: 'const', span },
      gens: gens as Comprehension[],
      span,
    };
  }
  return { k: 'comp', elt: body !== NONE ? lowerExpr(body, ctx) : { k: 'const', span }, gens: gens as Comprehension[], span };
}

export function lowerTarget(node: Node, ctx: LowerContext): Target {
  const t = ctx.tree;
  const span = t.span(node);
  switch (t.type(node)) {
    case 'identifier':
      return { k: 'name', id: t.text(node), span };
    case 'attribute': {
      const obj = t.field(node, 'object');
      const attr = t.field(node, 'attribute');
      if (obj !== NONE && attr !== NONE) return { k: 'attr', obj: lowerExpr(obj, ctx), attr: t.text(attr), span };
      break;
    }
    case 'subscript': {
      const e = lowerExpr(node, ctx);
      if (e.k === 'sub') return { k: 'sub', obj: e.obj, index: e.index, span };
      break;
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'tuple':
    case 'list':
      return { k: 'unpack', elts: t.named(node).map((n) => lowerTarget(n, ctx)), span };
    case 'list_splat_pattern':
    case 'list_splat': {
      const inner = t.named(node)[0];
      if (inner !== undefined) return { k: 'starred', target: lowerTarget(inner, ctx), span };
      break;
    }
    case 'parenthesized_expression': {
      const inner = t.named(node)[0];
      if (inner !== undefined) return lowerTarget(inner, ctx);
      break;
    }
  }
  return { k: 'unpack', elts: [], span };
}

export function lowerParams(node: Node, ctx: LowerContext): Param[] {
  const t = ctx.tree;
  const params: Param[] = [];
  /** The name of `*args` or `**kwargs`. */
  const splatName = (p: Node) => textOf(t, t.named(p)[0] ?? NONE) ?? '_';
  for (const p of t.named(node)) {
    const span = t.span(p);
    switch (t.type(p)) {
      case 'identifier':
        params.push({ name: t.text(p), span });
        break;
      case 'typed_parameter': {
        const inner = t.named(p)[0];
        const type = inner === undefined ? undefined : t.type(inner);
        if (type === 'identifier') params.push({ name: t.text(inner), span });
        else if (type === 'list_splat_pattern') params.push({ name: splatName(inner), star: 1, span });
        else if (type === 'dictionary_splat_pattern') params.push({ name: splatName(inner), star: 2, span });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = t.field(p, 'name');
        const value = t.field(p, 'value');
        if (name !== NONE) params.push({ name: t.text(name), default: value !== NONE ? lowerExpr(value, ctx) : undefined, span });
        break;
      }
      case 'list_splat_pattern':
        params.push({ name: splatName(p), star: 1, span });
        break;
      case 'dictionary_splat_pattern':
        params.push({ name: splatName(p), star: 2, span });
        break;
    }
  }
  return params;
}

function lowerLambda(node: Node, ctx: LowerContext): FunctionDef {
  const t = ctx.tree;
  const span = t.span(node);
  const body = t.field(node, 'body');
  return {
    id: `${ctx.cellId}:${t.startIndex(node)}`,
    name: '<lambda>',
    params: lowerParams(t.field(node, 'parameters'), ctx),
    body: [],
    lambdaBody: body !== NONE ? lowerExpr(body, ctx) : { k: 'const', span },
    span,
    globals: new Set(),
  };
}
