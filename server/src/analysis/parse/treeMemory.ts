// Reads a whole syntax tree straight out of the wasm runtime's memory into a flat tree's arrays:
// no call into WebAssembly per node, as the cursor walk of flatTree.ts makes several. It follows
// tree-sitter's own cursor (lib/tree_cursor.c, web-tree-sitter 0.25): hidden nodes are walked
// through, aliases rename and reveal children, a node's field is found on it or on the hidden
// nodes above it, and offsets come from each subtree's padding and size.
//
// The layouts below are those of tree-sitter's C structs compiled to wasm32 (lib/subtree.h,
// tree.h, parser.h). They are not an API: checkTreeMemory (flatTree.ts) compares this reader
// with the cursor walk on a sample of Python at load, and when they differ (another version
// of web-tree-sitter) flatTree.ts keeps to the cursor.

import type { FlatArrays } from './flatTree';

/** The runtime's memory, as Emscripten publishes it on its module (views replaced when memory grows). */
interface RuntimeMemory {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAPU32: Uint32Array;
}

const ERROR_SYMBOL = 0xffff;
const ERROR_REPEAT_SYMBOL = 0xfffe;
const NAMED = 1;
const MISSING = 2;

// struct TSTree: Subtree root (8 bytes), then const TSLanguage *language.
const TREE_LANGUAGE = 8;
// struct TSLanguage (the fields read here come before any that differ between ABI 14 and 15).
const LANGUAGE_FIELD_COUNT = 32;
const LANGUAGE_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANGUAGE_FIELD_MAP_SLICES = 64;
const LANGUAGE_FIELD_MAP_ENTRIES = 68;
const LANGUAGE_SYMBOL_METADATA = 72;
const LANGUAGE_PUBLIC_SYMBOL_MAP = 76;
const LANGUAGE_ALIAS_SEQUENCES = 84;
// SubtreeHeapData.
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44; // visible 1, named 2, extra 4; the next byte: is_missing 2
const HEAP_PRODUCTION_ID = 66;
// SubtreeInlineData (a Subtree whose lowest bit is set): flags byte, symbol, ..., padding and size bytes.
const INLINE_SYMBOL = 1;
const INLINE_PADDING_BYTES = 6;
const INLINE_SIZE_BYTES = 7;
const SUBTREE = 8;

let memory: RuntimeMemory | undefined;

/** Takes the runtime module's memory (pythonParser.ts), for trees read from now on. */
export function bindTreeMemory(runtime: Record<string, unknown>): void {
  memory = runtime.HEAPU8 instanceof Uint8Array ? (runtime as unknown as RuntimeMemory) : undefined;
}

/** Turns the reader off (a sample it read differently from the cursor). */
export function unbindTreeMemory(): void {
  memory = undefined;
}

export function canReadTreeMemory(): boolean {
  return memory !== undefined;
}

/** One level of the walk: a subtree whose children are being visited. */
interface Frame {
  /** Address of its first child (children are Subtrees, 8 bytes each). */
  children: number;
  count: number;
  index: number;
  /** Children counted so far, extras left out: what aliases and fields are indexed by. */
  structural: number;
  /** UTF-16 byte offset where the next child starts (after its padding). */
  position: number;
  /** Address of its alias sequence, or 0. */
  aliases: number;
  /** Its field map entries [from, to) (addresses). */
  fieldsFrom: number;
  fieldsTo: number;
  /** The field a child takes when it has none of its own: a hidden parent's field, or 0. */
  fallback: number;
  /** The flat node this frame fills in (a visible subtree), or -1 for a hidden one. */
  owner: number;
}

/**
 * Writes the tree at `tree` (a TSTree's address) into `arrays` from node 0 on; returns the
 * number of nodes, or undefined when `arrays` is too small (the caller grows them and asks again).
 */
