// .py files open as text documents (textDocument/didOpen, didChange, didClose): Databricks source
// notebooks (`# Databricks notebook source`, cells split by `# COMMAND ----------`), `# %%`
// percent scripts and plain scripts, with diagnostics at the lines of the file.

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DAPI, DAPI_MASKED, READ_SECRET, sharedServer } from './harness';
import { openTextDocument } from './notebookMessages';

let counter = 0;
const fileUri = (ext = 'py') => `file:///ws/src/file${++counter}.${ext}`;

function databricks(cells: string[]): string {
  return `# Databricks notebook source\n${cells.join('\n\n# COMMAND ----------\n\n')}\n`;
}

function related(d: Diagnostic): string[] {
  return (d.relatedInformation ?? []).map((r) => `${r.location.uri} ${r.location.range.start.line}:${r.location.range.start.character} ${r.message}`);
}

describe('.py text documents', () => {
  const server = sharedServer();

  it('a Databricks source notebook: findings at the lines of the file, the trace across its cells', async () => {
    const text = databricks(['import requests', READ_SECRET, 'x = 1\nprint(pw)', `token = "${DAPI}"`]);
    //  0 # Databricks notebook source   5 pw = dbutils.secrets.get(...)   10 print(pw)
    //  1 import requests                 7 # COMMAND ----------            14 token = "dapi..."
    //  3 # COMMAND ----------            9 x = 1
    const doc = await openTextDocument(server(), fileUri(), text);
    await doc.waitForCodes(['NBG101@10:0', 'NBG201@14:8']);
    const [leak, hardcoded] = server().diagnostics.get(doc.uri)!;
    expect(text.split('\n')[10]).toBe('print(pw)');
    expect(text.split('\n')[14]).toBe(`token = "${DAPI}"`);
    expect(leak).toMatchObject({ code: 'NBG101', source: 'nbguard', range: { start: { line: 10, character: 0 }, end: { line: 10, character: 9 } } });
    expect(leak.codeDescription?.href).toMatch(/#nbg101$/);
    expect(related(leak)).toEqual([
      `${doc.uri} 5:5 Cell 2: source of the secret`,
      `${doc.uri} 5:0 Cell 2: carried by pw`,
      `${doc.uri} 10:0 Cell 3: reaches the sink here`,
    ]);
    expect(hardcoded.message).toContain(DAPI_MASKED);
    expect(hardcoded.message).not.toContain(DAPI);
  });

  it('editing the file moves the findings with their lines, and fixing the code clears them', async () => {
    const doc = await openTextDocument(server(), fileUri(), databricks([READ_SECRET, 'print(pw)']));
    await doc.waitForCodes(['NBG101@5:0']);
    // Two lines typed into the first cell.
    await doc.edit([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'import os\nimport sys\n' }]);
    await doc.waitForCodes(['NBG101@7:0']);
    // A new cell at the end with a network leak (a warning).
    await doc.edit([{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: '\n# COMMAND ----------\n\nimport requests\nrequests.get(f"https://h/?key={pw}")\n' }]);
    await doc.waitForCodes(['NBG101@7:0', 'NBG104@12:0']);
    expect(server().diagnostics.get(doc.uri)![1].severity).toBe(2);
    // Replace the secret read by a constant: everything clean, an empty list published.
    await doc.edit(doc.text.replace(READ_SECRET, 'pw = "public"'));
    await doc.waitForCodes([]);
  });

  it('a Databricks notebook\'s %sql and %md cells are skipped, MAGIC lines do not shift the lines', async () => {
    const text = databricks(['# MAGIC %md\n# MAGIC # Title', READ_SECRET, '# MAGIC %sql\n# MAGIC SELECT 1', 'print(pw)']);
    const doc = await openTextDocument(server(), fileUri(), text);
    const line = text.split('\n').indexOf('print(pw)');
    await doc.waitForCodes([`NBG101@${line}:0`]);
  });

  it('a plain script: the trace does not name cells it does not have', async () => {
    const text = `import os\n${READ_SECRET}\nprint(pw)\n`;
    const doc = await openTextDocument(server(), fileUri(), text);
    await doc.waitForCodes(['NBG101@2:0']);
    const [d] = server().diagnostics.get(doc.uri)!;
    expect(related(d)[0]).toBe(`${doc.uri} 1:5 source of the secret`);
    expect(d.message).not.toMatch(/Cell/);
  });

  it('a # %% percent script: cells split at the markers, lines of the file', async () => {
    const text = ['# %%', READ_SECRET, '', '# %% [markdown]', '# print(pw) in a comment', '', '# %%', 'import logging', 'logging.warning("pw=%s", pw)', ''].join('\n');
    const doc = await openTextDocument(server(), fileUri(), text);
    await doc.waitForCodes(['NBG101@8:0']);
    const [d] = server().diagnostics.get(doc.uri)!;
    expect(related(d)[0]).toBe(`${doc.uri} 1:5 Cell 1: source of the secret`);
  });

  it('a plain script, and a python document with another extension (languageId python)', async () => {
    const plain = await openTextDocument(server(), fileUri(), `import os\n\ntoken = "${DAPI}"\n`);
    await plain.waitForCodes(['NBG201@2:8']);
    const other = await openTextDocument(server(), 'untitled:Untitled-1', `${READ_SECRET}\nprint(pw)\n`, 'python');
    await other.waitForCodes(['NBG101@1:0']);
  });

  it('a document that is neither .py nor python is not analysed', async () => {
    const doc = await openTextDocument(server(), fileUri('txt'), `token = "${DAPI}"\n`, 'plaintext');
    const result = await server().scanDocument(doc.uri);
    expect(result.files).toBe(0);
    expect(result.errors).toEqual([{ file: doc.uri, message: 'not an open notebook or .py file' }]);
    expect(server().diagnostics.has(doc.uri)).toBe(false);
  });

  it('closing the file clears its diagnostics', async () => {
    const doc = await openTextDocument(server(), fileUri(), databricks([`token = "${DAPI}"`]));
    await doc.waitForCodes(['NBG201@1:8']);
    await doc.close();
    await doc.waitForCodes([]);
    expect((await server().scanDocument(doc.uri)).files).toBe(0);
  });

  it('a notebook-looking .py file where every secret is handled well has no findings', async () => {
    const doc = await openTextDocument(
      server(),
      fileUri(),
      databricks([READ_SECRET, 'df = spark.read.format("jdbc").option("url", "jdbc:postgresql://h/db").option("password", pw).load()', 'print(len(pw))', `print(pw[-4:])`]),
    );
    const result = await server().scanDocument(doc.uri);
    expect(result).toEqual({ files: 1, findings: [], errors: [] });
    expect(doc.codes()).toEqual([]);
  });
});
