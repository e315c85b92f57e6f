// `nbguard lsp --stdio` is the same language server as dist/server.js, for other editors.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

describe('nbguard lsp --stdio', () => {
  it('answers initialize and publishes diagnostics for a Databricks .py file', async () => {
    const child = spawn(process.execPath, [resolve(__dirname, '..', 'dist', 'cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const published = new Promise<{ uri: string; codes: string[] }>((resolvePublished) =>
      connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
        if (p.diagnostics.length > 0) resolvePublished({ uri: p.uri, codes: p.diagnostics.map((d) => `${d.code}@${d.range.start.line}`) });
      }),
    );
    connection.listen();
    try {
      const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
      expect(init.serverInfo?.name).toBe('nbguard');
      expect(init.capabilities.notebookDocumentSync).toBeDefined();
      await connection.sendNotification('initialized', {});
      const text = '# Databricks notebook source\npw = dbutils.secrets.get("s", "k")\n\n# COMMAND ----------\n\nprint(pw)\n';
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///w/etl.py', languageId: 'python', version: 1, text } });
      expect(await published).toEqual({ uri: 'file:///w/etl.py', codes: ['NBG101@5'] });
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
