// Error recovery for cells that do not parse. Tree-sitter's own recovery can fold the lines
// after a broken statement into its ERROR node (`if x` without a colon swallows every line
// below it). So the top-level statements of a broken cell are sorted out against statement
// groups (statementGroups.ts): those tree-sitter parsed cleanly are kept from the cell's tree,
// and only the damaged region is parsed again, a run of groups at a time, until the broken
// statement is alone: only its facts are lost, as a user typing expects. (The cell's parse
// usually stops at the first error, guardedParse.ts; then there is no tree and the whole cell
// is the region.)
//
// The cost must stay linear in the cell (the language server re-runs this on every keystroke).
// Runs are parsed with tree-sitter's `includedRanges` over the cell's own text, so rows and
// columns are the cell's and no padding is parsed; and they gallop: after a clean run the next
// one is twice as long, after a damaged one it starts again at one group. A clean stretch of n
// groups costs about log2(n) parses of n groups in all; a damaged run wastes at most its own
// length, which is at most one more than the clean stretch before it.

import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { CellFacts, Span, Stmt } from '../lower/ir';
import { lowerCell, lowerTopLevel, markEchoSemicolon } from '../lower/lowerStmt';
import { findSuppressions } from '../lower/suppressions';
import { guardedParse, type ParseOutcome } from './guardedParse';
import { lineStarts } from '../notebook/lineStarts';
import { statementGroups } from './statementGroups';

/** Facts of a part of the cell, kept to be joined in row order. */
interface Piece {
  readonly row: number;
  readonly facts: CellFacts;
}

/** Top-level statements whose rows share statement groups: lowered together or re-parsed together. */
interface Cluster {
  readonly first: number;
  last: number;
  readonly nodes: Node[];
  damaged: boolean;
}

class Recovery {
  private readonly rows: number[];
  /** Start row of each statement group; the first group also takes the lines above it. */
  readonly groups: number[];
  readonly pieces: Piece[] = [];
  /** Parser calls made (tests check that recovery stays a handful of parses). */
  parses = 0;
  /** `# nbguard: ignore` comments: from the cell's tree when there is one, else from the runs'. */
  readonly suppressions = new Map<number, ReadonlySet<string> | null>();
  readonly hasSuppressions: boolean;
  wholeSuppressions = false;

  constructor(
    private readonly parser: Parser,
    private readonly code: string,
    private readonly cellId: string,
  ) {
    this.rows = lineStarts(code);
    this.groups = statementGroups(code);
    this.groups[0] = 0;
    this.hasSuppressions = code.includes('nbguard');
  }

