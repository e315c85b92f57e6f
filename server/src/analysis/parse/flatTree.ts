// A syntax tree copied out of the wasm parser into flat typed arrays, in one cursor walk, so
// that lowering (lower/) reads plain numbers instead of crossing into WebAssembly for every
// child, field and position it asks about. Nodes are numbered in document order (pre-order);
// a node's children follow it, and `after[n]` is the number just past its last descendant:
// the children of n are n + 1, after[n + 1], ... while below after[n].
//
// Rows and columns are not copied: they follow from the start and end offsets and the cell's
// line starts (tree-sitter counts rows by '\n' and columns in UTF-16 code units, as the offsets
// are). The arrays are reused from one tree to the next (release()), so lowering a cell leaves
// no garbage but its facts. A whole tree is read straight from the runtime's memory
// (treeMemory.ts); parts of one (error recovery's pieces) with the cursor.

import type { Language, Node, Parser, Tree } from 'web-tree-sitter';
import type { Span } from '../lower/ir';
import { lineIndexAt, lineStarts } from '../notebook/lineStarts';
import { cursorCalls } from './cursorCalls';
import { canReadTreeMemory, readTree, unbindTreeMemory } from './treeMemory';

/** "No node": what field() returns for a field the node does not have. */
export const NONE = -1;

/** Flag bits per node. */
const NAMED = 1;
const MISSING = 2;

/** The arrays of a tree (node n's numbers at index n), grown by doubling. */
export interface FlatArrays {
  readonly capacity: number;
  readonly typeId: Uint16Array;
  readonly fieldId: Uint16Array;
  readonly flags: Uint8Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly after: Uint32Array;
}

function newArrays(capacity: number): FlatArrays {
  return {
    capacity,
    typeId: new Uint16Array(capacity),
    fieldId: new Uint16Array(capacity),
    flags: new Uint8Array(capacity),
    start: new Uint32Array(capacity),
    end: new Uint32Array(capacity),
    after: new Uint32Array(capacity),
  };
}

/** Arrays twice as big, holding what `arrays` held. */
function grown(arrays: FlatArrays): FlatArrays {
  const bigger = newArrays(arrays.capacity * 2);
  bigger.typeId.set(arrays.typeId);
  bigger.fieldId.set(arrays.fieldId);
  bigger.flags.set(arrays.flags);
  bigger.start.set(arrays.start);
  bigger.end.set(arrays.end);
  bigger.after.set(arrays.after);
  return bigger;
}

/** Arrays kept for the next tree; a huge cell's are not kept (their memory goes back). */
let spare: FlatArrays | undefined;
const KEEP_AT_MOST = 1 << 18;

/** The kept arrays, or new ones. */
function takeArrays(): FlatArrays {
  const arrays = spare ?? newArrays(4096);
  spare = undefined;
  return arrays;
}

/** Per language: whether each type id is a named node (asked of the runtime once per type). */
const namedTypes = new WeakMap<Language, Uint8Array>();

/** Field ids by name, per language. */
const fieldIds = new WeakMap<Language, Map<string, number>>();

export class FlatTree {
  private rows: readonly number[] | undefined;
  private readonly fields: Map<string, number>;
  private readonly types: readonly (string | null)[];

  constructor(
    private arrays: FlatArrays,
    /** How many nodes (the root is node 0). */
    readonly size: number,
    private readonly code: string,
    language: Language,
    /** Whether the tree holds a syntax error (an ERROR or MISSING node). */
    readonly hasError: boolean,
    /** A stand-in root over several nodes (error recovery's pieces). */
    private readonly virtualRoot: boolean,
    rows?: readonly number[],
    /** The arrays are the caller's (views into a shared buffer): release() keeps nothing. */
    private readonly borrowed = false,
  ) {
    this.rows = rows;
    let fields = fieldIds.get(language);
    if (!fields) {
      fields = new Map(language.fields.flatMap((name, id) => (name ? [[name, id] as [string, number]] : [])));
      fieldIds.set(language, fields);
    }
    this.fields = fields;
    this.types = language.types;
  }

  type(n: number): string {
    if (n === 0 && this.virtualRoot) return 'module';
    return this.types[this.arrays.typeId[n]] || 'ERROR';
  }

  isNamed(n: number): boolean {
    return (this.arrays.flags[n] & NAMED) !== 0;
  }

  isMissing(n: number): boolean {
    return (this.arrays.flags[n] & MISSING) !== 0;
  }

  startIndex(n: number): number {
    return this.arrays.start[n];
  }

  endIndex(n: number): number {
    return this.arrays.end[n];
  }

  text(n: number): string {
    return this.code.slice(this.arrays.start[n], this.arrays.end[n]);
  }

  /** Where each line of the code starts. */
  lineStarts(): readonly number[] {
    return (this.rows ??= lineStarts(this.code));
  }

