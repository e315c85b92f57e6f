// The VS Code extension: starts the nbguard language server for notebooks and .py files and
// adds the UI around it (commands, status bar, output channel, output edits). All analysis
// happens in the server.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { trackCellOutputs } from './cellOutputs';
import { clearCellOutputs, redactCellOutputs } from './outputEdits';
import { scanActiveNotebook, scanWorkspace } from './scanCommands';
import { createStatusBar } from './statusBar';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/runtimeFlags';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient }> {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('nbguard', { log: true });
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { notebook: 'jupyter-notebook', language: 'python' },
      { notebook: 'interactive', language: 'python' },
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: log,
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
    synchronize: { configurationSection: 'nbguard' },
  };
  client = new LanguageClient('nbguard', 'nbguard', serverOptions, clientOptions);
  await client.start();

  const c = client;
  context.subscriptions.push(
    log,
    createStatusBar(),
    trackCellOutputs(c),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void c.sendNotification('nbguard/trust', { trusted: true })),
    vscode.commands.registerCommand('nbguard.scanNotebook', () => scanActiveNotebook(c, log)),
    vscode.commands.registerCommand('nbguard.scanWorkspace', () => scanWorkspace(c, log)),
    vscode.commands.registerCommand('nbguard.clearLeakingOutputs', () => clearLeakingOutputs(log)),
    vscode.commands.registerCommand('nbguard.clearCellOutputs', (cellUri: string) => clearCellOutputs(cellUri)),
    vscode.commands.registerCommand('nbguard.redactCellOutputs', (cellUri: string) => redactCellOutputs(c, cellUri)),
    vscode.commands.registerCommand('nbguard.showOutput', () => log.show()),
  );
  log.info(`nbguard activated in ${Date.now() - started} ms`);
  return { client: c };
}

/** Clears the outputs of every cell of the active notebook that has an NBG401 finding. */
async function clearLeakingOutputs(log: vscode.LogOutputChannel): Promise<number> {
  const nb = vscode.window.activeNotebookEditor?.notebook;
  if (!nb) {
    void vscode.window.showInformationMessage('nbguard: open a notebook to clear its leaking outputs.');
    return 0;
  }
  const leaking = nb.getCells().filter((cell) => vscode.languages.getDiagnostics(cell.document.uri).some((d) => d.source === 'nbguard' && d.code === 'NBG401'));
  for (const cell of leaking) await clearCellOutputs(cell.document.uri.toString());
  log.info(`cleared the outputs of ${leaking.length} cell(s) in ${vscode.workspace.asRelativePath(nb.uri)}`);
  void vscode.window.showInformationMessage(`nbguard: cleared the outputs of ${leaking.length} cell${leaking.length === 1 ? '' : 's'} holding credentials.`);
  return leaking.length;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
