// Parsing with a way out. Tree-sitter's error recovery is quadratic when an error swallows the
// code after it: `if x` (no colon) above 20,000 lines makes one ERROR node of them all, and the
// parse takes 12 s instead of 0.05 s. So a parse that recovery can replace stops at the first
// error tree-sitter reports (recovery.ts then re-parses the cell a statement group at a time),
// and every parse has a time budget of several times what clean code of its length takes, a
// safety net for the shapes that report no error until the end (an unclosed `foo(` above the
// rest of the cell). Stopping early never changes the facts, only which path computes them.

import type { Parser, Range, Tree } from 'web-tree-sitter';

/** Budget per parse: a base plus a per-character rate, 5 times clean code's (about 1 µs/char). */
const BUDGET_BASE_MS = 50;
const BUDGET_PER_CHAR_MS = 0.005;

export interface ParseOutcome {
  /** The tree, or null when the parse stopped early. */
  readonly tree: Tree | null;
  /** Why it stopped: at an error (with the offset, in code units, where it was seen) or out of time. */
  readonly stopped?: { readonly reason: 'error'; readonly offset: number } | { readonly reason: 'time' };
}

export interface ParseRequest {
  readonly oldTree?: Tree | null;
  /** Only these ranges of the text (recovery's runs of statement groups). */
  readonly range?: Range;
  /** Stop at the first syntax error tree-sitter reports. */
  readonly stopAtError?: boolean;
  /** The length the time budget is for (the range's, or the whole text's). */
  readonly length: number;
}

export function guardedParse(parser: Parser, text: string, request: ParseRequest): ParseOutcome {
  const deadline = performance.now() + BUDGET_BASE_MS + request.length * BUDGET_PER_CHAR_MS;
  let stopped: ParseOutcome['stopped'];
  const tree = parser.parse(text, request.oldTree ?? null, {
    ...(request.range ? { includedRanges: [request.range] } : {}),
    progressCallback: (state) => {
      // currentOffset counts bytes of UTF-16: two per code unit.
      if (request.stopAtError && state.hasError) stopped = { reason: 'error', offset: Math.floor(state.currentOffset / 2) };
      else if (performance.now() > deadline) stopped = { reason: 'time' };
      return stopped !== undefined;
    },
  });
  if (tree) return { tree };
  // A stopped parse would resume on the next call; the next call is about other text.
  parser.reset();
  if (!stopped) throw new Error('nbguard: tree-sitter returned no tree');
  return { tree: null, stopped };
}
