// Lowers a cell's syntax tree to its facts: statements, `# nbguard: ignore` comments and the
// places where the code does not parse. A syntax error never stops lowering: statements
// around an ERROR node, and statements inside it that still make sense, are kept. The tree is
// read from its flat copy (parse/flatTree.ts), never from web-tree-sitter's node objects.

import type { Language, Node as TreeNode, Tree } from 'web-tree-sitter';
import { flatten, flattenTree, NONE, type FlatTree } from '../parse/flatTree';
import { suppressionsIn } from './suppressions';
import type { CellFacts, Expr, Handler, ImportName, Span, Stmt, Target, WithItem } from './ir';
import { deeper, lowerAll, lowerExpr, lowerParams, lowerTarget, MAX_NESTING, textOf, TooDeep, type LowerContext, type Node } from './lowerExpr';
import { decodeEscapes } from './strings';

/** The facts of a whole cell's tree. */
export function lowerCell(tree: Tree, code: string, cellId: string): CellFacts {
  return lowerAndRelease(flattenTree(tree, code), code, cellId, true);
}

/** The facts of a whole cell's tree that another thread parsed (parse/sharedTrees.ts). */
export function lowerFlatCell(tree: FlatTree, code: string, cellId: string): CellFacts {
  return lowerAndRelease(tree, code, cellId, true);
}

/**
 * The facts of some top-level statements of a tree, for error recovery (parse/recovery.ts), which
 * lowers a broken cell piece by piece; `rows` are the cell's line starts. Suppressions and the
 * echo `;` are the caller's (they belong to the whole cell).
 */
export function lowerTopLevel(nodes: readonly TreeNode[], code: string, cellId: string, language: Language, rows: readonly number[]): CellFacts {
  return lowerAndRelease(flatten(nodes, code, language, rows), code, cellId, false);
}

/**
 * Lowers node 0 of `tree` (the text `code`), then gives its arrays back. Of a whole cell
 * (`wholeCell`), also its suppressions and the echo `;`.
 */
function lowerAndRelease(tree: FlatTree, code: string, cellId: string, wholeCell: boolean): CellFacts {
  try {
    const ctx: LowerContext = { tree, cellId, lowerBlock, depth: 0 };
    const problems: { span: Span; message: string }[] = [];
    const body = lowerStatements(0, ctx);
    if (wholeCell) markEchoSemicolon(body, code, tree.lineStarts());
    for (const span of ctx.tooDeep ?? []) problems.push({ span, message: `this statement is nested more than ${MAX_NESTING} levels deep and was not analysed; the rest of the cell was` });
    return {
      body,
      suppressions: wholeCell ? suppressionsIn(tree, code) : new Map(),
      syntaxErrors: tree.hasError ? findErrors(tree) : [],
      ...(problems.length > 0 ? { problems } : {}),
    };
  } finally {
    tree.release();
  }
}

/**
 * A `;` after the cell's last statement, on its line, suppresses the cell's echo: marks that
 * statement so. `rows` are the code's line starts.
 */
export function markEchoSemicolon(body: Stmt[], code: string, rows: readonly number[]): void {
  const last = body[body.length - 1];
  if (last?.k !== 'expr') return;
  const from = (rows[last.span.er] ?? code.length) + last.span.ec;
  const nl = code.indexOf('\n', from);
  if (/^\s*;/.test(code.slice(from, nl < 0 ? code.length : nl))) body[body.length - 1] = { ...last, semicolon: true };
}

/** The first 20 ERROR and MISSING nodes, in document order (not those inside one found). */
function findErrors(tree: FlatTree): Span[] {
  const errors: Span[] = [];
  for (let n = 0; n < tree.size && errors.length < 20; ) {
    if (tree.type(n) === 'ERROR' || tree.isMissing(n)) {
      errors.push(tree.span(n));
      n = tree.after(n);
    } else n++;
  }
  return errors;
}

function lowerBlock(node: Node, ctx: LowerContext): Stmt[] {
  return node !== NONE ? lowerStatements(node, ctx) : [];
}

function lowerStatements(parent: Node, ctx: LowerContext): Stmt[] {
  const out: Stmt[] = [];
  for (const child of ctx.tree.named(parent)) {
    const before = out.length;
    try {
      deeper(ctx, () => lowerStatement(child, ctx, out));
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      // Only this statement's dataflow is lost (the innermost one whose nesting went too deep);
      // its string literals are kept, so a credential pasted into it is still reported.
      out.length = before;
      (ctx.tooDeep ??= []).push(ctx.tree.span(child));
      out.push({ k: 'other', exprs: literalsOf(child, ctx.tree), body: [], span: ctx.tree.span(child) });
    }
  }
  return out;
}

