// Lowers a cell's syntax tree to its facts: statements, `# nbguard: ignore` comments and the
// places where the code does not parse. A syntax error never stops lowering: statements
// around an ERROR node, and statements inside it that still make sense, are kept.

import type { Node, Tree } from 'web-tree-sitter';
import type { CellFacts, Expr, Handler, ImportName, Span, Stmt, Target, WithItem } from './ir';
import { deeper, lowerExpr, lowerParams, lowerTarget, MAX_NESTING, named, spanOf, TooDeep, type LowerContext } from './lowerExpr';
import { decodeEscapes } from './strings';

const SUPPRESSION = /#\s*nbguard:\s*ignore(?:\[([^\]]*)\])?/i;

export function lowerCell(tree: Tree, code: string, cellId: string): CellFacts {
  const ctx: LowerContext = { cellId, lowerBlock, depth: 0 };
  const problems: { span: Span; message: string }[] = [];
  const root = tree.rootNode;
  const body = lowerStatements(root, ctx);
  // A trailing `;` after the last statement suppresses the cell's echo.
  const last = body[body.length - 1];
  if (last?.k === 'expr') {
    const after = code.slice(offsetOf(code, last.span.er, last.span.ec)).split('\n')[0];
    if (/^\s*;/.test(after)) body[body.length - 1] = { ...last, semicolon: true };
  }
  for (const span of ctx.tooDeep ?? []) problems.push({ span, message: `this statement is nested more than ${MAX_NESTING} levels deep and was not analysed; the rest of the cell was` });
  return { body, suppressions: findSuppressions(root, code), syntaxErrors: root.hasError ? findErrors(root) : [], ...(problems.length > 0 ? { problems } : {}) };
}

function offsetOf(code: string, row: number, column: number): number {
  let offset = 0;
  for (let r = 0; r < row; r++) {
    const nl = code.indexOf('\n', offset);
    if (nl < 0) return code.length;
    offset = nl + 1;
  }
  return offset + column;
}

/** `# nbguard: ignore[...]` in comments (not in strings) by row. */
export function findSuppressions(root: Node, code: string): Map<number, Set<string> | null> {
  const result = new Map<number, Set<string> | null>();
  if (!code.includes('nbguard')) return result;
  for (const comment of root.descendantsOfType('comment')) {
    if (!comment) continue;
    const m = SUPPRESSION.exec(comment.text);
    if (!m) continue;
    const ids = m[1]?.split(/[\s,]+/).filter(Boolean).map((s) => s.toUpperCase());
    const row = comment.startPosition.row;
    // A comment alone on its line silences the line below it (where a comment cannot go: inside
    // a multi-line string); at the end of a line, that line.
    const alone = code.split('\n')[row]?.slice(0, comment.startPosition.column).trim() === '';
    result.set(alone ? row + 1 : row, ids && ids.length > 0 ? new Set(ids) : null);
  }
  return result;
}

