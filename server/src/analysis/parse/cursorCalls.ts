// The few functions of web-tree-sitter's wasm runtime that walk a tree with a cursor, called
// directly. web-tree-sitter's own TreeCursor and Node objects copy their state into the runtime's
// transfer buffer before every call and read it back after (five or more memory writes through
// a generic setter per step), and a Node is a new object per visit: walking a tree that way cost
// as much as parsing it. The runtime keeps the cursor in the transfer buffer between calls, so a
// walk that only moves the cursor and asks for numbers (type id, field id, offsets) needs no
// copying at all: see flatTree.ts, the one user.
//
// The functions are exports of the runtime module, which Emscripten builds on the options
// object handed to Parser.init (pythonParser.ts keeps it and gives it here).

/** A cursor call takes the tree's address; the cursor itself is in the transfer buffer. */
type CursorCall = (tree: number) => number;

export interface CursorCalls {
  readonly gotoFirstChild: CursorCall;
  readonly gotoNextSibling: CursorCall;
  readonly gotoParent: CursorCall;
  readonly typeId: CursorCall;
  readonly fieldId: CursorCall;
  readonly isNamed: CursorCall;
  readonly isMissing: CursorCall;
  readonly startIndex: CursorCall;
  readonly endIndex: CursorCall;
  /** Frees the cursor's stack. */
  readonly free: CursorCall;
}

let calls: CursorCalls | undefined;

const EXPORTS: Record<keyof CursorCalls, string> = {
  gotoFirstChild: '_ts_tree_cursor_goto_first_child_wasm',
  gotoNextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
  gotoParent: '_ts_tree_cursor_goto_parent_wasm',
  typeId: '_ts_tree_cursor_current_node_type_id_wasm',
  fieldId: '_ts_tree_cursor_current_field_id_wasm',
  isNamed: '_ts_tree_cursor_current_node_is_named_wasm',
  isMissing: '_ts_tree_cursor_current_node_is_missing_wasm',
  startIndex: '_ts_tree_cursor_start_index_wasm',
  endIndex: '_ts_tree_cursor_end_index_wasm',
  free: '_ts_tree_cursor_delete_wasm',
};

/** Takes the cursor functions from web-tree-sitter's runtime module once it is loaded. */
export function bindCursorCalls(runtime: Record<string, unknown>): void {
  const bound: Partial<Record<keyof CursorCalls, CursorCall>> = {};
  for (const [name, exported] of Object.entries(EXPORTS) as [keyof CursorCalls, string][]) {
    const fn = runtime[exported];
    // A web-tree-sitter whose runtime lacks these is a version this code was not written for.
    if (typeof fn !== 'function') throw new Error(`nbguard: web-tree-sitter's runtime has no ${exported}; its version is not the one nbguard was built with`);
    bound[name] = fn as CursorCall;
  }
  calls = bound as CursorCalls;
}

export function cursorCalls(): CursorCalls {
  if (!calls) throw new Error('nbguard: the Python parser is not loaded yet (await initPython() first)');
  return calls;
}
