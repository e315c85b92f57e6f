// Lowers tree-sitter Python expressions, targets and parameters to the IR of ./ir.ts. Unknown
// or broken syntax becomes an `other` node over whatever children could be lowered, so a flow
// through a half-typed line is still followed.

import type { Node } from 'web-tree-sitter';
import type { Arg, Comprehension, DictItem, Expr, FPart, FunctionDef, Param, Span, Target } from './ir';
import { decodeEscapes } from './strings';

export function spanOf(node: Node): Span {
  const s = node.startPosition;
  const e = node.endPosition;
  return { r: s.row, c: s.column, er: e.row, ec: e.column };
}

export function named(node: Node | null | undefined): Node[] {
  if (!node) return [];
  const out: Node[] = [];
  for (const child of node.namedChildren) if (child && child.type !== 'comment') out.push(child);
  return out;
}

/** The context a lowering pass needs: the cell id, for ids of functions and lambdas. */
export interface LowerContext {
  readonly cellId: string;
  /** Lowers a block of statements (provided by lowerStmt, which depends on this module). */
  readonly lowerBlock: (node: Node | null, ctx: LowerContext) => import('./ir').Stmt[];
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
  return deeper(ctx, () => lowerExprNode(node, ctx));
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
  const rights: Node[] = [];
  let left: Node | null = node;
  while (left && left.type === 'binary_operator' && left.childForFieldName('operator')?.text === op) {
    const right = left.childForFieldName('right');
    if (!right) return undefined;
    rights.push(right);
    left = left.childForFieldName('left');
  }
  if (!left || rights.length < LONG_CHAIN) return undefined;
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

function lowerExprNode(node: Node, ctx: LowerContext): Expr {
  const span = spanOf(node);
  switch (node.type) {
    case 'identifier':
      return { k: 'name', id: node.text, span };
    case 'string':
    case 'concatenated_string':
      return lowerString(node, ctx);
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return { k: 'num', value: Number.isFinite(value) ? value : 0, span };
    }
    case 'true':
    case 'false':
    case 'none':
    case 'ellipsis':
      return { k: 'const', span, name: node.type };
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      return inner ? lowerExpr(inner, ctx) : { k: 'const', span };
    }
    case 'attribute': {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (!obj || !attr) return other(node, ctx);
      return { k: 'attr', obj: lowerExpr(obj, ctx), attr: attr.text, span };
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      const indexes = node.childrenForFieldName('subscript').filter((n): n is Node => n !== null);
      if (!value) return other(node, ctx);
      const index: Expr =
        indexes.length === 1 ? lowerExpr(indexes[0], ctx) : { k: 'seq', kind: 'tuple', elts: indexes.map((n) => lowerExpr(n, ctx)), span };
      return { k: 'sub', obj: lowerExpr(value, ctx), index, span };
    }
    case 'slice':
      return lowerSlice(node, ctx);
    case 'call':
      return lowerCall(node, ctx);
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const op = node.childForFieldName('operator')?.text ?? '?';
      if (!left || !right) return other(node, ctx);
      const chain = left.type === 'binary_operator' ? lowerChain(node, op, ctx) : undefined;
      if (chain) return { ...chain, span };
      return { k: 'binop', op, left: lowerExpr(left, ctx), right: lowerExpr(right, ctx), span };
    }
    case 'comparison_operator':
    case 'not_operator':
      return { k: 'test', operands: named(node).map((n) => lowerExpr(n, ctx)), span };
    case 'boolean_operator': {
      const options = named(node).map((n) => lowerExpr(n, ctx));
      return { k: 'either', options, evaluated: [], span };
    }
    case 'conditional_expression': {
      const [a, cond, b] = named(node).map((n) => lowerExpr(n, ctx));
      return { k: 'either', options: [a, b].filter(Boolean), evaluated: cond ? [cond] : [], span };
    }
    case 'unary_operator': {
      const arg = node.childForFieldName('argument');
      return arg ? { k: 'either', options: [lowerExpr(arg, ctx)], evaluated: [], span } : other(node, ctx);
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern': {
      const kind = node.type === 'list' || node.type === 'list_pattern' ? 'list' : node.type === 'set' ? 'set' : 'tuple';
      return { k: 'seq', kind, elts: named(node).map((n) => lowerExpr(n, ctx)), span };
    }
    case 'list_splat':
    case 'dictionary_splat':
    case 'parenthesized_list_splat':
    case 'list_splat_pattern': {
      const inner = named(node)[0];
      return inner ? { k: 'star', value: lowerExpr(inner, ctx), span } : other(node, ctx);
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
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      if (!name || !value) return other(node, ctx);
      return { k: 'walrus', target: name.text, value: lowerExpr(value, ctx), span };
    }
    case 'keyword_argument': {
      const value = node.childForFieldName('value');
      return value ? lowerExpr(value, ctx) : other(node, ctx);
    }
    default:
      return other(node, ctx);
  }
}

