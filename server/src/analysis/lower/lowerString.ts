// Lowers string literals: plain and concatenated ones to `str` (escapes decoded, so detectors
// see the value the program sees), any f-string among them to `fstr`, its pieces of text and
// its interpolated expressions in order.

import { NONE } from '../parse/flatTree';
import type { Expr, FPart } from './ir';
import { lowerExpr, textOf, type LowerContext, type Node } from './lowerExpr';
import { decodeEscapes } from './strings';

/** Lowers a string or concatenated string: plain literals to `str`, any f-string to `fstr`. */
export function lowerString(node: Node, ctx: LowerContext): Expr {
  const t = ctx.tree;
  const pieces = t.type(node) === 'concatenated_string' ? t.named(node).filter((n) => t.type(n) === 'string') : [node];
  const parts: FPart[] = [];
  let formatted = false;
  let bytes = false;
  for (const piece of pieces) {
    const kids = t.named(piece);
    const start = kids.find((c) => t.type(c) === 'string_start');
    const prefix = (textOf(t, start ?? NONE) ?? '').replace(/['"]/g, '').toLowerCase();
    const raw = prefix.includes('r');
    const isF = prefix.includes('f');
    bytes ||= prefix.includes('b');
    formatted ||= isF;
    for (const child of kids) {
      const type = t.type(child);
      if (type === 'string_content') {
        let text = raw ? t.text(child) : decodeEscapes(t.text(child));
        if (isF) text = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        parts.push({ text, span: t.span(child) });
      } else if (type === 'interpolation') {
        const field = t.field(child, 'expression');
        const expr = field !== NONE ? field : t.named(child)[0];
        if (expr !== undefined) parts.push({ expr: lowerExpr(expr, ctx) });
      }
    }
  }
  const span = t.span(node);
  if (formatted) return { k: 'fstr', parts, span };
  const value = parts.map((p) => ('text' in p ? p.text : '')).join('');
  return { k: 'str', value, span, bytes: bytes || undefined };
}
