// Whatever a notebook holds, or a client sends, the server stays up and keeps analysing: cells
// with syntax errors, a 1 MB cell, binary garbage, deep nesting, malformed messages. After each,
// the other cells' findings are still published and the server still answers requests.

import { describe, expect, it } from 'vitest';
import type { LspTestClient } from './lspClient';
import { DAPI, READ_SECRET, sharedServer } from './harness';
import { openNotebook, openTextDocument } from './notebookMessages';

/** The server process is running and answers a request within 5 s. */
async function expectResponsive(client: LspTestClient): Promise<void> {
  expect(client.alive).toBe(true);
  const answer = client.redact([`t=${DAPI}`]);
  const timeout = new Promise<'timeout'>((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), 5_000).unref());
  const result = await Promise.race([answer, timeout]);
  expect(result).not.toBe('timeout');
  expect((result as { texts: string[] }).texts[0]).not.toContain(DAPI);
}

function analysisFailures(client: LspTestClient): string[] {
  return client.logs.filter((l) => /analysing .* failed/.test(l.message)).map((l) => l.message.split('\n')[0]);
}

const ONE_MB = ('data = "' + 'abcdefghij'.repeat(6) + '"\n').repeat(15_000); // ~1 MB of valid code

const GARBAGE: Record<string, string> = {
  'syntax errors': 'def f(:\n  return (]\nx = = 1\nclass',
  'unbalanced brackets': 'x = ' + '('.repeat(50_000),
  'deep nesting': 'x = ' + '['.repeat(5_000) + ']'.repeat(5_000),
  'deep blocks': Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}if x${i}:`).join('\n') + `\n${' '.repeat(100)}pass`,
  'NUL and control characters': 'x = "\u0000\u0001\u0002"\n\u0000\u0000print(x)\u0007',
  'lone surrogates': 'x = "\ud800\udfff\ud800"\nprint("\udc00")',
  'binary noise': Array.from({ length: 20_000 }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join(''),
  'one 1 MB line': 'x = ' + '1 + '.repeat(250_000) + '1',
  'a shell cell': '%%bash\ncat ~/.netrc\n',
  'unterminated string': 'x = """never closed\nprint(x)',
  'only magics': '%pip install requests\n!ls -la\n%%timeit\nx?',
  'tabs and CRLF': 'if True:\r\n\tx = 1\r\n        y = 2\r\n',
};

describe('broken cells never take the server down', () => {
  const server = sharedServer();

  it.each(Object.entries(GARBAGE))('%s: the other cells are still analysed', async (_name, garbage) => {
    const nb = await openNotebook(server(), [READ_SECRET, garbage, 'print(pw)']);
    await nb.waitForCodes(2, ['NBG101@0:0']);
    // Typing into the garbage cell (incrementally) and elsewhere keeps working.
    await nb.editCell(1, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '((\n' }]);
    await nb.editCell(2, 'x = 1\nprint(pw)');
    await nb.waitForCodes(2, ['NBG101@1:0']);
    expect(analysisFailures(server())).toEqual([]);
    await expectResponsive(server());
  });

  it('a syntax error in the cell with the leak: the rest of the cell is still analysed, and fixing it is picked up', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)\nif x\n    y = (']);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    await nb.editCell(1, 'print(pw[-4:])\nif x:\n    y = 1');
    await nb.waitForCodes(1, []);
    await expectResponsive(server());
  });

  it('a 1 MB cell: opened, then edited, then replaced; the server keeps up', async () => {
    expect(ONE_MB.length).toBeGreaterThan(1_000_000);
    const nb = await openNotebook(server(), [READ_SECRET, ONE_MB, 'print(pw)']);
    await nb.waitForCodes(2, ['NBG101@0:0']);
    await expectResponsive(server());
    // An edit at the end of the big cell that leaks the secret there.
    const lines = ONE_MB.split('\n').length - 1;
    await nb.editCell(1, [{ range: { start: { line: lines, character: 0 }, end: { line: lines, character: 0 } }, newText: 'print(f"pw={pw}")\n' }]);
    await nb.waitForCodes(1, [`NBG101@${lines}:0`]);
    // A cell that becomes 1 MB by one change.
    await nb.editCell(2, ONE_MB + 'print(pw)');
    await nb.waitForCodes(2, [`NBG101@${lines}:0`]);
    await nb.editCell(1, 'x = 1');
    await nb.waitForCodes(1, []);
    await expectResponsive(server());
    await nb.close();
  });

  it('a 1 MB .py file', async () => {
    const doc = await openTextDocument(server(), 'file:///ws/big/huge.py', `# Databricks notebook source\n${ONE_MB}\n# COMMAND ----------\n\n${READ_SECRET}\nprint(pw)\n`);
    const lines = doc.text.split('\n');
    await doc.waitForCodes([`NBG101@${lines.indexOf('print(pw)')}:0`]);
    await expectResponsive(server());
  });

  it('fast typing: many changes in a row end in the diagnostics of the final text', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, '']);
    const typed = 'print(pw)';
    for (let k = 0; k < typed.length; k++) {
      await nb.editCell(1, [{ range: { start: { line: 0, character: k }, end: { line: 0, character: k } }, newText: typed[k] }]);
    }
    expect(nb.cell(1).text).toBe(typed);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    // And deleting it again, one character at a time from the end.
    for (let k = typed.length; k > 0; k--) {
      await nb.editCell(1, [{ range: { start: { line: 0, character: k - 1 }, end: { line: 0, character: k } }, newText: '' }]);
    }
    await nb.waitForCodes(1, []);
  });
});