export function readTree(tree: number, arrays: FlatArrays, withMissing: boolean): number | undefined {
  const { HEAPU8: u8, HEAPU16: u16, HEAPU32: u32 } = memory!;
  const language = u32[(tree + TREE_LANGUAGE) >> 2];
  const fieldCount = u32[(language + LANGUAGE_FIELD_COUNT) >> 2];
  const maxAliases = u16[(language + LANGUAGE_MAX_ALIAS_SEQUENCE_LENGTH) >> 1];
  const slices = u32[(language + LANGUAGE_FIELD_MAP_SLICES) >> 2];
  const entries = u32[(language + LANGUAGE_FIELD_MAP_ENTRIES) >> 2];
  const metadata = u32[(language + LANGUAGE_SYMBOL_METADATA) >> 2];
  const publicSymbols = u32[(language + LANGUAGE_PUBLIC_SYMBOL_MAP) >> 2];
  const aliasSequences = u32[(language + LANGUAGE_ALIAS_SEQUENCES) >> 2];
  const { typeId, fieldId, flags, start, end, after, capacity } = arrays;

  const publicSymbol = (symbol: number) => (symbol === ERROR_SYMBOL ? symbol : u16[(publicSymbols >> 1) + symbol]);
  const namedSymbol = (symbol: number) => (symbol === ERROR_SYMBOL ? true : symbol === ERROR_REPEAT_SYMBOL ? false : u8[metadata + symbol * 3 + 1] !== 0);
  /** The field of structural child `child` in a field map, not counting inherited entries. */
  const fieldOf = (from: number, to: number, child: number) => {
    for (let e = from; e < to; e += 4) if (u8[e + 2] === child && u8[e + 3] === 0) return u16[e >> 1];
    return 0;
  };
  const stack: Frame[] = [];
  let n = 0;
  /** Visits the subtree at `at` starting at `position`; pushes a frame for its children. */
  const visit = (at: number, position: number, alias: number, field: number, fallback: number, visible: boolean): number => {
    const inline = (u8[at] & 1) !== 0;
    const heap = inline ? 0 : u32[at >> 2];
    const size = inline ? u8[at + INLINE_SIZE_BYTES] : u32[(heap + HEAP_SIZE_BYTES) >> 2];
    let owner = -1;
    if (visible) {
      if (n === capacity) return -1;
      const symbol = inline ? u8[at + INLINE_SYMBOL] : u16[(heap + HEAP_SYMBOL) >> 1];
      const named = alias !== 0 ? namedSymbol(alias) : ((inline ? u8[at] >> 2 : u8[heap + HEAP_FLAGS] >> 1) & 1) !== 0;
      const missing = withMissing && ((inline ? u8[at] >> 5 : u8[heap + HEAP_FLAGS + 1] >> 1) & 1) !== 0;
      typeId[n] = publicSymbol(alias !== 0 ? alias : symbol);
      fieldId[n] = field;
      flags[n] = (named ? NAMED : 0) | (missing ? MISSING : 0);
      start[n] = position >>> 1;
      end[n] = (position + size) >>> 1;
      owner = n++;
    }
    const count = inline ? 0 : u32[(heap + HEAP_CHILD_COUNT) >> 2];
    if (count === 0) {
      if (owner >= 0) after[owner] = n;
      return size;
    }
    const production = u16[(heap + HEAP_PRODUCTION_ID) >> 1];
    const slice = slices + production * 4;
    const fieldsFrom = fieldCount === 0 ? 0 : entries + u16[slice >> 1] * 4;
    stack.push({
      children: heap - count * SUBTREE,
      count,
      index: 0,
      structural: 0,
      position,
      aliases: production !== 0 ? aliasSequences + production * maxAliases * 2 : 0,
      fieldsFrom,
      fieldsTo: fieldCount === 0 ? 0 : fieldsFrom + u16[(slice + 2) >> 1] * 4,
      fallback: owner >= 0 ? 0 : fallback,
      owner,
    });
    return size;
  };

  // The root starts after its padding; it is a node whatever its flags say.
  const rootInline = (u8[tree] & 1) !== 0;
  const rootPadding = rootInline ? u8[tree + INLINE_PADDING_BYTES] : u32[(u32[tree >> 2] + HEAP_PADDING_BYTES) >> 2];
  if (visit(tree, rootPadding, 0, 0, 0, true) < 0) return undefined;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.index === frame.count) {
      stack.pop();
      if (frame.owner >= 0) after[frame.owner] = n;
      continue;
    }
    const at = frame.children + frame.index * SUBTREE;
    const inline = (u8[at] & 1) !== 0;
    const heap = inline ? 0 : u32[at >> 2];
    if (frame.index > 0) frame.position += inline ? u8[at + INLINE_PADDING_BYTES] : u32[(heap + HEAP_PADDING_BYTES) >> 2];
    frame.index++;
    const bits = inline ? u8[at] >> 1 : u8[heap + HEAP_FLAGS];
    const extra = (bits & 4) !== 0;
    let alias = 0;
    let field = 0;
    if (!extra) {
      if (frame.aliases !== 0) alias = u16[(frame.aliases >> 1) + frame.structural];
      field = fieldOf(frame.fieldsFrom, frame.fieldsTo, frame.structural);
      frame.structural++;
    }
    const visible = (bits & 1) !== 0 || alias !== 0;
    // A visible child's field is its own, or a hidden parent's; a hidden child passes its on.
    const own = extra ? 0 : field || frame.fallback;
    const size = visit(at, frame.position, alias, visible ? own : 0, own, visible);
    if (size < 0) return undefined;
    frame.position += size;
  }
  return n;
}
