// Parses one cell and re-parses it incrementally when its text changes: the old tree is edited
// with the changed range (common prefix and suffix of old and new text) and handed back to the
// parser, which reuses every unchanged subtree. The lowered facts are computed with the tree.
// A cell over the size limit is not parsed, and a failure of the wasm parser is caught: either
// way the cell's facts are empty with a problem saying why, and the other cells go on.

import type { Parser, Tree } from 'web-tree-sitter';
import type { CellFacts } from '../lower/ir';
import { lowerCell, lowerFlatCell } from '../lower/lowerStmt';
import { BIG_CELL, dropKeptTrees, forgetTree, keepTree } from './keptTrees';
import { guardedParse } from './guardedParse';
import type { TreeSource } from './sharedTrees';
import { recoverFacts } from './recovery';
import { DEFAULT_MAX_CELL_SIZE, formatSize, oversize, oversizeMessage, utf8Length } from './sizeLimit';

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

/** Facts of a cell that was not analysed: nothing but the problem, spanning the whole cell. */
function skipped(text: string, message: string): CellFacts {
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
  const lastLine = text.length - text.lastIndexOf('\n') - 1;
  return { body: [], suppressions: new Map(), syntaxErrors: [], problems: [{ span: { r: 0, c: 0, er: rows, ec: lastLine }, message }] };
}

/**
 * The wasm runtime aborted (out of heap, or a trap). Its message names no input, but only the
 * error's kind is repeated: nothing of the cell may reach a report.
 */
function isParserFailure(error: unknown): error is Error {
  // WebAssembly.RuntimeError (a trap, or emscripten's abort(), which names it `Aborted(...)`).
  return error instanceof Error && (error.name === 'RuntimeError' || error.message.startsWith('Aborted('));
}

function parserFailure(text: string, error: Error): CellFacts {
  return skipped(
    text,
    `the parser failed on this cell of ${formatSize(utf8Length(text))} (${error.name}, most likely out of memory); it was skipped and the other cells were analysed`,
  );
}

/**
 * Runs a lowering of `text`; code nested deeper than the JavaScript stack allows (a
 * 50,000-term string concatenation) yields no facts for the cell and a problem saying so, never
 * a crash.
 */
function safeLower(text: string, lower: () => CellFacts): CellFacts {
  try {
    return lower();
  } catch (error) {
    if (isParserFailure(error)) return parserFailure(text, error);
    if (!(error instanceof RangeError)) throw error;
    return skipped(text, 'the cell is nested too deeply to analyse; it was skipped');
  }
}

export class ParsedCell {
  private tree: Tree | null = null;
  private text: string;
  private cached: CellFacts;

  constructor(
    private readonly parser: Parser,
    readonly cellId: string,
    text: string,
    /** The size limit in bytes of UTF-8 (sizeLimit.ts). */
    private readonly maxCellSize: number = DEFAULT_MAX_CELL_SIZE,
    /** Where another thread may have parsed the text already (sharedTrees.ts); no tree is kept then. */
    trees?: TreeSource,
  ) {
    this.text = text;
    this.cached = this.analyse(text, undefined, trees);
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
    const old = this.text;
    this.text = text;
    this.cached = this.analyse(text, old);
    return true;
  }

  /** Frees the syntax tree; the next update parses from the text. */
  dropTree(): void {
    forgetTree(this);
    this.tree?.delete();
    this.tree = null;
  }

  /** Frees the wasm memory held by the tree. */
  dispose(): void {
    this.dropTree();
  }

  /** Parses `text` (incrementally from the kept tree of `old`, if any; or takes another thread's tree) and lowers it. */
  private analyse(text: string, old?: string, trees?: TreeSource): CellFacts {
    const bytes = oversize(text, this.maxCellSize);
    if (bytes !== undefined) {
      this.dropTree();
      return skipped(text, oversizeMessage(bytes, this.maxCellSize));
    }
    const parsed = trees?.take(text);
    if (parsed) return safeLower(text, () => lowerFlatCell(parsed, text, this.cellId));
    // A big cell gets the whole wasm heap: the kept trees (other cells', maybe its own) go first.
    if (text.length > BIG_CELL) dropKeptTrees();
    try {
      this.tree = this.tree && old !== undefined ? this.reparse(this.tree, old, text) : this.parse(text);
    } catch (error) {
      if (!isParserFailure(error)) throw error;
      // The tree may be half-edited, and the runtime may be gone: forget it without freeing.
      forgetTree(this);
      this.tree = null;
      return parserFailure(text, error);
    }
    const tree = this.tree;
    // Error recovery frees a big cell's tree as soon as it no longer needs it.
    const release = () => {
      if (text.length > BIG_CELL) this.dropTree();
    };
    const facts = safeLower(text, () => (!tree || tree.rootNode.hasError ? recoverFacts(this.parser, tree, text, this.cellId, release) : lowerCell(tree, text, this.cellId)));
    if (this.tree) keepTree(this, text.length);
    return facts;
  }

  private reparse(tree: Tree, old: string, text: string): Tree | null {
    let start = 0;
    const max = Math.min(old.length, text.length);
    while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
    let oldEnd = old.length;
    let newEnd = text.length;
    while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
      oldEnd--;
      newEnd--;
    }
    tree.edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition: pointAt(old, start),
      oldEndPosition: pointAt(old, oldEnd),
      newEndPosition: pointAt(text, newEnd),
    });
    const next = this.parse(text, tree);
    forgetTree(this);
    tree.delete();
    this.tree = null;
    return next;
  }

  /** The cell's tree, or null when the parse stopped at an error (recovery takes over). */
  private parse(text: string, old?: Tree): Tree | null {
    return guardedParse(this.parser, text, { oldTree: old, stopAtError: true, length: text.length }).tree;
  }
}

