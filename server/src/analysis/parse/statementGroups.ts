// Where a cell's top-level statements start, found from the text alone (no parse): error
// recovery (recovery.ts) re-parses a broken cell statement group by statement group, because a
// syntax error can make tree-sitter's tree useless from that point on. One pass over the text.

/** Lines that continue the statement above even at column 0. */
const CONTINUATION = /^(\)|\]|\}|else\b|elif\b|except\b|finally\b|case\b|#|$)/;

/** Start rows of the top-level statement groups of `code` (at least one: [0]). */
export function statementGroups(code: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let triple = '';
  let row = 0;
  for (let lineStart = 0; lineStart <= code.length; row++) {
    const nl = code.indexOf('\n', lineStart);
    const line = code.slice(lineStart, nl < 0 ? code.length : nl);
    lineStart = nl < 0 ? code.length + 1 : nl + 1;
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
  }
  return starts.length > 0 ? starts : [0];
}
