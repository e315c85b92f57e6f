// Error recovery for cells that do not parse. Tree-sitter's own recovery can fold the lines
// after a broken statement into its ERROR node (`if x` without a colon swallows the `print`
// below it). So a broken cell is cut into top-level statement groups, each group is parsed on
// its own (preceded by blank lines, so rows and columns stay those of the cell), and the facts
// of all groups are joined: only the broken statement is lost, as a user typing expects.

import type { Parser } from 'web-tree-sitter';
import type { CellFacts, Span, Stmt } from '../lower/ir';
import { lowerCell } from '../lower/lowerStmt';

/** Lines that continue the statement above even at column 0. */
const CONTINUATION = /^(\)|\]|\}|else\b|elif\b|except\b|finally\b|case\b|#|$)/;

/** Start rows of the top-level statement groups of `code`. */
export function statementGroups(code: string): number[] {
  const lines = code.split('\n');
  const starts: number[] = [];
  let depth = 0;
  let triple = '';
  lines.forEach((line, row) => {
    if (depth === 0 && triple === '' && !/^\s/.test(line) && !CONTINUATION.test(line)) starts.push(row);
    // Track brackets and triple-quoted strings so a multi-line call is one group.
    let quote = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (triple) {
        if (line.startsWith(triple, i)) { triple = ''; i += 2; }
      } else if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === '#') break;
      else if (ch === '"' || ch === "'") {
        if (line.startsWith(ch.repeat(3), i)) { triple = ch.repeat(3); i += 2; } else quote = ch;
      } else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
  });
  return starts.length > 0 ? starts : [0];
}

export function recoverFacts(parser: Parser, code: string, cellId: string, whole: CellFacts): CellFacts {
  const lines = code.split('\n');
  const starts = statementGroups(code);
  if (starts.length <= 1) return whole;
  const body: Stmt[] = [];
  const syntaxErrors: Span[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? lines.length;
    const text = '\n'.repeat(start) + lines.slice(start, end).join('\n');
    const tree = parser.parse(text);
    if (!tree) return;
    try {
      const facts = lowerCell(tree, text, cellId);
      body.push(...facts.body);
      syntaxErrors.push(...facts.syntaxErrors);
    } finally {
      tree.delete();
    }
  });
  // Only the last group can be the cell's echoed expression; lowerCell already marked `;`.
  return { body, suppressions: whole.suppressions, syntaxErrors, problems: whole.problems };
}
