// Parsing a notebook's cells on two threads at once, when it opens. The thread that analyses
// (the language server's main thread) takes the cells in order and lowers each; a helper thread
// parses them in the same order, running ahead of it, and copies each flat tree (flatTree.ts)
// into shared memory, so that the main thread only lowers what the helper parsed. Each cell is
// claimed by one of them with a compare-and-swap on its state, so no cell is parsed twice: a
// cell the helper has not reached is parsed by the main thread itself (the helper skips it), and
// a cell the helper is parsing is waited for, briefly. Parsing is about as fast as lowering and
// the hardcoded-credential scan, so the helper stays ahead and the main thread parses little.
// Nothing here needs a particular host: server/src/node/parseHelper.ts starts the helper.
//
// A cell the helper cannot give a clean tree for (a syntax error, which error recovery
// re-parses in pieces; a cell over HELPER_MAX_CELL; a full arena) it declines, and the main thread parses it as
// it would have anyway. So the facts never depend on which thread parsed a cell.

import type { Language, Parser } from 'web-tree-sitter';
import { borrowedTree, flattenTree, type FlatArrays, type FlatTree } from './flatTree';
import { guardedParse } from './guardedParse';

/** What NotebookAnalysis asks while it opens: a parsed tree of this code, if another thread made one. */
export interface TreeSource {
  take(code: string): FlatTree | undefined;
}

/** A cell's state (Int32 per cell in `states`). */
const OPEN = 0;
const HELPER_PARSING = 1;
const READY = 2;
const MAIN_PARSES = 3;
const DECLINED = 4;

/**
 * Bytes of shared memory per UTF-16 unit of code: 17 bytes a node, and 0.47 nodes a unit fit.
 * Real notebooks have 0.23 (0.45 in the densest 1%, 0.57 at most, in the real-world corpus; the
 * generated benchmark notebook 0.42). When the arena is full the main thread parses the rest.
 */
const ARENA_BYTES_PER_UNIT = 8;
const ARENA_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Cells longer than this (UTF-16 units) are the main thread's: a tree takes 60 to 280 bytes of
 * wasm heap per byte of code (sizeLimit.ts), and a heap that grew for one huge cell would stay
 * that big in the helper until it ends.
 */
export const HELPER_MAX_CELL = 64 * 1024;

/** How long the main thread waits for a cell the helper is parsing. */
const WAIT_BASE_MS = 2;
const WAIT_PER_UNIT_MS = 0.004;

/** What the helper thread is given: the code of each cell, in the order the cells are opened. */
export interface TreeJob {
  readonly codes: readonly string[];
  /** Int32 per cell: OPEN, HELPER_PARSING, READY, MAIN_PARSES or DECLINED. */
  readonly states: SharedArrayBuffer;
  /** Int32 pairs per cell: where its nodes start in the arena (bytes), how many. */
  readonly places: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
}

export function newTreeJob(codes: readonly string[]): TreeJob {
  let units = 0;
  for (const code of codes) units += code.length;
  return {
    codes,
    states: new SharedArrayBuffer(4 * codes.length),
    places: new SharedArrayBuffer(8 * codes.length),
    arena: new SharedArrayBuffer(Math.min(ARENA_MAX_BYTES, 4096 + units * ARENA_BYTES_PER_UNIT)),
  };
}

/** Bytes a tree of `size` nodes takes in the arena (kept a multiple of 4 for the next one). */
function bytesFor(size: number): number {
  return (17 * size + 3) & ~3;
}

/** Views of `size` nodes at `offset` in the arena: three Uint32 arrays, two Uint16, one Uint8. */
function viewsAt(arena: SharedArrayBuffer, offset: number, size: number): FlatArrays {
  return {
    capacity: size,
    start: new Uint32Array(arena, offset, size),
    end: new Uint32Array(arena, offset + 4 * size, size),
    after: new Uint32Array(arena, offset + 8 * size, size),
    typeId: new Uint16Array(arena, offset + 12 * size, size),
    fieldId: new Uint16Array(arena, offset + 14 * size, size),
    flags: new Uint8Array(arena, offset + 16 * size, size),
  };
}