function other(node: Node, ctx: LowerContext): Expr {
  return { k: 'other', children: named(node).map((n) => lowerExpr(n, ctx)), span: spanOf(node) };
}

function lowerSlice(node: Node, ctx: LowerContext): Expr {
  // slice children are `[lower] : [upper] [: step]`; find which side of each colon a child sits.
  const parts: (Expr | undefined)[] = [undefined, undefined, undefined];
  let slot = 0;
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === ':') slot++;
    else if (child.isNamed && child.type !== 'comment') parts[slot] = lowerExpr(child, ctx);
  }
  return { k: 'slice', lower: parts[0], upper: parts[1], step: parts[2], span: spanOf(node) };
}

function lowerCall(node: Node, ctx: LowerContext): Expr {
  const fn = node.childForFieldName('function');
  const argsNode = node.childForFieldName('arguments');
  const args: Arg[] = [];
  if (argsNode?.type === 'generator_expression') {
    args.push({ value: lowerExpr(argsNode, ctx) });
  } else {
    for (const a of named(argsNode)) {
      if (a.type === 'keyword_argument') {
        const name = a.childForFieldName('name')?.text;
        const value = a.childForFieldName('value');
        if (value) args.push({ name, value: lowerExpr(value, ctx) });
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
        const inner = named(a)[0];
        if (inner) args.push({ star: a.type === 'list_splat' ? 1 : 2, value: lowerExpr(inner, ctx) });
      } else {
        args.push({ value: lowerExpr(a, ctx) });
      }
    }
  }
  const fnExpr: Expr = fn ? lowerExpr(fn, ctx) : { k: 'const', span: spanOf(node) };
  return { k: 'call', fn: fnExpr, args, span: spanOf(node) };
}

function lowerDict(node: Node, ctx: LowerContext): Expr {
  const items: DictItem[] = [];
  for (const child of named(node)) {
    if (child.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key && value) items.push({ key: lowerExpr(key, ctx), value: lowerExpr(value, ctx) });
    } else if (child.type === 'dictionary_splat') {
      const inner = named(child)[0];
      if (inner) items.push({ value: lowerExpr(inner, ctx) });
    }
  }
  return { k: 'dict', items, span: spanOf(node) };
}

function lowerComprehension(node: Node, ctx: LowerContext): Expr {
  const body = node.childForFieldName('body');
  const gens: { target: Target; iter: Expr; ifs: Expr[] }[] = [];
  for (const child of named(node)) {
    if (child.type === 'for_in_clause') {
      const left = child.childForFieldName('left');
      const right = child.childForFieldName('right');
      if (left && right) gens.push({ target: lowerTarget(left, ctx), iter: lowerExpr(right, ctx), ifs: [] });
    } else if (child.type === 'if_clause' && gens.length > 0) {
      const cond = named(child)[0];
      if (cond) gens[gens.length - 1].ifs.push(lowerExpr(cond, ctx));
    }
  }
  const span = spanOf(node);
  if (body?.type === 'pair') {
    const key = body.childForFieldName('key');
    const value = body.childForFieldName('value');
    return {
      k: 'comp',
      key: key ? lowerExpr(key, ctx) : undefined,
      elt: value ? lowerExpr(value, ctx) : { k: 'const', span },
      gens: gens as Comprehension[],
      span,
    };
  }
  return { k: 'comp', elt: body ? lowerExpr(body, ctx) : { k: 'const', span }, gens: gens as Comprehension[], span };
}