/** At most this many string literals are kept from a statement too deep to lower. */
const MAX_KEPT_LITERALS = 10_000;

/**
 * The text pieces of the string literals of a node, as plain string facts: found by a scan of
 * the flat tree (no recursion), each lowered alone (no nesting), so this stays linear however
 * deep the statement: f-strings nested 200 deep have 200 pieces, not 200 subtrees to lower.
 */
function literalsOf(node: Node, tree: FlatTree): Expr[] {
  const out: Expr[] = [];
  for (const piece of tree.descendantsOfType(node, 'string_content')) {
    if (out.length >= MAX_KEPT_LITERALS) break;
    out.push({ k: 'str', value: decodeEscapes(tree.text(piece)), span: tree.span(piece) });
  }
  return out;
}

/** The `body` block of a clause (else, finally...), or NONE. */
function bodyOf(t: FlatTree, clause: Node): Node {
  return clause === NONE ? NONE : t.field(clause, 'body');
}

function lowerStatement(node: Node, ctx: LowerContext, out: Stmt[]): void {
  const t = ctx.tree;
  const span = t.span(node);
  switch (t.type(node)) {
    case 'expression_statement': {
      const kids = t.named(node);
      const only = kids.length === 1 ? t.type(kids[0]) : undefined;
      if (only === 'assignment') out.push(lowerAssignment(kids[0], ctx, span));
      else if (only === 'augmented_assignment') {
        const left = t.field(kids[0], 'left');
        const right = t.field(kids[0], 'right');
        const op = textOf(t, t.field(kids[0], 'operator')) ?? '+=';
        if (left !== NONE && right !== NONE) out.push({ k: 'augassign', target: lowerTarget(left, ctx), op, value: lowerExpr(right, ctx), span });
      } else if (kids.length === 1) out.push({ k: 'expr', value: lowerExpr(kids[0], ctx), span, semicolon: false });
      else if (kids.length > 1) {
        const value: Expr = { k: 'seq', kind: 'tuple', elts: lowerAll(kids, ctx), span };
        out.push({ k: 'expr', value, span, semicolon: false });
      }
      return;
    }
    case 'if_statement': {
      const branches: { test?: Expr; body: Stmt[] }[] = [];
      const cond = t.field(node, 'condition');
      branches.push({ test: cond !== NONE ? lowerExpr(cond, ctx) : undefined, body: lowerBlock(t.field(node, 'consequence'), ctx) });
      let hasElse = false;
      for (const alt of t.fieldAll(node, 'alternative')) {
        const type = t.type(alt);
        if (type === 'elif_clause') {
          const c = t.field(alt, 'condition');
          branches.push({ test: c !== NONE ? lowerExpr(c, ctx) : undefined, body: lowerBlock(t.field(alt, 'consequence'), ctx) });
        } else if (type === 'else_clause') {
          hasElse = true;
          branches.push({ body: lowerBlock(t.field(alt, 'body'), ctx) });
        }
      }
      if (!hasElse) branches.push({ body: [] }); // the path where no branch runs
      out.push({ k: 'if', branches, span });
      return;
    }
    case 'for_statement': {
      const left = t.field(node, 'left');
      const right = t.field(node, 'right');
      out.push({
        k: 'for',
        target: left !== NONE ? lowerTarget(left, ctx) : { k: 'unpack', elts: [], span },
        iter: right !== NONE ? lowerExpr(right, ctx) : { k: 'const', span },
        body: lowerBlock(t.field(node, 'body'), ctx),
        orelse: lowerBlock(bodyOf(t, t.field(node, 'alternative')), ctx),
        span,
      });
      return;
    }
    case 'while_statement': {
      const cond = t.field(node, 'condition');
      out.push({
        k: 'while',
        test: cond !== NONE ? lowerExpr(cond, ctx) : { k: 'const', span },
        body: lowerBlock(t.field(node, 'body'), ctx),
        orelse: lowerBlock(bodyOf(t, t.field(node, 'alternative')), ctx),
        span,
      });
      return;
    }
    case 'try_statement': {
      const handlers: Handler[] = [];
      let orelse: Stmt[] = [];
      let finalbody: Stmt[] = [];
      for (const child of t.named(node)) {
        const type = t.type(child);
        if (type === 'except_clause' || type === 'except_group_clause') handlers.push(lowerHandler(child, ctx));
        else if (type === 'else_clause') orelse = lowerBlock(t.field(child, 'body'), ctx);
        else if (type === 'finally_clause') finalbody = lowerBlock(t.named(child).find((n) => t.type(n) === 'block') ?? NONE, ctx);
      }
      out.push({ k: 'try', body: lowerBlock(t.field(node, 'body'), ctx), handlers, orelse, finalbody, span });
      return;
    }
    case 'with_statement': {
      const items: WithItem[] = [];
      const clause = t.named(node).find((n) => t.type(n) === 'with_clause') ?? NONE;
      for (const item of t.named(clause)) {
        const field = t.field(item, 'value');
        const value = field !== NONE ? field : t.named(item)[0];
        if (value === undefined) continue;
        if (t.type(value) === 'as_pattern') {
          const ctxExpr = t.named(value)[0];
          const alias = t.field(value, 'alias');
          const target = alias !== NONE ? (t.named(alias)[0] ?? alias) : undefined;
          if (ctxExpr !== undefined) items.push({ ctx: lowerExpr(ctxExpr, ctx), target: target !== undefined ? lowerTarget(target, ctx) : undefined });
        } else items.push({ ctx: lowerExpr(value, ctx) });
      }
      out.push({ k: 'with', items, body: lowerBlock(t.field(node, 'body'), ctx), span });
      return;
    }
    case 'function_definition':
      out.push(lowerFunction(node, [], ctx));
      return;
    case 'decorated_definition': {
      const decorators = t
        .named(node)
        .filter((n) => t.type(n) === 'decorator')
        .map((d) => t.named(d)[0])
        .filter((n): n is Node => n !== undefined)
        .map((n) => lowerExpr(n, ctx));
      const def = t.field(node, 'definition');
      if (def !== NONE && t.type(def) === 'function_definition') out.push(lowerFunction(def, decorators, ctx));
      else if (def !== NONE) lowerStatement(def, ctx, out);
      return;
    }
    case 'class_definition': {
      const name = textOf(t, t.field(node, 'name')) ?? '<class>';
      const bases = lowerAll(t.named(t.field(node, 'superclasses')), ctx);
      out.push({ k: 'class', name, bases, body: lowerBlock(t.field(node, 'body'), ctx), span });
      return;
    }
    case 'return_statement': {
      const kids = t.named(node);
      const value = kids.length === 0 ? undefined : kids.length === 1 ? lowerExpr(kids[0], ctx) : lowerExpr(node, ctx);
      out.push({ k: 'return', value, span });
      return;
    }
    case 'raise_statement': {
      const kids = t.named(node);
      out.push({ k: 'raise', value: kids.length > 0 ? lowerExpr(kids[0], ctx) : undefined, span });
      return;
    }
    case 'assert_statement': {
      const [test, msg] = lowerAll(t.named(node), ctx);
      out.push({ k: 'assert', test: test ?? { k: 'const', span }, msg, span });
      return;
    }
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
      out.push({ k: 'import', names: lowerImport(node, t), span });
      return;
    case 'global_statement':
    case 'nonlocal_statement':
      out.push({ k: 'global', names: t.named(node).map((n) => t.text(n)), span });
      return;
    case 'delete_statement': {
      const target = t.named(node)[0];
      const targets =
        target === undefined ? [] : t.type(target) === 'expression_list' ? t.named(target).map((n) => lowerTarget(n, ctx)) : [lowerTarget(target, ctx)];
      out.push({ k: 'del', targets, span });
      return;
    }
    case 'decorator':
    case 'pass_statement':
    case 'break_statement':
    case 'continue_statement':
    case 'comment':
      return;
    case 'ERROR':
      // Keep what still reads as statements inside the broken region.
      for (const child of t.named(node)) {
        const type = t.type(child);
        if (/statement|definition|assignment/.test(type)) lowerStatement(child, ctx, out);
        else if (type === 'call') out.push({ k: 'expr', value: lowerExpr(child, ctx), span: t.span(child), semicolon: true });
      }
      return;
    default: {
      // match statements, print/exec statements of Python 2, type aliases: run their expressions
      // and nested blocks without a dataflow of their own.
      const exprs: Expr[] = [];
      const body: Stmt[] = [];
      for (const child of t.named(node)) {
        const type = t.type(child);
        if (type === 'block') for (const s of lowerBlock(child, ctx)) body.push(s);
        else if (type === 'case_clause') for (const s of lowerBlock(t.named(child).find((n) => t.type(n) === 'block') ?? NONE, ctx)) body.push(s);
        else exprs.push(lowerExpr(child, ctx));
      }
      out.push({ k: 'other', exprs, body, span });
    }
  }
}