/** The helper's side: parses the cells in order, skipping those the main thread claimed. Returns how many it parsed. */
export function parseAhead(parser: Parser, job: TreeJob): number {
  const states = new Int32Array(job.states);
  const places = new Int32Array(job.places);
  let used = 0;
  let parsed = 0;
  for (let i = 0; i < job.codes.length; i++) {
    if (Atomics.compareExchange(states, i, OPEN, HELPER_PARSING) !== OPEN) continue;
    let state = DECLINED;
    try {
      const size = parseInto(parser, job.codes[i], job.arena, used);
      if (size !== undefined) {
        places[2 * i] = used;
        places[2 * i + 1] = size;
        used += bytesFor(size);
        state = READY;
        parsed++;
      }
    } finally {
      // Declined on a throw too (a failed runtime): the main thread parses the cell, and reports it.
      Atomics.store(states, i, state);
      Atomics.notify(states, i);
    }
  }
  return parsed;
}

/** Parses `code` and copies its tree to `offset` in the arena; undefined when it declines the cell. */
function parseInto(parser: Parser, code: string, arena: SharedArrayBuffer, offset: number): number | undefined {
  if (code.length > HELPER_MAX_CELL) return undefined;
  const { tree } = guardedParse(parser, code, { stopAtError: true, length: code.length });
  if (!tree) return undefined;
  try {
    if (tree.rootNode.hasError) return undefined;
    const flat = flattenTree(tree, code);
    try {
      if (offset + bytesFor(flat.size) > arena.byteLength) return undefined;
      flat.copyInto(viewsAt(arena, offset, flat.size));
      return flat.size;
    } finally {
      flat.release();
    }
  } finally {
    tree.delete();
  }
}

/**
 * The main thread's side: cells are taken in order; a cell nobody has started is claimed (and
 * parsed by the caller), a cell the helper is parsing is waited for, a few times as long as its
 * parse takes. A helper that keeps the main thread waiting longer than that (its core is busy
 * with something else) is not waited for again in this open.
 */
export class SharedTrees implements TreeSource {
  private readonly states: Int32Array;
  private readonly places: Int32Array;
  /** The cells of each code, in order (two cells may have the same code). */
  private readonly cellsOf = new Map<string, number[]>();
  /** How many cells the open took the helper's tree of. */
  fromHelper = 0;
  /** False once a wait ran out: the main thread then parses what the helper has not finished. */
  private patient = true;

  constructor(
    private readonly job: TreeJob,
    private readonly language: Language,
  ) {
    this.states = new Int32Array(job.states);
    this.places = new Int32Array(job.places);
    job.codes.forEach((code, i) => {
      const cells = this.cellsOf.get(code);
      if (cells) cells.push(i);
      else this.cellsOf.set(code, [i]);
    });
  }

  /** The helper's tree of `code`, or undefined: then the caller parses it (the cell is claimed). */
  take(code: string): FlatTree | undefined {
    const i = this.cellsOf.get(code)?.shift();
    if (i === undefined) return undefined;
    let state = Atomics.compareExchange(this.states, i, OPEN, MAIN_PARSES);
    if (state === HELPER_PARSING && this.patient) state = this.waitFor(i, code.length);
    if (state !== READY) return undefined;
    const offset = this.places[2 * i];
    const size = this.places[2 * i + 1];
    this.fromHelper++;
    return borrowedTree(viewsAt(this.job.arena, offset, size), size, code, this.language, false);
  }

  /** How many cells the job has. */
  get cells(): number {
    return this.states.length;
  }

  /** The open is over: cells nobody took are the main thread's, so the helper stops. */
  finish(): void {
    for (let i = 0; i < this.states.length; i++) Atomics.compareExchange(this.states, i, OPEN, MAIN_PARSES);
  }

  /** Waits for the helper to finish cell i; its state then (still HELPER_PARSING after the wait: the caller parses). */
  private waitFor(i: number, length: number): number {
    // Clean code parses at about 1 µs per unit (guardedParse.ts): a few times that, and a little more.
    const limitMs = WAIT_BASE_MS + length * WAIT_PER_UNIT_MS;
    try {
      if (Atomics.wait(this.states, i, HELPER_PARSING, limitMs) === 'timed-out') this.patient = false;
    } catch {
      // A thread that may not block (a browser's main thread): parse it here instead.
      this.patient = false;
    }
    return Atomics.load(this.states, i);
  }
}
