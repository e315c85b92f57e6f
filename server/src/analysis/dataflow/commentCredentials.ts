// Credentials in comments (NBG201): a key pasted into a comment, or a line of code commented
// out with its key (`# api_key = 'o4fx...'`), is as leaked as one in code, and no string literal
// holds it. Comments are found lexically, line by line (tracking strings so that a `#` inside
// one is not a comment), and each is scanned with the detectors; a `name = "value"` inside one is
// judged like a literal given to that name.

import type { Span } from '../lower/ir';
import type { CompiledRules } from '../rules/compiledRules';
import { isCredentialName } from '../rules/credentialNames';
import type { Stmt } from '../lower/ir';
import type { LineMagic } from '../notebook/magics';
import { findMagicCredentials } from './magicCredentials';
import { addTextCredentials, findHardcoded, looksLikeSecretValue, type HardcodedLiteral, type HardcodedMap, type NamedValue } from './hardcoded';

/** `name = "value"`, `name: 'value'`, `"name": "value"` inside a comment. */
// Linear on any text (outputs may hold megabytes of base64): a name starts only at a word
// boundary and is at most 64 characters, the value at most 4,096.
const ASSIGNMENT_IN_COMMENT = /(?<![\w.-])["']?([A-Za-z_][\w.-]{0,63})["']?[ \t]{0,8}[:=][ \t]{0,8}(["'])([^"'\s]{6,4096})\2/g;
/**
 * `name = "value"` pairs in a text (a comment, a printed dict) whose name denotes a credential and
 * whose value looks like one: offsets of the value, the name, the value.
 */
export function namedCredentialsIn(text: string): NamedValue[] {
  const out: NamedValue[] = [];
  for (const m of text.matchAll(ASSIGNMENT_IN_COMMENT)) {
    const [, name, , value] = m;
    if (!isCredentialName(name) || !looksLikeSecretValue(value, name)) continue;
    const start = (m.index ?? 0) + m[0].length - value.length - 1;
    out.push({ start, end: start + value.length, name, value });
  }
  return out;
}

/** A comment shorter than this cannot hold a credential worth reporting. */
const MIN_COMMENT = 12;

/** The comments of a cell: where each starts (row, column) and its text after the `#`. */
export function commentsOf(code: string): { row: number; column: number; text: string }[] {
  const out: { row: number; column: number; text: string }[] = [];
  if (!code.includes('#')) return out;
  let triple = '';
  const lines = code.split('\n');
  for (let row = 0; row < lines.length; row++) {
    const line = lines[row];
    let quote = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (triple) {
        if (ch === '\\') i++;
        else if (line.startsWith(triple, i)) {
          i += 2;
          triple = '';
        }
      } else if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") {
        if (line.startsWith(ch.repeat(3), i)) {
          triple = ch.repeat(3);
          i += 2;
        } else quote = ch;
      } else if (ch === '#') {
        if (line.length - i >= MIN_COMMENT) out.push({ row, column: i + 1, text: line.slice(i + 1) });
        break;
      }
    }
  }
  return out;
}

/** The credentials in a cell's comments, keyed like literals (by their row and column). */
export function findCommentCredentials(code: string, rules: CompiledRules): Map<string, HardcodedLiteral> {
  const found = new Map<string, HardcodedLiteral>();
  for (const comment of commentsOf(code)) {
    if (/nbguard:\s*ignore/i.test(comment.text)) continue;
    const at = (start: number, end: number): Span => ({ r: comment.row, c: comment.column + start, er: comment.row, ec: comment.column + end });
    addTextCredentials(found, comment.text, namedCredentialsIn(comment.text), rules, at);
  }
  return found;
}

/** Every hardcoded credential of a cell: in its string literals, its comments and its line magics. */
export function cellCredentials(body: readonly Stmt[], code: string, rules: CompiledRules, magics?: readonly LineMagic[]): HardcodedMap {
  const inCode = findHardcoded(body, rules);
  const inComments = findCommentCredentials(code, rules);
  const inMagics = magics ? findMagicCredentials(magics, rules) : undefined;
  if (inComments.size === 0 && !inMagics?.size) return inCode;
  return new Map([...inCode, ...inComments, ...(inMagics ?? [])]);
}
