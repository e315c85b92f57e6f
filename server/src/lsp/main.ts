// Entry point of the language server (dist/server.js, and `nbguard lsp --stdio`). The
// transport comes from the command line (--stdio, --node-ipc, --socket=N) as
// vscode-languageserver reads it. A failure anywhere is logged, never allowed to end the process.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { NbguardServer } from './server';

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (error) => connection.console.error(`nbguard: ${error.stack ?? error}`));
  process.on('unhandledRejection', (error) => connection.console.error(`nbguard: ${(error as Error)?.stack ?? error}`));
  new NbguardServer(connection).listen();
}
