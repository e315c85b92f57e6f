// What VS Code sends the language server when a user works on a notebook, as LSP 3.17
// messages, so tests read like user actions: open a notebook, edit, insert, delete and move
// cells, run a cell, close it; open and edit a .py file; store cell outputs.
//
// The messages follow what vscode-languageclient produces (see /work/shared/notes/e2e-vscode.md):
// - didOpen of a notebook loaded from disk carries no executionSummary; the cell metadata has
//   `execution_count`;
// - editing a cell's text sends its textContent change, then (VS Code's ipynb support resets
//   it) a data change with metadata `execution_count: null` when the cell had one;
// - running a cell sends a data change with `executionSummary: {executionOrder, success}`;
// - a move is one structure change that deletes and re-inserts the same cell URIs, with empty
//   didOpen/didClose (the server must keep the text it has);
// - markdown cells are not synced (the server's selector asks for python cells only).

import type { Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { LspTestClient } from './lspClient';

const CODE = 2; // NotebookCellKind.Code

export interface CellSpec {
  text: string;
  /** `execution_count` in the cell metadata, as VS Code's ipynb loader puts it. */
  executionCount?: number | null;
  /** An executionSummary already known at open (a kernel ran the cell in this session). */
  executionOrder?: number;
}

export interface CellState {
  uri: string;
  text: string;
  version: number;
  metadata?: Record<string, unknown>;
  executionSummary?: { executionOrder: number; success?: boolean };
}

let notebookCounter = 0;

/** The LSP NotebookCell of a cell state. */
function lspCell(c: CellState): Record<string, unknown> {
  return {
    kind: CODE,
    document: c.uri,
    ...(c.metadata ? { metadata: c.metadata } : {}),
    ...(c.executionSummary ? { executionSummary: c.executionSummary } : {}),
  };
}

/** A notebook open in the (simulated) editor: the client's view of its cells. */
export class TestNotebook {
  version = 1;
  private nextCell = 0;
  readonly cells: CellState[] = [];

  constructor(
    readonly client: LspTestClient,
    readonly uri: string,
    readonly notebookType = 'jupyter-notebook',
  ) {}

  /** A cell URI like VS Code's: the notebook path with a per-cell fragment. */
  newCellUri(): string {
    const path = this.uri.replace(/^file:\/\//, '');
    return `vscode-notebook-cell:${path}#W${this.nextCell++}sZmlsZQ%3D%3D`;
  }

  cell(i: number): CellState {
    const c = this.cells[i];
    if (!c) throw new Error(`no cell ${i}`);
    return c;
  }

  uriOf(i: number): string {
    return this.cell(i).uri;
  }

  /** The cell index of a cell URI (after moves). */
  indexOf(uri: string): number {
    return this.cells.findIndex((c) => c.uri === uri);
  }

  private stateOf(spec: string | CellSpec): CellState {
    const s = typeof spec === 'string' ? { text: spec } : spec;
    return {
      uri: this.newCellUri(),
      text: s.text,
      version: 1,
      metadata: s.executionCount !== undefined ? { execution_count: s.executionCount } : undefined,
      executionSummary: s.executionOrder !== undefined ? { executionOrder: s.executionOrder, success: true } : undefined,
    };
  }

  async open(cells: (string | CellSpec)[]): Promise<void> {
    this.cells.push(...cells.map((c) => this.stateOf(c)));
    await this.client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: this.uri, notebookType: this.notebookType, version: this.version, cells: this.cells.map(lspCell) },
      cellTextDocuments: this.cells.map((c) => ({ uri: c.uri, languageId: 'python', version: c.version, text: c.text })),
    });
  }

  private async change(cells: Record<string, unknown>): Promise<void> {
    this.version++;
    await this.client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: this.uri, version: this.version },
      change: { cells },
    });
  }

  /**
   * Types into cell `i`: the whole text replaced, or these range edits (applied to the client
   * copy too). Resets the cell's metadata execution_count as VS Code does.
   */
  async editCell(i: number, edit: string | TextEdit[]): Promise<void> {
    const c = this.cell(i);
    const edits = typeof edit === 'string' ? [{ range: wholeRange(c.text), newText: edit }] : edit;
    c.text = applyTextEdits(c.text, edits);
    c.version++;
    // LSP content changes apply one after the other: send them last-first so earlier ranges stay valid.
    const changes = sortedLastFirst(edits).map((e) => ({ range: e.range, text: e.newText }));
    await this.change({ textContent: [{ document: { uri: c.uri, version: c.version }, changes }] });
    if (c.metadata && c.metadata.execution_count !== null && c.metadata.execution_count !== undefined) {
      c.metadata = { ...c.metadata, execution_count: null };
      await this.change({ data: [lspCell(c)] });
    }
  }

  /** Applies the edits a code action returned for cell `i` (as the editor would). */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    const changes = editsByUri(edit);
    for (const [uri, edits] of changes) {
      const i = this.indexOf(uri);
      if (i < 0) throw new Error(`the edit targets ${uri}, not a cell of ${this.uri}`);
      await this.editCell(i, edits);
    }
  }

  /** Inserts a new code cell at `index`; returns its URI. */
  async insertCell(index: number, spec: string | CellSpec): Promise<string> {
    const c = this.stateOf(spec);
    this.cells.splice(index, 0, c);
    await this.change({
      structure: {
        array: { start: index, deleteCount: 0, cells: [lspCell(c)] },
        didOpen: [{ uri: c.uri, languageId: 'python', version: c.version, text: c.text }],
        didClose: [],
      },
    });
    return c.uri;
  }

  /** Deletes cell `index`. */
  async deleteCell(index: number): Promise<void> {
    const [c] = this.cells.splice(index, 1);
    await this.change({ structure: { array: { start: index, deleteCount: 1 }, didOpen: [], didClose: [{ uri: c.uri }] } });
  }

  /**
   * Moves cell `from` to position `to`: one structure change replacing the affected span by the
   * same cells in their new order, with no didOpen/didClose (what vscode-languageclient sends);
   * `split`: a delete and an insert of the same cell URI in two changes.
   */
  async moveCell(from: number, to: number, options: { split?: boolean } = {}): Promise<void> {
    const [c] = this.cells.splice(from, 1);
    if (options.split) {
      // The same move as two changes: the cell removed, then inserted again, neither closed nor opened.
      await this.change({ structure: { array: { start: from, deleteCount: 1 }, didOpen: [], didClose: [] } });
      this.cells.splice(to, 0, c);
      await this.change({ structure: { array: { start: to, deleteCount: 0, cells: [lspCell(c)] }, didOpen: [], didClose: [] } });
      return;
    }
    this.cells.splice(to, 0, c);
    const start = Math.min(from, to);
    const count = Math.abs(from - to) + 1;
    await this.change({
      structure: { array: { start, deleteCount: count, cells: this.cells.slice(start, start + count).map(lspCell) }, didOpen: [], didClose: [] },
    });
  }

  /** Runs cell `i` in the kernel: its execution summary gets this execution order. */
  async executeCell(i: number, executionOrder: number, success = true): Promise<void> {
    const c = this.cell(i);
    c.executionSummary = { executionOrder, success };
    await this.change({ data: [lspCell(c)] });
  }

  /** The client tells the server a cell's stored outputs (nbformat 4 shape). */
  async setOutputs(i: number, outputs: Record<string, unknown>[]): Promise<void> {
    await this.client.connection.sendNotification('nbguard/cellOutputs', { notebook: this.uri, cells: [{ cell: this.uriOf(i), outputs }] });
  }

  async close(): Promise<void> {
    await this.client.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: this.uri },
      cellTextDocuments: this.cells.map((c) => ({ uri: c.uri })),
    });
  }

  /** Diagnostics last published for cell `i` (undefined: never published). */
  diagnostics(i: number): Diagnostic[] | undefined {
    return this.client.diagnostics.get(this.uriOf(i));
  }

  /** `CODE@line:character` of cell `i`'s last published diagnostics. */
  codes(i: number): string[] {
    return this.client.codes(this.uriOf(i));
  }

  /** Waits until cell `i`'s published codes equal `expected` (an empty list must have been published). */
  async waitForCodes(i: number, expected: string[], timeoutMs?: number): Promise<void> {
    const uri = this.uriOf(i);
    const same = () => this.client.diagnostics.has(uri) && JSON.stringify(this.client.codes(uri)) === JSON.stringify(expected);
    await this.client.waitFor(same, timeoutMs, () => `cell ${i} (${uri}): wanted ${JSON.stringify(expected)}, have ${JSON.stringify(this.allCodes())}`);
  }

  /** Codes of every cell, in cell order (undefined where nothing was published). */
  allCodes(): (string[] | undefined)[] {
    return this.cells.map((c) => (this.client.diagnostics.has(c.uri) ? this.client.codes(c.uri) : undefined));
  }

  /** Waits until every cell's published codes equal `expected` (one list per cell). */
  async waitForAll(expected: string[][], timeoutMs?: number): Promise<void> {
    const want = JSON.stringify(expected);
    const have = () => JSON.stringify(this.cells.map((c) => this.client.codes(c.uri)));
    await this.client.waitFor(() => have() === want, timeoutMs, () => `wanted ${want}, have ${JSON.stringify(this.allCodes())}`);
  }
}

