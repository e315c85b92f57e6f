// Checks one incoming JSON-RPC message before the connection sees it. vscode-jsonrpc logs a
// message it cannot classify in full (`Received message which is neither a response nor a
// notification message: {…}`) and a body that is not JSON with JSON.parse's words, which quote
// it; either may carry a notebook's text, secrets included, into the editor's log. Here a bad
// message is dropped with a reason that names sizes and positions only.

import type { DataCallback, Disposable, Message, MessageReader } from 'vscode-languageserver/node';
import { describeJsonError } from '../analysis/notebook/jsonError';

export type Checked = { message: Message } | { problem: string };

function isId(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'string' || value === null;
}

/** Whether a parsed value is a request, a notification or a response. */
export function messageProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object (batches are not part of LSP)';
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'no "jsonrpc": "2.0"';
  if (typeof m.method === 'string') {
    if (m.id !== undefined && !isId(m.id)) return 'a request whose id is neither a number nor a string';
    if (m.params !== undefined && (m.params === null || typeof m.params !== 'object')) return 'params that are neither an object nor an array';
    return undefined;
  }
  if (m.method !== undefined) return 'a method that is not a string';
  if (!isId(m.id) || m.id === undefined) return 'neither a request, a notification nor a response (no method, no id)';
  if (!('result' in m) && !('error' in m)) return 'a response with neither result nor error';
  return undefined;
}

/** Parses and checks one message body. */
export function checkMessage(body: string): Checked {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { problem: describeJsonError(body) };
  }
  const problem = messageProblem(value);
  return problem ? { problem } : { message: value as Message };
}

/** A reader (IPC: messages arrive parsed) that passes on only well-formed messages. */
export function guardReader(inner: MessageReader, log: (message: string) => void): MessageReader {
  return {
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    dispose: () => inner.dispose(),
    listen(callback: DataCallback): Disposable {
      return inner.listen((message) => {
        const problem = messageProblem(message);
        if (problem) log(`nbguard: dropped a message: ${problem}`);
        else callback(message);
      });
    },
  };
}