describe('malformed messages never take the server down', () => {
  const server = sharedServer();

  it('invalid JSON on the wire, unknown methods and bad request parameters', async () => {
    const c = server();
    const body = '{"jsonrpc": "2.0", "method": oops';
    await c.writeRaw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await expect(c.connection.sendRequest('nbguard/noSuchRequest', {})).rejects.toThrow(/Unhandled method/);
    await expect(c.connection.sendRequest('nbguard/redact', { texts: 'not a list' })).rejects.toThrow();
    await expect(c.connection.sendRequest('nbguard/scanFiles', { uris: null })).rejects.toThrow();
    expect(await c.scanDocument('not a uri at all')).toMatchObject({ files: 0 });
    await expectResponsive(c);
  });

  it('notebook messages that do not fit the notebook: the server ignores them and goes on', async () => {
    const c = server();
    const nb = await openNotebook(c, [READ_SECRET, 'x = 1']);
    const send = (change: unknown, uri = nb.uri) => c.connection.sendNotification('notebookDocument/didChange', { notebookDocument: { uri, version: ++nb.version }, change });
    // A change for a notebook that was never opened.
    await send({ cells: { textContent: [{ document: { uri: 'vscode-notebook-cell:/nowhere#1', version: 2 }, changes: [{ text: 'print(pw)' }] }] } }, 'file:///ws/nowhere.ipynb');
    // Execution data for a cell that is not in the notebook.
    await send({ cells: { data: [{ kind: 2, document: 'vscode-notebook-cell:/ws/other.ipynb#W9', executionSummary: { executionOrder: 1 } }] } });
    // A text change far beyond the end of a cell.
    await send({ cells: { textContent: [{ document: { uri: nb.uriOf(1), version: 50 }, changes: [{ range: { start: { line: 500, character: 3 }, end: { line: 900, character: 0 } }, text: '\n' }] }] } });
    // An open without cells, and a didOpen of a cell with no text.
    await c.connection.sendNotification('notebookDocument/didOpen', { notebookDocument: { uri: 'file:///ws/empty.ipynb', notebookType: 'jupyter-notebook', version: 1 } });
    await c.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: 'file:///ws/notext.ipynb', notebookType: 'jupyter-notebook', version: 1, cells: [{ kind: 2, document: 'vscode-notebook-cell:/ws/notext.ipynb#W0' }] },
      cellTextDocuments: [],
    });
    // Execution counts of the wrong type.
    await send({ cells: { data: [{ kind: 2, document: nb.uriOf(0), metadata: { execution_count: 'three' }, executionSummary: { executionOrder: 'first' } }] } });
    // The notebook still works.
    await nb.editCell(1, 'print(pw)');
    await nb.waitForCodes(1, ['NBG101@0:0']);
    await expectResponsive(c);
  });

  it('stored outputs of odd shapes are read as far as they go', async () => {
    const c = server();
    const nb = await openNotebook(c, [READ_SECRET, 'x = 1', 'y = 2']);
    await nb.setOutputs(1, [
      5,
      'text',
      {},
      { output_type: 'stream', name: 'stdout', text: 42 },
      { output_type: 'display_data', data: { 'text/plain': { nested: true }, 'text/html': 7 } },
      { output_type: 'execute_result', data: null },
      { output_type: 'error', ename: 1, evalue: null, traceback: 'not a list' },
      { output_type: 'stream', name: 'stdout', text: 'x'.repeat(2_000_000) },
    ] as unknown as Record<string, unknown>[]);
    await nb.setOutputs(2, [{ output_type: 'stream', name: 'stdout', text: [`token `, `${DAPI}\n`] }]);
    await nb.waitForCodes(2, ['NBG401@0:0']);
    await nb.editCell(1, 'print(pw)');
    await nb.waitForCodes(1, ['NBG101@0:0']);
    expect(analysisFailures(c)).toEqual([]);
    await expectResponsive(c);
  });

  it('a null output entry does not stop the notebook from being analysed', async () => {
    const c = server();
    const nb = await openNotebook(c, [READ_SECRET, 'x = 1']);
    await nb.setOutputs(1, [null] as unknown as Record<string, unknown>[]);
    await nb.editCell(1, 'print(pw)');
    expect((await c.scanDocument(nb.uri)).findings.map((f) => f.ruleId)).toEqual(['NBG101']);
    await nb.waitForCodes(1, ['NBG101@0:0'], 1_000);
  });

  it('`outputs` that is not a list does not stop the notebook from being analysed', async () => {
    const c = server();
    const nb = await openNotebook(c, [READ_SECRET, 'x = 1']);
    await nb.setOutputs(1, 'garbage' as unknown as Record<string, unknown>[]);
    await nb.editCell(1, 'print(pw)');
    expect((await c.scanDocument(nb.uri)).findings.map((f) => f.ruleId)).toEqual(['NBG101']);
    await nb.waitForCodes(1, ['NBG101@0:0'], 1_000);
  });
});