function findErrors(root: Node): Span[] {
  const errors: Span[] = [];
  const visit = (node: Node) => {
    if (errors.length >= 20) return;
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push(spanOf(node));
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return errors;
}

function lowerBlock(node: Node | null, ctx: LowerContext): Stmt[] {
  return node ? lowerStatements(node, ctx) : [];
}

function lowerStatements(parent: Node, ctx: LowerContext): Stmt[] {
  const out: Stmt[] = [];
  for (const child of named(parent)) {
    const before = out.length;
    try {
      deeper(ctx, () => lowerStatement(child, ctx, out));
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      // Only this statement's dataflow is lost (the innermost one whose nesting went too deep);
      // its string literals are kept, so a credential pasted into it is still reported.
      out.length = before;
      (ctx.tooDeep ??= []).push(spanOf(child));
      out.push({ k: 'other', exprs: literalsOf(child), body: [], span: spanOf(child) });
    }
  }
  return out;
}

/** At most this many string literals are kept from a statement too deep to lower. */
const MAX_KEPT_LITERALS = 10_000;

/**
 * The text pieces of the string literals of a node, as plain string facts: found by tree-sitter
 * (no recursion in JavaScript), each lowered alone (no nesting), so this stays linear however
 * deep the statement: f-strings nested 200 deep have 200 pieces, not 200 subtrees to lower.
 */
function literalsOf(node: Node): Expr[] {
  const out: Expr[] = [];
  for (const piece of node.descendantsOfType('string_content')) {
    if (!piece || out.length >= MAX_KEPT_LITERALS) break;
    out.push({ k: 'str', value: decodeEscapes(piece.text), span: spanOf(piece) });
  }
  return out;
}

function lowerStatement(node: Node, ctx: LowerContext, out: Stmt[]): void {
  const span = spanOf(node);
  switch (node.type) {
    case 'expression_statement': {
      const kids = named(node);
      if (kids.length === 1 && kids[0].type === 'assignment') out.push(lowerAssignment(kids[0], ctx, span));
      else if (kids.length === 1 && kids[0].type === 'augmented_assignment') {
        const left = kids[0].childForFieldName('left');
        const right = kids[0].childForFieldName('right');
        const op = kids[0].childForFieldName('operator')?.text ?? '+=';
        if (left && right) out.push({ k: 'augassign', target: lowerTarget(left, ctx), op, value: lowerExpr(right, ctx), span });
      } else if (kids.length === 1) out.push({ k: 'expr', value: lowerExpr(kids[0], ctx), span, semicolon: false });
      else if (kids.length > 1) {
        const value: Expr = { k: 'seq', kind: 'tuple', elts: kids.map((k) => lowerExpr(k, ctx)), span };
        out.push({ k: 'expr', value, span, semicolon: false });
      }
      return;
    }
    case 'if_statement': {
      const branches: { test?: Expr; body: Stmt[] }[] = [];
      const cond = node.childForFieldName('condition');
      branches.push({ test: cond ? lowerExpr(cond, ctx) : undefined, body: lowerBlock(node.childForFieldName('consequence'), ctx) });
      let hasElse = false;
      for (const alt of node.childrenForFieldName('alternative')) {
        if (!alt) continue;
        if (alt.type === 'elif_clause') {
          const c = alt.childForFieldName('condition');
          branches.push({ test: c ? lowerExpr(c, ctx) : undefined, body: lowerBlock(alt.childForFieldName('consequence'), ctx) });
        } else if (alt.type === 'else_clause') {
          hasElse = true;
          branches.push({ body: lowerBlock(alt.childForFieldName('body'), ctx) });
        }
      }
      if (!hasElse) branches.push({ body: [] }); // the path where no branch runs
      out.push({ k: 'if', branches, span });
      return;
    }
    case 'for_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const orelse = node.childForFieldName('alternative');
      out.push({
        k: 'for',
        target: left ? lowerTarget(left, ctx) : { k: 'unpack', elts: [], span },
        iter: right ? lowerExpr(right, ctx) : { k: 'const', span },
        body: lowerBlock(node.childForFieldName('body'), ctx),
        orelse: lowerBlock(orelse?.childForFieldName('body') ?? null, ctx),
        span,
      });
      return;
    }
    case 'while_statement': {
      const cond = node.childForFieldName('condition');
      const orelse = node.childForFieldName('alternative');
      out.push({
        k: 'while',
        test: cond ? lowerExpr(cond, ctx) : { k: 'const', span },
        body: lowerBlock(node.childForFieldName('body'), ctx),
        orelse: lowerBlock(orelse?.childForFieldName('body') ?? null, ctx),
        span,
      });
      return;
    }
    case 'try_statement': {
      const handlers: Handler[] = [];
      let orelse: Stmt[] = [];
      let finalbody: Stmt[] = [];
      for (const child of named(node)) {
        if (child.type === 'except_clause' || child.type === 'except_group_clause') handlers.push(lowerHandler(child, ctx));
        else if (child.type === 'else_clause') orelse = lowerBlock(child.childForFieldName('body'), ctx);
        else if (child.type === 'finally_clause') finalbody = lowerBlock(named(child).find((n) => n.type === 'block') ?? null, ctx);
      }
      out.push({ k: 'try', body: lowerBlock(node.childForFieldName('body'), ctx), handlers, orelse, finalbody, span });
      return;
    }
    case 'with_statement': {
      const items: WithItem[] = [];
      const clause = named(node).find((n) => n.type === 'with_clause');
      for (const item of named(clause)) {
        const value = item.childForFieldName('value') ?? named(item)[0];
        if (!value) continue;
        if (value.type === 'as_pattern') {
          const ctxExpr = named(value)[0];
          const alias = value.childForFieldName('alias');
          const target = alias ? named(alias)[0] ?? alias : undefined;
          if (ctxExpr) items.push({ ctx: lowerExpr(ctxExpr, ctx), target: target ? lowerTarget(target, ctx) : undefined });
        } else items.push({ ctx: lowerExpr(value, ctx) });
      }
      out.push({ k: 'with', items, body: lowerBlock(node.childForFieldName('body'), ctx), span });
      return;
    }
    case 'function_definition':
      out.push(lowerFunction(node, [], ctx));
      return;
    case 'decorated_definition': {
      const decorators = named(node)
        .filter((n) => n.type === 'decorator')
        .map((d) => named(d)[0])
        .filter((n): n is Node => Boolean(n))
        .map((n) => lowerExpr(n, ctx));
      const def = node.childForFieldName('definition');
      if (def?.type === 'function_definition') out.push(lowerFunction(def, decorators, ctx));
      else if (def) lowerStatement(def, ctx, out);
      return;
    }
    case 'class_definition': {
      const name = node.childForFieldName('name')?.text ?? '<class>';
      const bases = named(node.childForFieldName('superclasses')).map((n) => lowerExpr(n, ctx));
      out.push({ k: 'class', name, bases, body: lowerBlock(node.childForFieldName('body'), ctx), span });
      return;
    }
    case 'return_statement': {
      const kids = named(node);
      const value = kids.length === 0 ? undefined : kids.length === 1 ? lowerExpr(kids[0], ctx) : lowerExpr(node, ctx);
      out.push({ k: 'return', value, span });
      return;
    }
    case 'raise_statement': {
      const kids = named(node);
      out.push({ k: 'raise', value: kids[0] ? lowerExpr(kids[0], ctx) : undefined, span });
      return;
    }
    case 'assert_statement': {
      const [test, msg] = named(node).map((n) => lowerExpr(n, ctx));
      out.push({ k: 'assert', test: test ?? { k: 'const', span }, msg, span });
      return;
    }
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
      out.push({ k: 'import', names: lowerImport(node), span });
      return;
    case 'global_statement':
    case 'nonlocal_statement':
      out.push({ k: 'global', names: named(node).map((n) => n.text), span });
      return;
    case 'delete_statement': {
      const target = named(node)[0];
      const targets = !target ? [] : target.type === 'expression_list' ? named(target).map((t) => lowerTarget(t, ctx)) : [lowerTarget(target, ctx)];
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
      for (const child of named(node)) {
        if (/statement|definition|assignment/.test(child.type)) lowerStatement(child, ctx, out);
        else if (child.type === 'call') out.push({ k: 'expr', value: lowerExpr(child, ctx), span: spanOf(child), semicolon: true });
      }
      return;
    default: {
      // match statements, print/exec statements of Python 2, type aliases: run their expressions
      // and nested blocks without a dataflow of their own.
      const exprs: Expr[] = [];
      const body: Stmt[] = [];
      for (const child of named(node)) {
        if (child.type === 'block') for (const s of lowerBlock(child, ctx)) body.push(s);
        else if (child.type === 'case_clause') for (const s of lowerBlock(named(child).find((n) => n.type === 'block') ?? null, ctx)) body.push(s);
        else exprs.push(lowerExpr(child, ctx));
      }
      out.push({ k: 'other', exprs, body, span });
    }
  }
}

function lowerAssignment(node: Node, ctx: LowerContext, span: Span): Stmt {
  // `a = b = value` nests assignments in the right-hand side.
  const targets: Target[] = [];
  let current: Node | null = node;
  let annotation: Node | null = null;
  while (current && current.type === 'assignment') {
    const left = current.childForFieldName('left');
    if (left) targets.push(lowerTarget(left, ctx));
    annotation ??= current.childForFieldName('type');
    current = current.childForFieldName('right');
  }
  if (!current) return { k: 'annassign', target: targets[0] ?? { k: 'unpack', elts: [], span }, span };
  return { k: 'assign', targets, value: lowerExpr(current, ctx), span };
}

function lowerHandler(node: Node, ctx: LowerContext): Handler {
  let types: Expr | undefined;
  let name: string | undefined;
  let body: Stmt[] = [];
  for (const child of named(node)) {
    if (child.type === 'block') body = lowerBlock(child, ctx);
    else if (child.type === 'as_pattern') {
      const t = named(child)[0];
      types = t ? lowerExpr(t, ctx) : undefined;
      const alias = child.childForFieldName('alias');
      name = alias ? (named(alias)[0] ?? alias).text : undefined;
    } else types = lowerExpr(child, ctx);
  }
  return { types, name, body };
}

function lowerFunction(node: Node, decorators: Expr[], ctx: LowerContext): Stmt {
  const span = spanOf(node);
  const body = lowerBlock(node.childForFieldName('body'), ctx);
  const globals = new Set<string>();
  collectGlobals(body, globals);
  return {
    k: 'def',
    def: {
      id: `${ctx.cellId}:${node.startIndex}`,
      name: node.childForFieldName('name')?.text ?? '<function>',
      params: lowerParams(node.childForFieldName('parameters'), ctx),
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

function lowerImport(node: Node): ImportName[] {
  const names: ImportName[] = [];
  if (node.type === 'import_statement') {
    for (const child of named(node)) {
      if (child.type === 'dotted_name') {
        // `import a.b` binds `a`, which refers to module `a`.
        const first = child.text.split('.')[0];
        names.push({ qname: first, bind: first });
      } else if (child.type === 'aliased_import') {
        const module = child.childForFieldName('name')?.text ?? '';
        const alias = child.childForFieldName('alias')?.text ?? module;
        names.push({ qname: module, bind: alias });
      }
    }
    return names;
  }
  const moduleNode = node.childForFieldName('module_name');
  const module = (moduleNode?.text ?? '').replace(/^\.+/, '');
  for (const child of node.childrenForFieldName('name')) {
    if (!child) continue;
    if (child.type === 'dotted_name') names.push({ qname: module ? `${module}.${child.text}` : child.text, bind: child.text });
    else if (child.type === 'aliased_import') {
      const n = child.childForFieldName('name')?.text ?? '';
      const alias = child.childForFieldName('alias')?.text ?? n;
      names.push({ qname: module ? `${module}.${n}` : n, bind: alias });
    }
  }
  return names;
}

/**
 * The facts of some top-level statements of a tree, for error recovery (parse/recovery.ts), which
 * lowers a broken cell piece by piece. Suppressions and the echo `;` are the caller's (they
 * belong to the whole cell). lowerCell runs on a stand-in root whose children are these nodes:
 * it reads only namedChildren, children and hasError of the root when the code is empty.
 */
export function lowerTopLevel(nodes: readonly Node[], cellId: string): CellFacts {
  const root = { namedChildren: nodes.filter((n) => n.isNamed), children: nodes, hasError: nodes.some((n) => n.hasError) } as unknown as Node;
  return lowerCell({ rootNode: root } as Tree, '', cellId);
}