function lowerAssignment(node: Node, ctx: LowerContext, span: Span): Stmt {
  const t = ctx.tree;
  // `a = b = value` nests assignments in the right-hand side.
  const targets: Target[] = [];
  let current: Node = node;
  while (current !== NONE && t.type(current) === 'assignment') {
    const left = t.field(current, 'left');
    if (left !== NONE) targets.push(lowerTarget(left, ctx));
    current = t.field(current, 'right');
  }
  if (current === NONE) return { k: 'annassign', target: targets[0] ?? { k: 'unpack', elts: [], span }, span };
  return { k: 'assign', targets, value: lowerExpr(current, ctx), span };
}

function lowerHandler(node: Node, ctx: LowerContext): Handler {
  const t = ctx.tree;
  let types: Expr | undefined;
  let name: string | undefined;
  let body: Stmt[] = [];
  for (const child of t.named(node)) {
    const type = t.type(child);
    if (type === 'block') body = lowerBlock(child, ctx);
    else if (type === 'as_pattern') {
      const caught = t.named(child)[0];
      types = caught !== undefined ? lowerExpr(caught, ctx) : undefined;
      const alias = t.field(child, 'alias');
      name = alias !== NONE ? t.text(t.named(alias)[0] ?? alias) : undefined;
    } else types = lowerExpr(child, ctx);
  }
  return { types, name, body };
}