  /** The group holding `row` (binary search). */
  groupOf(row: number): number {
    let lo = 0;
    let hi = this.groups.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.groups[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Sorts the top-level statements of `tree` (which covers groups [from, to)) into clusters and
   * lowers the clean ones; returns the damaged clusters as group ranges. With `firstOnly`, stops
   * at the first damaged cluster (the caller re-parses from there).
   */
  sortOut(tree: Tree, from: number, to: number, firstOnly: boolean): [number, number][] {
    // A root that is itself an ERROR holds fragments, not statements: nothing in it is trusted.
    if (tree.rootNode.isError) return [[from, to]];
    const clusters: Cluster[] = [];
    for (const node of tree.rootNode.children) {
      if (!node) continue;
      const end = node.endPosition;
      // A node that ends at column 0 stopped at the end of the row above.
      const endRow = end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
      const first = Math.max(from, this.groupOf(node.startPosition.row));
      const last = Math.min(to - 1, this.groupOf(endRow));
      const open = clusters[clusters.length - 1];
      if (open && first <= open.last) {
        open.last = Math.max(open.last, last);
        open.nodes.push(node);
        open.damaged ||= node.hasError;
      } else clusters.push({ first, last, nodes: [node], damaged: node.hasError });
    }
    // An error tree-sitter put on no top-level statement: the whole range is suspect.
    if (!clusters.some((c) => c.damaged)) return [[from, to]];
    const damaged: [number, number][] = [];
    for (const cluster of clusters) {
      if (cluster.damaged) {
        damaged.push([cluster.first, cluster.last + 1]);
        if (firstOnly) break;
      } else this.pieces.push({ row: this.groups[cluster.first], facts: this.lowerNodes(cluster.nodes) });
    }
    return damaged;
  }

  /** Re-parses groups [from, to), galloping over the clean stretches (see the header). */
  reparse(from: number, to: number): void {
    let at = from;
    let size = 1;
    // Every turn moves on or halves the run; the bound only guards against a mistake of ours.
    for (let turns = 8 * (to - from) + 64; at < to; turns--) {
      if (turns === 0) {
        this.lost(at);
        break;
      }
      const end = Math.min(to, at + size);
      // A run stops at its first error: parsing on past it is what can take quadratic time.
      const { tree, stopped } = this.parseGroups(at, end, end - at > 1);
      if (!tree) {
        if (end - at === 1) {
          // One statement group that cannot be parsed in time: it alone is lost, and said so.
          this.lost(at);
          at = end;
        } else if (stopped?.reason === 'error') {
          // The error is before where it was seen: parse up to there in full, then sort it out.
          // (Clamped: an offset outside the run must not send the loop backwards.)
          const seen = Math.min(end, Math.max(at + 1, this.groupOf(this.rowOf(stopped.offset)) + 1));
          const upTo = this.parseGroups(at, seen, false).tree;
          if (upTo && !upTo.rootNode.hasError) {
            this.lower(upTo, at);
            at = seen;
          } else if (upTo) at = this.sortOut(upTo, at, seen, true)[0][0];
          else size = 1;
          upTo?.delete();
        }
        // Out of time (a slow machine, or a shape that reports no error): smaller runs.
        size = stopped?.reason === 'time' ? Math.max(1, Math.floor((end - at) / 2)) : 1;
        continue;
      }
      try {
        if (!tree.rootNode.hasError || end - at === 1) {
          // Clean, or the broken statement alone: what it still says is kept.
          this.lower(tree, at);
          size = tree.rootNode.hasError ? 1 : size * 2;
          at = end;
        } else {
          at = this.sortOut(tree, at, end, true)[0][0];
          size = 1;
        }
      } finally {
        tree.delete();
      }
    }
  }

  /** Lowers a whole run's tree (the groups from `group` on); suppressions only when the cell has any. */
  private lower(tree: Tree, group: number): void {
    const facts = this.lowerNodes(tree.rootNode.children.filter((n) => n !== null));
    if (this.hasSuppressions && !this.wholeSuppressions) for (const [row, ids] of findSuppressions(tree, this.code)) this.suppressions.set(row, ids);
    this.pieces.push({ row: this.groups[group], facts });
  }

  /** The facts of some top-level statements of a run's tree. */
  private lowerNodes(nodes: readonly Node[]): CellFacts {
    return lowerTopLevel(nodes, this.code, this.cellId, this.parser.language!, this.rows);
  }

  /** A statement group that could not be parsed: reported as a syntax error at its start. */
  private lost(group: number): void {
    const row = this.groups[group];
    this.pieces.push({ row, facts: { body: [], suppressions: new Map(), syntaxErrors: [{ r: row, c: 0, er: row, ec: 0 }] } });
  }

  /** The row holding code offset `offset` (binary search). */
  private rowOf(offset: number): number {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rows[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Parses groups [from, to) where they stand in the cell: rows and columns are the cell's. */
  private parseGroups(from: number, to: number, stopAtError: boolean): ParseOutcome {
    const startRow = this.groups[from];
    const endRow = to < this.groups.length ? this.groups[to] : this.rows.length - 1;
    const endIndex = to < this.groups.length ? this.rows[endRow] : this.code.length;
    const startIndex = this.rows[startRow];
    const range = {
      startIndex,
      endIndex,
      startPosition: { row: startRow, column: 0 },
      endPosition: { row: endRow, column: endIndex - this.rows[endRow] },
    };
    this.parses++;
    return guardedParse(this.parser, this.code, { range, stopAtError, length: endIndex - startIndex });
  }

  /** The pieces joined in row order, with the echo `;` of the cell's last statement. */
  joined(): CellFacts {
    const suppressions = this.suppressions;
    this.pieces.sort((a, b) => a.row - b.row);
    const body: Stmt[] = [];
    const syntaxErrors: Span[] = [];
    const problems: NonNullable<CellFacts['problems']>[number][] = [];
    for (const { facts } of this.pieces) {
      body.push(...facts.body);
      syntaxErrors.push(...facts.syntaxErrors);
      problems.push(...(facts.problems ?? []));
    }
    markEchoSemicolon(body, this.code, this.rows);
    return { body, suppressions, syntaxErrors, ...(problems.length > 0 ? { problems } : {}) };
  }
}

/**
 * The facts of a cell that does not parse: `tree` is its tree, or null when its parse stopped
 * early (guardedParse.ts). `release` is called once the cell's tree is no longer needed here
 * (before the damaged region is re-parsed), so that a big cell's tree can be freed first and the
 * wasm heap holds one big tree at a time. `stats` counts the parser calls (for tests).
 */
export function recoverFacts(
  parser: Parser,
  tree: Tree | null,
  code: string,
  cellId: string,
  release: () => void = () => undefined,
  stats?: { parses: number },
): CellFacts {
  const recovery = new Recovery(parser, code, cellId);
  if (recovery.groups.length <= 1) {
    if (tree) return lowerCell(tree, code, cellId);
    // One statement group (an unclosed bracket holds the rest of the cell): nothing to split.
    recovery.reparse(0, 1);
    if (stats) stats.parses += recovery.parses;
    return recovery.joined();
  }
  let damaged: [number, number][] = [[0, recovery.groups.length]];
  if (tree) {
    damaged = recovery.sortOut(tree, 0, recovery.groups.length, false);
    for (const [row, ids] of findSuppressions(tree, code)) recovery.suppressions.set(row, ids);
    recovery.wholeSuppressions = true;
  }
  release();
  for (const [from, to] of damaged) recovery.reparse(from, to);
  if (stats) stats.parses += recovery.parses;
  return recovery.joined();
}