  /** The node's rows and columns. */
  span(n: number): Span {
    const rows = this.lineStarts();
    const start = this.arrays.start[n];
    const end = this.arrays.end[n];
    const r = lineIndexAt(rows, start);
    const er = end < (rows[r + 1] ?? Infinity) ? r : lineIndexAt(rows, end);
    return { r, c: start - rows[r], er, ec: end - rows[er] };
  }

  /** All children, named or not. */
  children(n: number): number[] {
    const out: number[] = [];
    const after = this.arrays.after;
    for (let c = n + 1; c < after[n]; c = after[c]) out.push(c);
    return out;
  }

  /** The named children, comments left out (they may stand anywhere). */
  named(n: number): number[] {
    const out: number[] = [];
    if (n === NONE) return out;
    const { after, flags } = this.arrays;
    for (let c = n + 1; c < after[n]; c = after[c]) if (flags[c] & NAMED && this.type(c) !== 'comment') out.push(c);
    return out;
  }

  /**
   * The first child in the field `name`, or NONE: the field as tree-sitter's cursor gives it
   * (so childrenForFieldName's). web-tree-sitter's childForFieldName differs in two places that
   * lowering never asks about: a `match` statement's `alternative` (it finds the first
   * case_clause; here NONE) and any field of an ERROR node (it finds none; here the child that
   * carries the field inside a hidden node).
   */
  field(n: number, name: string): number {
    if (n === NONE) return NONE;
    const id = this.fields.get(name);
    const { after, fieldId } = this.arrays;
    for (let c = n + 1; c < after[n]; c = after[c]) if (fieldId[c] === id) return c;
    return NONE;
  }

  /** Every child in the field `name`. */
  fieldAll(n: number, name: string): number[] {
    const id = this.fields.get(name);
    const out: number[] = [];
    const { after, fieldId } = this.arrays;
    for (let c = n + 1; c < after[n]; c = after[c]) if (fieldId[c] === id) out.push(c);
    return out;
  }

  /** The descendants of n (not n) of a type, in document order. */
  descendantsOfType(n: number, type: string): number[] {
    const out: number[] = [];
    for (let d = n + 1; d < this.arrays.after[n]; d++) if (this.type(d) === type) out.push(d);
    return out;
  }

  /** The first node past n's subtree (n's next sibling, or an ancestor's). */
  after(n: number): number {
    return this.arrays.after[n];
  }

  /** Whether another flat tree holds the same nodes: types, fields, flags, offsets, shape. */
  sameAs(other: FlatTree): boolean {
    if (other.size !== this.size || other.virtualRoot !== this.virtualRoot) return false;
    const a = this.arrays;
    const b = other.arrays;
    for (let n = 0; n < this.size; n++) {
      if (a.typeId[n] !== b.typeId[n] || a.fieldId[n] !== b.fieldId[n] || a.flags[n] !== b.flags[n]) return false;
      if (a.start[n] !== b.start[n] || a.end[n] !== b.end[n] || a.after[n] !== b.after[n]) return false;
    }
    return true;
  }

  /** Copies the nodes into `target` (its capacity at least `size`), for another thread. */
  copyInto(target: FlatArrays): void {
    const a = this.arrays;
    const n = this.size;
    target.typeId.set(a.typeId.subarray(0, n));
    target.fieldId.set(a.fieldId.subarray(0, n));
    target.flags.set(a.flags.subarray(0, n));
    target.start.set(a.start.subarray(0, n));
    target.end.set(a.end.subarray(0, n));
    target.after.set(a.after.subarray(0, n));
  }

  /** Gives the arrays back for the next tree; this tree must not be read after. */
  release(): void {
    if (this.borrowed) return;
    if (this.arrays.capacity <= KEEP_AT_MOST && (!spare || spare.capacity < this.arrays.capacity)) spare = this.arrays;
  }
}

/** A whole tree, read from the runtime's memory when the reader is on, else walked with the cursor. */
export function flattenTree(tree: Tree, code: string, rows?: readonly number[]): FlatTree {
  if (!canReadTreeMemory()) return flatten(tree.rootNode, code, tree.language, rows);
  const hasError = tree.rootNode.hasError;
  let arrays = takeArrays();
  let size: number | undefined;
  while ((size = readTree(addressOf(tree), arrays, hasError)) === undefined) arrays = grown(arrays);
  return new FlatTree(arrays, size, code, tree.language, hasError, false, rows);
}

/**
 * A whole cell's tree over arrays another thread filled (parse/sharedTrees.ts): `size` nodes,
 * of the Python grammar `language` (the same wasm, so the same type and field numbers).
 */
export function borrowedTree(arrays: FlatArrays, size: number, code: string, language: Language, hasError: boolean): FlatTree {
  return new FlatTree(arrays, size, code, language, hasError, false, undefined, true);
}