function lowerFunction(node: Node, decorators: Expr[], ctx: LowerContext): Stmt {
  const t = ctx.tree;
  const span = t.span(node);
  const body = lowerBlock(t.field(node, 'body'), ctx);
  const globals = new Set<string>();
  collectGlobals(body, globals);
  return {
    k: 'def',
    def: {
      id: `${ctx.cellId}:${t.startIndex(node)}`,
      name: textOf(t, t.field(node, 'name')) ?? '<function>',
      params: lowerParams(t.field(node, 'parameters'), ctx),
      body,
      span,
      globals,
    },
    decorators,
    span,
  };
}

/** `global` declarations of a function body (not of nested functions). */
function collectGlobals(body: readonly Stmt[], into: Set<string>): void {
  for (const s of body) {
    if (s.k === 'global') s.names.forEach((n) => into.add(n));
    else if (s.k === 'if') s.branches.forEach((b) => collectGlobals(b.body, into));
    else if (s.k === 'for' || s.k === 'while') { collectGlobals(s.body, into); collectGlobals(s.orelse, into); }
    else if (s.k === 'try') {
      collectGlobals(s.body, into);
      s.handlers.forEach((h) => collectGlobals(h.body, into));
      collectGlobals(s.orelse, into);
      collectGlobals(s.finalbody, into);
    } else if (s.k === 'with' || s.k === 'other') collectGlobals(s.body, into);
  }
}

function lowerImport(node: Node, t: FlatTree): ImportName[] {
  const names: ImportName[] = [];
  /** `name as alias`: the imported name and the bound one. */
  const aliased = (n: Node) => {
    const name = textOf(t, t.field(n, 'name')) ?? '';
    return { name, alias: textOf(t, t.field(n, 'alias')) ?? name };
  };
  if (t.type(node) === 'import_statement') {
    for (const child of t.named(node)) {
      const type = t.type(child);
      if (type === 'dotted_name') {
        // `import a.b` binds `a`, which refers to module `a`.
        const first = t.text(child).split('.')[0];
        names.push({ qname: first, bind: first });
      } else if (type === 'aliased_import') {
        const { name, alias } = aliased(child);
        names.push({ qname: name, bind: alias });
      }
    }
    return names;
  }
  const module = (textOf(t, t.field(node, 'module_name')) ?? '').replace(/^\.+/, '');
  for (const child of t.fieldAll(node, 'name')) {
    const type = t.type(child);
    if (type === 'dotted_name') names.push({ qname: module ? `${module}.${t.text(child)}` : t.text(child), bind: t.text(child) });
    else if (type === 'aliased_import') {
      const { name, alias } = aliased(child);
      names.push({ qname: module ? `${module}.${name}` : name, bind: alias });
    }
  }
  return names;
}
