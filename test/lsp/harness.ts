// Shared setup for the language-server tests: one real server per describe block (or per test
// where settings differ), stopped afterwards, plus the credentials the tests paste into cells.

import { afterAll, beforeAll } from 'vitest';
import { LspTestClient, type ClientOptions } from './lspClient';

/** A Databricks personal access token (the shape nbguard's detector knows). */
export const DAPI = 'dapi0123456789abcdef0123456789abcdef';
export const DAPI_MASKED = 'dapi****************************cdef';
/** A GitHub token. */
export const GHP = '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'; // a valid CRC-32 checksum
/** Reading a secret from a Databricks secret scope. */
export const READ_SECRET = 'pw = dbutils.secrets.get("db", "password")';

/** Starts one server for the enclosing describe block; the getter returns it. */
export function sharedServer(options?: ClientOptions): () => LspTestClient {
  let client: LspTestClient | undefined;
  beforeAll(async () => {
    client = new LspTestClient(options);
    await client.start();
  });
  afterAll(async () => client?.stop());
  return () => {
    if (!client) throw new Error('server not started');
    return client;
  };
}

/** Starts a server for one test (with its own settings); the test stops it. */
export async function startServer(options?: ClientOptions): Promise<LspTestClient> {
  const client = new LspTestClient(options);
  await client.start();
  return client;
}
