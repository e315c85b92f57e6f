// Entry point of the language server (dist/server.js, and `nbguard lsp --stdio`). The
// transport comes from the command line (--stdio, --node-ipc, --socket=N) as
// vscode-languageserver reads it, except that stdio and IPC input goes through nbguard's own
// checks first (framedReader, messageCheck): a broken header or message is logged without its
// content and skipped, and the server reads on. A failure anywhere is logged, never allowed to
// end the process.

import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { FramedReader, type Log } from './framedReader';
import { guardReader } from './messageCheck';
import { NbguardServer } from './server';

/** The checked transport the command line asks for, or undefined (sockets, pipes: the library's). */
function checkedTransport(argv: readonly string[], log: Log): { reader: MessageReader; writer: MessageWriter } | undefined {
  if (argv.includes('--stdio')) {
    // Without a stream, the library no longer ends the process with its input: do it here.
    const end = () => process.exit(0);
    process.stdin.on('end', end).on('close', end);
    // console.log would write into the protocol stream: send it to the log instead.
    console.log = console.info = console.warn = console.error = (...args: unknown[]) => log(args.map(String).join(' '));
    return { reader: new FramedReader(process.stdin, log), writer: new StreamMessageWriter(process.stdout) };
  }
  if (argv.includes('--node-ipc')) return { reader: guardReader(new IPCMessageReader(process), log), writer: new IPCMessageWriter(process) };
  return undefined;
}

export function startServer(): void {
  let log: Log = (message) => process.stderr.write(`${message}\n`);
  const transport = checkedTransport(process.argv.slice(2), (message) => log(message));
  const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
  log = (message) => connection.console.warn(message);
  process.on('uncaughtException', (error) => connection.console.error(`nbguard: ${error.stack ?? error}`));
  process.on('unhandledRejection', (error) => connection.console.error(`nbguard: ${(error as Error)?.stack ?? error}`));
  new NbguardServer(connection).listen();
}
