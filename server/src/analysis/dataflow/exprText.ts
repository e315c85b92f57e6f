// Short source-like text for an expression, used in messages and trace labels:
// `dbutils.secrets.get("db", "password")`, `logger.info()`. A message must never carry a
// credential, so a string literal is quoted only when it is shaped like a name (a scope, a
// key, an environment variable); one a detector accepts, or one mixing cases and digits like a
// password, is shown masked as NBG201 masks it, and anything else as "…".

import type { Expr } from '../lower/ir';
import { maskSecret } from '../findings/mask';

const MAX = 80;

/** Tells whether a string is a credential by the rules' detectors (absent: shape alone decides). */
export type IsCredential = (value: string) => boolean;

export interface ExprTextOptions {
  readonly isCredential?: IsCredential;
  /** Show only the first `maxArgs` arguments of the outermost call (defaults are never shown). */
  readonly maxArgs?: number;
}

export function exprText(e: Expr, options: ExprTextOptions = {}): string {
  const text = render(e, 0, options);
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

/** Mixed lower case, upper case and digits, or a symbol a name never holds: a password's shape. */
function passwordShaped(value: string): boolean {
  return (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)) || /[@]/.test(value);
}

/** A string literal as a message may show it. */
export function quoteLiteral(value: string, isCredential?: IsCredential): string {
  if (value.length > 40 || !/^[\w .:/@-]*$/.test(value)) return '"…"';
  if (passwordShaped(value) || isCredential?.(value)) return JSON.stringify(maskSecret(value));
  return JSON.stringify(value);
}

function render(e: Expr, depth: number, options: ExprTextOptions): string {
  if (depth > 4) return '…';
  switch (e.k) {
    case 'name':
      return e.id;
    case 'attr':
      return `${render(e.obj, depth + 1, options)}.${e.attr}`;
    case 'str':
      return quoteLiteral(e.value, options.isCredential);
    case 'num':
      return String(e.value);
    case 'call': {
      const shown = depth === 0 && options.maxArgs !== undefined ? e.args.slice(0, options.maxArgs) : e.args;
      const args = shown.map((a) =>
        a.name ? `${a.name}=${render(a.value, depth + 1, options)}` : `${a.star === 2 ? '**' : a.star ? '*' : ''}${render(a.value, depth + 1, options)}`,
      );
      if (shown.length < e.args.length) args.push('…');
      return `${render(e.fn, depth + 1, options)}(${args.join(', ')})`;
    }
    case 'sub':
      return `${render(e.obj, depth + 1, options)}[${render(e.index, depth + 1, options)}]`;
    case 'fstr':
      return 'f"…"';
    default:
      return '…';
  }
}

/** The callee as written, followed by `()`: `print()`, `dbutils.notebook.run()`. */
export function calleeText(fn: Expr): string {
  const text = fn.k === 'name' || fn.k === 'attr' ? render(fn, 0, {}) : '…';
  return `${text.length > 60 ? `…${text.slice(-59)}` : text}()`;
}