/** Opens a notebook of python code cells (`name` becomes file:///ws/<name> unless it is a URI). */
export async function openNotebook(
  client: LspTestClient,
  cells: (string | CellSpec)[],
  name = `nb${++notebookCounter}.ipynb`,
  notebookType = 'jupyter-notebook',
): Promise<TestNotebook> {
  const uri = name.includes(':') ? name : `file:///ws/${name}`;
  const nb = new TestNotebook(client, uri, notebookType);
  await nb.open(cells);
  return nb;
}

/** A .py file open in a text editor. */
export class TestTextDocument {
  version = 1;

  constructor(
    readonly client: LspTestClient,
    readonly uri: string,
    public text: string,
    readonly languageId = 'python',
  ) {}

  async open(): Promise<void> {
    await this.client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: this.uri, languageId: this.languageId, version: this.version, text: this.text },
    });
  }

  /** Replaces the whole text, or applies range edits. */
  async edit(edit: string | TextEdit[]): Promise<void> {
    const edits = typeof edit === 'string' ? [{ range: wholeRange(this.text), newText: edit }] : edit;
    this.text = applyTextEdits(this.text, edits);
    this.version++;
    await this.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: sortedLastFirst(edits).map((e) => ({ range: e.range, text: e.newText })),
    });
  }

  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of editsByUri(edit)) {
      if (uri !== this.uri) throw new Error(`the edit targets ${uri}, not ${this.uri}`);
      await this.edit(edits);
    }
  }

  async close(): Promise<void> {
    await this.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri } });
  }

  codes(): string[] {
    return this.client.codes(this.uri);
  }

  async waitForCodes(expected: string[], timeoutMs?: number): Promise<void> {
    const same = () => this.client.diagnostics.has(this.uri) && JSON.stringify(this.codes()) === JSON.stringify(expected);
    await this.client.waitFor(same, timeoutMs, () => `${this.uri}: wanted ${JSON.stringify(expected)}, have ${JSON.stringify(this.codes())}`);
  }
}

