// Parses one cell and re-parses it incrementally when its text changes: the old tree is edited
// with the changed range (common prefix and suffix of old and new text) and handed back to the
// parser, which reuses every unchanged subtree. The lowered facts are computed with the tree.

import type { Parser, Tree } from 'web-tree-sitter';
import type { CellFacts } from '../lower/ir';
import { lowerCell } from '../lower/lowerStmt';
import { recoverFacts } from './recovery';

/** Tree-sitter needs a row/column point for every edit offset. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Lowers a tree; code nested deeper than the JavaScript stack allows (a 50,000-term string
 * concatenation) yields no facts for the cell and a problem saying so, never a crash.
 */
function safeLower(parser: Parser, tree: Tree, text: string, cellId: string): CellFacts {
  try {
    const facts = lowerCell(tree, text, cellId);
    return tree.rootNode.hasError ? recoverFacts(parser, text, cellId, facts) : facts;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const end = tree.rootNode.endPosition;
    return {
      body: [],
      suppressions: new Map(),
      syntaxErrors: [],
      problems: [{ span: { r: 0, c: 0, er: end.row, ec: end.column }, message: 'the cell is nested too deeply to analyse; it was skipped' }],
    };
  }
}

/**
 * Syntax trees kept for incremental re-parsing. Typing happens in one cell at a time, so only
 * the most recently parsed cells keep theirs; the others re-parse from their text when edited
 * (a fraction of a millisecond), and a notebook of a thousand cells does not hold a thousand
 * trees in wasm memory.
 */
const KEPT_TREES = 16;
const recentlyParsed = new Set<ParsedCell>();

function keepTree(cell: ParsedCell): void {
  recentlyParsed.delete(cell);
  recentlyParsed.add(cell);
  if (recentlyParsed.size > KEPT_TREES) {
    const oldest = recentlyParsed.values().next().value as ParsedCell;
    recentlyParsed.delete(oldest);
    oldest.dropTree();
  }
}

export class ParsedCell {
  private tree: Tree | null;
  private text: string;
  private cached: CellFacts;

  constructor(
    private readonly parser: Parser,
    readonly cellId: string,
    text: string,
  ) {
    this.text = text;
    this.tree = this.parse(text);
    this.cached = safeLower(parser, this.tree, text, cellId);
    keepTree(this);
  }

  get code(): string {
    return this.text;
  }

  get facts(): CellFacts {
    return this.cached;
  }

  /** Replaces the cell's text; returns false (and does nothing) when it did not change. */
  update(text: string): boolean {
    if (text === this.text) return false;
    let next: Tree;
    if (this.tree) {
      const old = this.text;
      let start = 0;
      const max = Math.min(old.length, text.length);
      while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
      let oldEnd = old.length;
      let newEnd = text.length;
      while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
        oldEnd--;
        newEnd--;
      }
      this.tree.edit({
        startIndex: start,
        oldEndIndex: oldEnd,
        newEndIndex: newEnd,
        startPosition: pointAt(old, start),
        oldEndPosition: pointAt(old, oldEnd),
        newEndPosition: pointAt(text, newEnd),
      });
      next = this.parse(text, this.tree);
      this.tree.delete();
    } else next = this.parse(text);
    this.tree = next;
    this.text = text;
    this.cached = safeLower(this.parser, this.tree, text, this.cellId);
    keepTree(this);
    return true;
  }

  /** Frees the syntax tree; the next update parses from the text. */
  dropTree(): void {
    this.tree?.delete();
    this.tree = null;
  }

  /** Frees the wasm memory held by the tree. */
  dispose(): void {
    recentlyParsed.delete(this);
    this.dropTree();
  }

  private parse(text: string, old?: Tree): Tree {
    const tree = this.parser.parse(text, old ?? null);
    if (!tree) throw new Error(`nbguard: tree-sitter returned no tree for cell ${this.cellId}`);
    return tree;
  }
}
