// The command-palette scans: the active notebook (or Databricks .py file) with a summary and
// its findings in the output channel, and the whole workspace (every .ipynb and .py, open or
// not) with a progress notification that can be cancelled; the server publishes the
// workspace's findings to the Problems panel.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ScanFinding, ScanResult } from '../../server/src/lsp/protocol';


const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/venv/**,**/.ipynb_checkpoints/**,**/__pycache__/**}';
const BATCH = 20;

function summary(findings: readonly ScanFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  return findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
}

export async function scanActiveNotebook(client: LanguageClient, log: vscode.OutputChannel): Promise<ScanResult | undefined> {
  const uri = vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('nbguard: open a notebook or a Databricks .py file to scan it.');
    return undefined;
  }
  const answer = await client.sendRequest<ScanResult>('nbguard/scanDocument', { uri: uri.toString() });
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  const cells = notebook?.getCells().map((c) => c.document.uri.toString());
  // The server numbers only the cells it is sent; renumber them as the editor shows them.
  const result: ScanResult = cells ? { ...answer, findings: answer.findings.map((f) => (f.cellUri ? { ...f, cell: cells.indexOf(f.cellUri) } : f)) } : answer;
  const name = vscode.workspace.asRelativePath(uri);
  log.appendLine(`Scan of ${name}: ${summary(result.findings)}`);
  for (const f of result.findings) log.appendLine(`  cell ${f.cell}, line ${f.line}, column ${f.column}  ${f.severity} ${f.ruleId}: ${f.message}`);
  for (const e of result.errors) log.appendLine(`  error: ${e.message}`);
  // Not awaited: the command returns its result while the message waits for the user.
  void vscode.window.showInformationMessage(`nbguard: ${summary(result.findings)} in ${name}.`, ...(result.findings.length ? ['Show Problems', 'Show Log'] : [])).then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === 'Show Log') log.show(true);
  });
  return result;
}

export async function scanWorkspace(client: LanguageClient, log: vscode.OutputChannel): Promise<ScanResult | undefined> {
  const uris = await vscode.workspace.findFiles('**/*.{ipynb,py}', EXCLUDE);
  if (uris.length === 0) {
    void vscode.window.showInformationMessage('nbguard: no .ipynb or .py files in the workspace.');
    return undefined;
  }
  const total = { files: 0, findings: [] as ScanFinding[], errors: [] as { file: string; message: string }[] };
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'nbguard: scanning the workspace', cancellable: true },
    async (progress, token) => {
      for (let i = 0; i < uris.length; i += BATCH) {
        if (token.isCancellationRequested) return true;
        progress.report({ message: `${i} of ${uris.length} files`, increment: (BATCH / uris.length) * 100 });
        const batch = uris.slice(i, i + BATCH).map((u) => u.toString());
        const result = await client.sendRequest<ScanResult>('nbguard/scanFiles', { uris: batch }, token);
        total.files += result.files;
        total.findings.push(...result.findings);
        total.errors.push(...result.errors);
      }
      return token.isCancellationRequested;
    },
  );
  const what = `${summary(total.findings)} in ${total.files} file${total.files === 1 ? '' : 's'}${cancelled ? ' (cancelled)' : ''}`;
  log.appendLine(`Workspace scan: ${what}`);
  for (const e of total.errors) log.appendLine(`  ${vscode.workspace.asRelativePath(vscode.Uri.parse(e.file))}: ${e.message}`);
  void vscode.window.showInformationMessage(`nbguard: ${what}.`, 'Show Problems').then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return total;
}
