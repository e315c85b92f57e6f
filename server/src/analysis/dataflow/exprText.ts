// Short source-like text for an expression, used in messages and trace labels:
// `dbutils.secrets.get("db", "password")`, `logger.info()`. Never includes literal values
// longer than a name, so a message cannot carry a hardcoded secret.

import type { Expr } from '../lower/ir';

const MAX = 80;

export function exprText(e: Expr, depth = 0): string {
  const text = render(e, depth);
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

function render(e: Expr, depth: number): string {
  if (depth > 4) return '…';
  switch (e.k) {
    case 'name':
      return e.id;
    case 'attr':
      return `${render(e.obj, depth + 1)}.${e.attr}`;
    case 'str':
      return e.value.length <= 40 && /^[\w .:/@-]*$/.test(e.value) ? JSON.stringify(e.value) : '"…"';
    case 'num':
      return String(e.value);
    case 'call': {
      const args = e.args.map((a) => (a.name ? `${a.name}=${render(a.value, depth + 1)}` : `${a.star === 2 ? '**' : a.star ? '*' : ''}${render(a.value, depth + 1)}`));
      return `${render(e.fn, depth + 1)}(${args.join(', ')})`;
    }
    case 'sub':
      return `${render(e.obj, depth + 1)}[${render(e.index, depth + 1)}]`;
    case 'fstr':
      return 'f"…"';
    default:
      return '…';
  }
}

/** The callee as written, followed by `()`: `print()`, `dbutils.notebook.run()`. */
export function calleeText(fn: Expr): string {
  const text = fn.k === 'name' || fn.k === 'attr' ? render(fn, 0) : '…';
  return `${text.length > 60 ? `…${text.slice(-59)}` : text}()`;
}
