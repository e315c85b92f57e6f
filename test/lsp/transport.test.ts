// What arrives on the server's standard input is not always LSP: a header without
// Content-Length, a length that is not a number, junk before a header, a body that is not JSON
// or not a JSON-RPC message. Each is logged, without its bytes (they may be a user's code and its
// secrets), and skipped; the server then reads the next message and answers it.

import { afterEach, describe, expect, it } from 'vitest';
import type { LspTestClient } from './lspClient';
import { DAPI, READ_SECRET, startServer } from './harness';
import { openNotebook } from './notebookMessages';

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const request = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'nbguard/redact', params: { texts: [`t=${DAPI}`] } });

let client: LspTestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

/** Sends `bytes`, then checks the server logged a skip or drop and still opens and analyses a notebook. */
async function expectRecovers(bytes: string, logged: RegExp): Promise<void> {
  client = await startServer();
  const since = client.logs.length;
  await client.writeRaw(bytes);
  const line = await client.waitForLog(logged, 10_000, since);
  const nb = await openNotebook(client, [READ_SECRET, 'print(pw)']);
  await nb.waitForCodes(1, ['NBG101@0:0']);
  expect(client.alive).toBe(true);
  expect(line).not.toContain(DAPI);
  expect(JSON.stringify(client.logs), 'a log line quotes the input').not.toContain(DAPI);
}

describe('a broken transport is logged and the server reads on', () => {
  it('a header without Content-Length', async () => {
    await expectRecovers(`X-Token: ${DAPI}\r\n\r\n${request(9001)}`, /skipped \d+ bytes .*without Content-Length/);
  });

  it('a Content-Length that is not a number', async () => {
    await expectRecovers(`Content-Length: twelve\r\n\r\n${request(9002)}`, /skipped \d+ bytes .*not a number/);
  });

  it('junk before a header', async () => {
    await expectRecovers(`${DAPI} junk\r\n${frame(request(9003))}`, /skipped \d+ bytes/);
  });

  it('a body that is not JSON', async () => {
    await expectRecovers(frame(`{"jsonrpc": "2.0", "method": "x", "params": {"t": ${DAPI}}}`), /dropped a message of \d+ bytes: not valid JSON at line 1, column \d+/);
  });

  it('JSON that is no JSON-RPC message', async () => {
    await expectRecovers(frame(JSON.stringify({ jsonrpc: '2.0', secret: DAPI })), /dropped a message of \d+ bytes: neither a request, a notification nor a response/);
  });

  it('a header cut across writes, and bodies split into many small chunks, are read whole', async () => {
    client = await startServer();
    const bytes = frame(request(9004));
    for (let i = 0; i < bytes.length; i += 7) await client.writeRaw(bytes.slice(i, i + 7));
    const nb = await openNotebook(client, [READ_SECRET, 'print(pw)']);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    expect(client.logs.filter((l) => /skipped|dropped/.test(l.message))).toEqual([]);
  });
});
