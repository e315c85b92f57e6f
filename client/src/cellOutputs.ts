// Stored outputs, which LSP notebook sync does not carry: converted from VS Code's output items
// to nbformat 4 shape (what the analysis reads for NBG401) and sent to the server when a
// notebook opens and whenever a cell's outputs change.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const decoder = new TextDecoder();

/** One VS Code output as nbformat 4 outputs (stream, error, or rich data). */
export function toNbformat(output: vscode.NotebookCellOutput): Record<string, unknown>[] {
  const data: Record<string, unknown> = {};
  const out: Record<string, unknown>[] = [];
  for (const item of output.items) {
    if (item.mime.startsWith('image/')) continue;
    const text = decoder.decode(item.data);
    if (item.mime === 'application/vnd.code.notebook.stdout' || item.mime === 'application/vnd.code.notebook.stderr') {
      out.push({ output_type: 'stream', name: item.mime.endsWith('stderr') ? 'stderr' : 'stdout', text });
    } else if (item.mime === 'application/vnd.code.notebook.error') {
      try {
        const e = JSON.parse(text) as { name?: string; message?: string; stack?: string };
        out.push({ output_type: 'error', ename: e.name ?? '', evalue: e.message ?? '', traceback: (e.stack ?? '').split('\n') });
      } catch {
        out.push({ output_type: 'error', ename: '', evalue: text, traceback: [] });
      }
    } else if (/^text\/|json$/.test(item.mime)) {
      try {
        data[item.mime] = item.mime.endsWith('json') ? JSON.parse(text) : text;
      } catch {
        data[item.mime] = text;
      }
    }
  }
  if (Object.keys(data).length > 0) out.push({ output_type: 'display_data', data, metadata: {} });
  return out;
}

export function sendCellOutputs(client: LanguageClient, notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[] = notebook.getCells()): void {
  const payload = cells
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .map((c) => ({ cell: c.document.uri.toString(), outputs: c.outputs.flatMap(toNbformat) }));
  if (payload.length > 0) void client.sendNotification('nbguard/cellOutputs', { notebook: notebook.uri.toString(), cells: payload });
}

/** Keeps the server's copy of every open notebook's outputs current. */
export function trackCellOutputs(client: LanguageClient): vscode.Disposable {
  for (const nb of vscode.workspace.notebookDocuments) sendCellOutputs(client, nb);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenNotebookDocument((nb) => sendCellOutputs(client, nb)),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      const changed = e.cellChanges.filter((c) => c.outputs !== undefined).map((c) => c.cell);
      if (changed.length > 0) sendCellOutputs(client, e.notebook, changed);
    }),
  );
}