export function lowerTarget(node: Node, ctx: LowerContext): Target {
  const span = spanOf(node);
  switch (node.type) {
    case 'identifier':
      return { k: 'name', id: node.text, span };
    case 'attribute': {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (obj && attr) return { k: 'attr', obj: lowerExpr(obj, ctx), attr: attr.text, span };
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
      return { k: 'unpack', elts: named(node).map((n) => lowerTarget(n, ctx)), span };
    case 'list_splat_pattern':
    case 'list_splat': {
      const inner = named(node)[0];
      if (inner) return { k: 'starred', target: lowerTarget(inner, ctx), span };
      break;
    }
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      if (inner) return lowerTarget(inner, ctx);
      break;
    }
  }
  return { k: 'unpack', elts: [], span };
}

export function lowerParams(node: Node | null, ctx: LowerContext): Param[] {
  const params: Param[] = [];
  for (const p of named(node)) {
    const span = spanOf(p);
    switch (p.type) {
      case 'identifier':
        params.push({ name: p.text, span });
        break;
      case 'typed_parameter': {
        const inner = named(p)[0];
        if (inner?.type === 'identifier') params.push({ name: inner.text, span });
        else if (inner?.type === 'list_splat_pattern') params.push({ name: named(inner)[0]?.text ?? '_', star: 1, span });
        else if (inner?.type === 'dictionary_splat_pattern') params.push({ name: named(inner)[0]?.text ?? '_', star: 2, span });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = p.childForFieldName('name');
        const value = p.childForFieldName('value');
        if (name) params.push({ name: name.text, default: value ? lowerExpr(value, ctx) : undefined, span });
        break;
      }
      case 'list_splat_pattern':
        params.push({ name: named(p)[0]?.text ?? '_', star: 1, span });
        break;
      case 'dictionary_splat_pattern':
        params.push({ name: named(p)[0]?.text ?? '_', star: 2, span });
        break;
    }
  }
  return params;
}

function lowerLambda(node: Node, ctx: LowerContext): FunctionDef {
  const span = spanOf(node);
  const body = node.childForFieldName('body');
  return {
    id: `${ctx.cellId}:${node.startIndex}`,
    name: '<lambda>',
    params: lowerParams(node.childForFieldName('parameters'), ctx),
    body: [],
    lambdaBody: body ? lowerExpr(body, ctx) : { k: 'const', span },
    span,
    globals: new Set(),
  };
}

/** Lowers a string or concatenated string: plain literals to `str`, any f-string to `fstr`. */
function lowerString(node: Node, ctx: LowerContext): Expr {
  const pieces = node.type === 'concatenated_string' ? named(node).filter((n) => n.type === 'string') : [node];
  const parts: FPart[] = [];
  let formatted = false;
  let bytes = false;
  for (const piece of pieces) {
    const start = piece.namedChildren.find((c) => c?.type === 'string_start');
    const prefix = (start?.text ?? '').replace(/['"]/g, '').toLowerCase();
    const raw = prefix.includes('r');
    const isF = prefix.includes('f');
    bytes ||= prefix.includes('b');
    formatted ||= isF;
    for (const child of piece.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_content') {
        let text = raw ? child.text : decodeEscapes(child.text);
        if (isF) text = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        parts.push({ text, span: spanOf(child) });
      } else if (child.type === 'interpolation') {
        const expr = child.childForFieldName('expression') ?? named(child)[0];
        if (expr) parts.push({ expr: lowerExpr(expr, ctx) });
      }
    }
  }
  const span = spanOf(node);
  if (formatted) return { k: 'fstr', parts, span };
  const value = parts.map((p) => ('text' in p ? p.text : '')).join('');
  return { k: 'str', value, span, bytes: bytes || undefined };
}
