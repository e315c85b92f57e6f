// Syntax trees kept for incremental re-parsing. Typing happens in one cell at a time, so only
// the most recently parsed cells keep theirs; the others re-parse from their text when edited
// (a fraction of a millisecond), and a notebook of a thousand cells does not hold a thousand
// trees in wasm memory. Trees are big (60 to 280 bytes of the 2 GiB wasm heap per byte of code,
// see sizeLimit.ts), so the budget counts code too: a cell over BIG_CELL never keeps its tree,
// and parsing one first frees every kept tree, so that it has the whole heap to itself.

/** What the budget can ask to free. */
export interface TreeHolder {
  dropTree(): void;
}

const KEPT_TREES = 16;
/** Code (UTF-16 code units) whose trees may be kept at once: about 300 MB of heap at worst. */
const KEPT_CODE = 2 * 1024 * 1024;
/** Cells longer than this keep no tree: a re-parse from the text costs less than the memory. */
export const BIG_CELL = 1024 * 1024;

const kept = new Map<TreeHolder, number>();
let keptCode = 0;

/** Notes that `holder` keeps the tree of `length` units of code, freeing the oldest over budget. */
export function keepTree(holder: TreeHolder, length: number): void {
  forgetTree(holder);
  if (length > BIG_CELL) {
    holder.dropTree();
    return;
  }
  kept.set(holder, length);
  keptCode += length;
  while (kept.size > KEPT_TREES || keptCode > KEPT_CODE) {
    const oldest = kept.keys().next().value as TreeHolder;
    forgetTree(oldest);
    oldest.dropTree();
  }
}

/** Removes `holder` from the budget (its tree was dropped or it was disposed). */
export function forgetTree(holder: TreeHolder): void {
  const length = kept.get(holder);
  if (length === undefined) return;
  kept.delete(holder);
  keptCode -= length;
}

/** Frees every kept tree (before a big parse). */
export function dropKeptTrees(): void {
  for (const holder of [...kept.keys()]) {
    forgetTree(holder);
    holder.dropTree();
  }
}