export async function openTextDocument(client: LspTestClient, uri: string, text: string, languageId = 'python'): Promise<TestTextDocument> {
  const doc = new TestTextDocument(client, uri, text, languageId);
  await doc.open();
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Text edits

/** The range covering all of `text`. */
export function wholeRange(text: string): Range {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/** Offset of an LSP position in `text` (UTF-16 code units, \n line ends); out-of-range positions clamp. */
export function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  return Math.min(offset + pos.character, lineEnd < 0 ? text.length : lineEnd);
}

function sortedLastFirst(edits: readonly TextEdit[]): TextEdit[] {
  const key = (e: TextEdit) => e.range.start.line * 1e7 + e.range.start.character;
  return [...edits].map((e, i) => ({ e, i })).sort((a, b) => key(b.e) - key(a.e) || b.i - a.i).map((x) => x.e);
}

/**
 * Applies TextEdits as LSP defines them: every range refers to the original text, ranges do not
 * overlap, and edits at the same position are inserted in the order given.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits.map((e, i) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText, i }));
  spans.sort((a, b) => a.start - b.start || a.i - b.i);
  for (let k = 1; k < spans.length; k++) {
    if (spans[k].start < spans[k - 1].end) throw new Error(`overlapping edits: ${JSON.stringify(edits)}`);
  }
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}

/** The TextEdits of a WorkspaceEdit per document URI (`changes` or `documentChanges`). */
export function editsByUri(edit: WorkspaceEdit): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.set(uri, [...edits]);
  for (const dc of edit.documentChanges ?? []) {
    if (!('textDocument' in dc)) throw new Error(`unsupported document change ${JSON.stringify(dc)}`);
    out.set(dc.textDocument.uri, [...(out.get(dc.textDocument.uri) ?? []), ...(dc.edits as TextEdit[])]);
  }
  return out;
}