/** Python with every shape the memory reader must get right: fields on hidden nodes, aliases, extras, errors. */
const SAMPLE = [
  'import a.b as c, d',
  'from .e import (f as g, h)',
  '@deco(1)',
  'async def fn(p, /, q: int = 2, *r, s=None, **t) -> "u":',
  '    global v; nonlocal w  # comment',
  '    x = [y async for y in z() if y] + {k: v for k, v in m.items()} | {**o}',
  '    return f"{a!r:>{b}} {{c}}" rb"\\x" "more", lambda: (yield)',
  'class K(B, metaclass=M):',
  '    """doc"""',
  'match p:\n    case [1, *rest] if rest: pass\n    case {"k": v, **kw}: pass\n    case P(x=1) | None: pass',
  'try:\n    pass\nexcept* (E, F) as err:\n    raise\nelse:\n    del a[1:2, ::3], b.c\nfinally:\n    print(x, sep="", *args, **kwargs)',
  'with (open(p) as fh, lock): assert x, "m"',
  'while (n := n - 1) > 0 and not done: continue',
  'type Alias[T] = list[T]',
  'if x\n    y = (1,\nz = foo(a=, b)\ndef (:\n"\u00e9\u65e5\ud83d\udd11"',
].join('\n');

/**
 * Checks the memory reader against the cursor walk on SAMPLE (whose tree has ERROR and MISSING
 * nodes too); a difference in any node turns the reader off for good. Returns whether it is on.
 */
export function checkTreeMemory(parser: Parser): boolean {
  if (!canReadTreeMemory()) return false;
  const tree = parser.parse(SAMPLE);
  if (!tree) return false;
  try {
    const viaMemory = flattenTree(tree, SAMPLE);
    const viaCursor = flatten(tree.rootNode, SAMPLE, tree.language);
    if (!viaMemory.sameAs(viaCursor)) unbindTreeMemory();
    viaCursor.release();
    viaMemory.release();
  } catch {
    unbindTreeMemory();
  } finally {
    tree.delete();
  }
  return canReadTreeMemory();
}

/** The tree's address in the runtime (web-tree-sitter keeps it at index 0). */
function addressOf(tree: Tree): number {
  return (tree as unknown as { [0]: number })[0];
}

/**
 * Copies a tree into a flat tree: `root` (a tree's root), or a stand-in root, node 0, above
 * `root` when it is a list of nodes (the top-level statements error recovery keeps). `code` is
 * the text the tree was parsed from; `rows` its line starts when the caller has them.
 */
export function flatten(root: Node | readonly Node[], code: string, language: Language, rows?: readonly number[]): FlatTree {
  const calls = cursorCalls();
  const virtualRoot = Array.isArray(root);
  const roots: readonly Node[] = virtualRoot ? root : [root as Node];
  let arrays = takeArrays();
  const hasError = roots.some((r) => r.hasError);
  let named = namedTypes.get(language);
  if (!named) namedTypes.set(language, (named = new Uint8Array(65536)));
  let n = 0;
  if (virtualRoot) {
    arrays.typeId[0] = 0;
    arrays.fieldId[0] = 0;
    arrays.flags[0] = NAMED;
    arrays.start[0] = roots[0]?.startIndex ?? 0;
    arrays.end[0] = roots[roots.length - 1]?.endIndex ?? 0;
    n = 1;
  }
  const open: number[] = [];
  for (const top of roots) {
    const tree = addressOf(top.tree);
    // walk() leaves the new cursor in the transfer buffer; nothing below writes over it.
    top.walk();
    try {
      for (;;) {
        if (n === arrays.capacity) arrays = grown(arrays);
        const type = calls.typeId(tree);
        // 1: anonymous, 2: named, 0: not asked yet.
        let kind = named[type];
        if (kind === 0) named[type] = kind = calls.isNamed(tree) ? 2 : 1;
        arrays.typeId[n] = type;
        arrays.fieldId[n] = calls.fieldId(tree);
        arrays.flags[n] = (kind === 2 ? NAMED : 0) | (hasError && calls.isMissing(tree) ? MISSING : 0);
        arrays.start[n] = calls.startIndex(tree);
        arrays.end[n] = calls.endIndex(tree);
        const node = n++;
        if (calls.gotoFirstChild(tree)) {
          open.push(node);
          continue;
        }
        arrays.after[node] = n;
        let done = false;
        while (!calls.gotoNextSibling(tree)) {
          const parent = open.pop();
          if (parent === undefined) {
            done = true;
            break;
          }
          arrays.after[parent] = n;
          calls.gotoParent(tree);
        }
        if (done) break;
      }
    } finally {
      calls.free(tree);
      open.length = 0;
    }
  }
  if (virtualRoot) arrays.after[0] = n;
  return new FlatTree(arrays, n, code, language, hasError, virtualRoot, rows);
}
