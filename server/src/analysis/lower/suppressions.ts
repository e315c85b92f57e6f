// `# nbguard: ignore[ID, ...]` comments: which rows they silence, and for which rules. Found in
// the comments of the syntax tree, so a `#` inside a string is never taken for one.

import type { Tree } from 'web-tree-sitter';
import { flattenTree, type FlatTree } from '../parse/flatTree';

const SUPPRESSION = /#\s*nbguard:\s*ignore(?:\[([^\]]*)\])?/i;

/** `# nbguard: ignore[...]` in the comments of a tree, by the row they silence: the rule ids, or null for all. */
export function findSuppressions(tree: Tree, code: string): Map<number, Set<string> | null> {
  if (!code.includes('nbguard')) return new Map();
  const flat = flattenTree(tree, code);
  try {
    return suppressionsIn(flat, code);
  } finally {
    flat.release();
  }
}

/** The same, in a tree already flat (the one lowering reads). */
export function suppressionsIn(tree: FlatTree, code: string): Map<number, Set<string> | null> {
  const result = new Map<number, Set<string> | null>();
  if (!code.includes('nbguard')) return result;
  for (const comment of tree.descendantsOfType(0, 'comment')) {
    const m = SUPPRESSION.exec(tree.text(comment));
    if (!m) continue;
    const ids = m[1]?.split(/[\s,]+/).filter(Boolean).map((s) => s.toUpperCase());
    const { r: row, c: column } = tree.span(comment);
    // A comment alone on its line silences the line below it (where a comment cannot go: inside
    // a multi-line string); at the end of a line, that line.
    const start = tree.startIndex(comment);
    const alone = code.slice(start - column, start).trim() === '';
    result.set(alone ? row + 1 : row, ids && ids.length > 0 ? new Set(ids) : null);
  }
  return result;
}
