// Edits of stored outputs for NBG401: clear a cell's outputs, or replace the credentials in
// them with REDACTED_* placeholders (the server's redact()). A cell's outputs can only be
// changed by replacing the cell with the same source, kind, language and metadata.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function findCell(cellUri: string): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === cellUri);
    if (cell) return { notebook, cell };
  }
  return undefined;
}

async function replaceOutputs(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, outputs: vscode.NotebookCellOutput[]): Promise<boolean> {
  const data = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
  data.metadata = cell.metadata;
  data.outputs = outputs;
  if (cell.executionSummary) data.executionSummary = cell.executionSummary;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [data])]);
  return vscode.workspace.applyEdit(edit);
}

export async function clearCellOutputs(cellUri: string): Promise<boolean> {
  const found = findCell(cellUri);
  return found ? replaceOutputs(found.notebook, found.cell, []) : false;
}

export async function redactCellOutputs(client: LanguageClient, cellUri: string): Promise<boolean> {
  const found = findCell(cellUri);
  if (!found) return false;
  const items = found.cell.outputs.flatMap((o) => o.items).filter((i) => !i.mime.startsWith('image/'));
  const { texts } = await client.sendRequest<{ texts: string[] }>('nbguard/redact', { texts: items.map((i) => decoder.decode(i.data)) });
  const redacted = new Map(items.map((item, i) => [item, texts[i]]));
  const outputs = found.cell.outputs.map(
    (o) =>
      new vscode.NotebookCellOutput(
        o.items.map((item) => {
          const text = redacted.get(item);
          return text === undefined ? item : new vscode.NotebookCellOutputItem(encoder.encode(text), item.mime);
        }),
        o.metadata,
      ),
  );
  return replaceOutputs(found.notebook, found.cell, outputs);
}
