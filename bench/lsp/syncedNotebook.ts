// A generated notebook as the VS Code client syncs it (LSP 3.17 notebook sync): the code cells
// (the server's notebook selector asks for python cells only, so markdown cells are not sent),
// with cell URIs and versions, the didOpen/didClose parameters, and a one-cell edit as the
// didChange VS Code sends for it: an incremental text change (the changed range only) in
// change.cells.textContent.

interface CellState {
  readonly uri: string;
  text: string;
  version: number;
}

interface Position {
  line: number;
  character: number;
}

/** Line/character (UTF-16 code units, as LSP counts) of `offset` in `text`. */
function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/** The smallest single-range change that turns `before` into `after`. */
export function minimalChange(before: string, after: string): { range: { start: Position; end: Position }; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { range: { start: positionAt(before, start), end: positionAt(before, endBefore) }, text: after.slice(start, endAfter) };
}

/** The code cells' sources of an nbformat 4 notebook text. */
export function codeCellSources(ipynbText: string): string[] {
  const nb = JSON.parse(ipynbText) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

export class SyncedNotebook {
  readonly uri: string;
  private version = 1;
  private readonly cells: CellState[];

  constructor(name: string, sources: readonly string[]) {
    this.uri = `file:///nbguard-bench/${name}.ipynb`;
    // VS Code's cell URIs: the notebook's path with the cell's handle in the fragment.
    this.cells = sources.map((text, i) => ({ uri: `vscode-notebook-cell:/nbguard-bench/${name}.ipynb#W${i}sZmlsZQ%3D%3D`, text, version: 1 }));
  }

  get length(): number {
    return this.cells.length;
  }

  cellUri(index: number): string {
    return this.cells[index].uri;
  }

  text(index: number): string {
    return this.cells[index].text;
  }

  texts(): string[] {
    return this.cells.map((c) => c.text);
  }

  didOpen(): unknown {
    return {
      notebookDocument: {
        uri: this.uri,
        notebookType: 'jupyter-notebook',
        version: this.version,
        metadata: {},
        cells: this.cells.map((c) => ({ kind: 2, document: c.uri, metadata: {} })),
      },
      cellTextDocuments: this.cells.map((c) => ({ uri: c.uri, languageId: 'python', version: c.version, text: c.text })),
    };
  }

  didClose(): unknown {
    return { notebookDocument: { uri: this.uri }, cellTextDocuments: this.cells.map((c) => ({ uri: c.uri })) };
  }

  /** Sets cell `index` to `after` and returns the didChange parameters for it. */
  edit(index: number, after: string): unknown {
    const cell = this.cells[index];
    const change = minimalChange(cell.text, after);
    cell.text = after;
    cell.version++;
    this.version++;
    return {
      notebookDocument: { uri: this.uri, version: this.version },
      change: { cells: { textContent: [{ document: { uri: cell.uri, version: cell.version }, changes: [change] }] } },
    };
  }
}
