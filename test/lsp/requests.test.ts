// nbguard's own requests: nbguard/scanDocument (analyse an open notebook or .py file now),
// nbguard/scanFiles (analyse files on disk and publish their diagnostics on the file URIs) and
// nbguard/redact (mask credentials in output texts).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DAPI, DAPI_MASKED, GHP, READ_SECRET, sharedServer } from './harness';
import { openNotebook, openTextDocument } from './notebookMessages';

/** An .ipynb file as Jupyter writes it: one-space indent, sources as lists of lines. */
function jupyterJson(cells: { type?: 'code' | 'markdown'; source: string; count?: number }[]): string {
  const lines = (s: string) => s.split(/(?<=\n)/);
  const nb = {
    cells: cells.map((c) =>
      c.type === 'markdown'
        ? { cell_type: 'markdown', metadata: {}, source: lines(c.source) }
        : { cell_type: 'code', execution_count: c.count ?? null, metadata: {}, outputs: [], source: lines(c.source) },
    ),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-scan-'));
  tempDirs.push(dir);
  return dir;
}

const short = (fs: { ruleId: string; cell: number; line: number }[]) => fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}`);

describe('nbguard/scanDocument', () => {
  const server = sharedServer();

  it('analyses an open notebook, by notebook URI or by any cell URI', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)', `t = "${DAPI}"`]);
    const byNotebook = await server().scanDocument(nb.uri);
    expect(byNotebook.files).toBe(1);
    expect(byNotebook.errors).toEqual([]);
    expect(short(byNotebook.findings)).toEqual(['NBG101@1:1', 'NBG201@2:1']);
    expect(JSON.stringify(byNotebook)).not.toContain(DAPI);
    const byCell = await server().scanDocument(nb.uriOf(2));
    expect(short(byCell.findings)).toEqual(['NBG101@1:1', 'NBG201@2:1']);
    // The published diagnostics agree.
    expect(nb.allCodes()).toEqual([undefined, ['NBG101@0:0'], ['NBG201@0:4']]);
  });

  it('reflects the latest edit at once, without waiting for the debounce', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'x = 1']);
    await nb.editCell(1, 'print(pw)');
    expect(short((await server().scanDocument(nb.uri)).findings)).toEqual(['NBG101@1:1']);
    expect(nb.codes(1)).toEqual(['NBG101@0:0']);
  });

  it('analyses an open .py file; anything else is an error, not a crash', async () => {
    const doc = await openTextDocument(server(), 'file:///ws/scan/doc.py', `# Databricks notebook source\n${READ_SECRET}\nprint(pw)\n`);
    const result = await server().scanDocument(doc.uri);
    expect(short(result.findings)).toEqual(['NBG101@0:3']);
    const unknown = await server().scanDocument('file:///ws/scan/never-opened.ipynb');
    expect(unknown).toEqual({ files: 0, findings: [], errors: [{ file: 'file:///ws/scan/never-opened.ipynb', message: 'not an open notebook or .py file' }] });
  });
});

describe('nbguard/scanFiles', () => {
  const server = sharedServer();

  it('scans .ipynb and .py files on disk and publishes on each file URI', async () => {
    const dir = tempDir();
    const ipynb = jupyterJson([
      { type: 'markdown', source: '# Load\nSome text.' },
      { source: `${READ_SECRET}\nimport requests`, count: 1 },
      { source: 'x = 1\nprint(pw)', count: 2 },
    ]);
    const ipynbPath = join(dir, 'load.ipynb');
    writeFileSync(ipynbPath, ipynb);
    const pyPath = join(dir, 'job.py');
    writeFileSync(pyPath, `# Databricks notebook source\nimport os\n\n# COMMAND ----------\n\ntoken = "${DAPI}"\n`);
    const cleanPath = join(dir, 'clean.py');
    writeFileSync(cleanPath, 'print("hello")\n');
    const uris = [ipynbPath, pyPath, cleanPath].map((p) => pathToFileURL(p).href);

    const result = await server().scanFiles(uris);
    expect(result.files).toBe(3);
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}@${f.cell}:${f.line}`)).toEqual([`${uris[0]} NBG101@2:2`, `${uris[1]} NBG201@1:6`]);
    expect(JSON.stringify(result)).not.toContain(DAPI);

    // The .ipynb finding is placed on the line of the JSON file that holds the code.
    await server().waitFor(() => [0, 1, 2].every((i) => server().diagnostics.has(uris[i])));
    const [onJson] = server().diagnostics.get(uris[0])!;
    expect(onJson).toMatchObject({ code: 'NBG101', source: 'nbguard', message: 'Cell 3, line 2: Secret from dbutils.secrets.get("db", "password") reaches print() (from Cell 2)' });
    expect(ipynb.split('\n')[onJson.range.start.line].trim()).toBe('"print(pw)"');
    expect(onJson.relatedInformation).toBeUndefined();
    // The .py finding at its line of the file, with its range.
    const [onPy] = server().diagnostics.get(uris[1])!;
    expect(onPy.range).toEqual({ start: { line: 5, character: 8 }, end: { line: 5, character: 8 + DAPI.length + 2 } });
    expect(onPy.message).toContain(DAPI_MASKED);
    // A clean file gets an empty list (it may have had findings before).
    expect(server().diagnostics.get(uris[2])).toEqual([]);
  });

  it('counts an open notebook as its editor shows it, not as saved on disk', async () => {
    const dir = tempDir();
    const path = join(dir, 'open.ipynb');
    // Saved: one leak. In the editor, unsaved: a second one typed in a new cell.
    writeFileSync(path, jupyterJson([{ source: READ_SECRET, count: 1 }, { source: 'print(pw)', count: 2 }]));
    const uri = pathToFileURL(path).href;
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)', 'print(pw)'], uri);
    await nb.waitForCodes(2, ['NBG101@0:0']);
    const result = await server().scanFiles([uri]);
    expect(result.files).toBe(1);
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@1:1', 'NBG101@2:1']);
  });

  it('a second scan after the file was fixed clears its diagnostics', async () => {
    const dir = tempDir();
    const path = join(dir, 'fixme.py');
    writeFileSync(path, `token = "${DAPI}"\n`);
    const uri = pathToFileURL(path).href;
    await server().scanFiles([uri]);
    await server().waitFor(() => server().codes(uri).length === 1);
    writeFileSync(path, 'import os\ntoken = os.environ["TOKEN"]\n');
    const again = await server().scanFiles([uri]);
    expect(again.findings).toEqual([]);
    await server().waitFor(() => server().diagnostics.get(uri)?.length === 0);
  });

  it('files that cannot be read or parsed are reported as errors; the others are still scanned', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.ipynb');
    writeFileSync(broken, '{"cells": [ this is not json');
    const good = join(dir, 'good.py');
    writeFileSync(good, `t = "${GHP}"\n`);
    const missing = join(dir, 'missing.ipynb');
    const result = await server().scanFiles([pathToFileURL(broken).href, 'untitled:Untitled-1', pathToFileURL(missing).href, pathToFileURL(good).href]);
    expect(result.files).toBe(1);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['NBG201']);
    expect(result.errors.map((e) => e.file)).toEqual([pathToFileURL(broken).href, 'untitled:Untitled-1', pathToFileURL(missing).href]);
    expect(result.errors[1].message).toBe('not a file URI');
    expect(result.errors[2].message).toMatch(/ENOENT/);
  });

  it('opening a scanned notebook moves its findings from the file URI to the cells', async () => {
    const dir = tempDir();
    const path = join(dir, 'later.ipynb');
    writeFileSync(path, jupyterJson([{ source: `t = "${DAPI}"` }]));
    const uri = pathToFileURL(path).href;
    await server().scanFiles([uri]);
    await server().waitFor(() => (server().diagnostics.get(uri) ?? []).length === 1);
    const nb = await openNotebook(server(), [`t = "${DAPI}"`], uri);
    await nb.waitForCodes(0, ['NBG201@0:4']);
    await server().waitFor(() => (server().diagnostics.get(uri) ?? []).length === 0);
  });

  it('a file open in the editor is not published on its file URI (its cells already show the findings)', async () => {
    const dir = tempDir();
    const path = join(dir, 'open.ipynb');
    writeFileSync(path, jupyterJson([{ source: `t = "${DAPI}"` }]));
    const uri = pathToFileURL(path).href;
    const nb = await openNotebook(server(), [`t = "${DAPI}"`], uri);
    await nb.waitForCodes(0, ['NBG201@0:4']);
    const result = await server().scanFiles([uri]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['NBG201']);
    // Another scan of a closed file publishes, which proves the publication would have come by now.
    const other = join(dir, 'closed.py');
    writeFileSync(other, `t = "${DAPI}"\n`);
    await server().scanFiles([pathToFileURL(other).href]);
    await server().waitFor(() => server().diagnostics.has(pathToFileURL(other).href));
    expect(server().diagnostics.has(uri)).toBe(false);
  });

  it('follows the rule settings: an "off" rule is not published', async () => {
    const dir = tempDir();
    const path = join(dir, 'warn.py');
    writeFileSync(path, `${READ_SECRET}\nimport requests\nrequests.get("https://h/?k=" + pw)\nprint(pw)\n`);
    const uri = pathToFileURL(path).href;
    const c = server();
    try {
      await c.configure({ rules: { NBG101: 'off', NBG104: 'error' } });
      const result = await c.scanFiles([uri]);
      expect(result.files).toBe(1);
      await c.waitFor(() => c.diagnostics.has(uri));
      expect(c.diagnostics.get(uri)!.map((d) => [d.code, d.severity])).toEqual([['NBG104', 1]]);
    } finally {
      await c.configure({});
    }
  });
});

describe('nbguard/redact', () => {
  const server = sharedServer();

  it('masks every credential in each text and leaves the rest alone', async () => {
    const texts = [
      `token = ${DAPI}\nhost = https://adb-1.azuredatabricks.net\n`,
      'nothing secret here',
      `https://x-access-token:${GHP}@github.com/org/repo`,
      '',
    ];
    const { texts: out } = await server().redact(texts);
    expect(out).toHaveLength(4);
    expect(out[0]).not.toContain(DAPI);
    expect(out[0]).toContain('host = https://adb-1.azuredatabricks.net');
    expect(out[1]).toBe('nothing secret here');
    expect(out[2]).not.toContain(GHP);
    expect(out[2]).toContain('@github.com/org/repo');
    expect(out[3]).toBe('');
    // Redacted output has nothing left to redact.
    expect((await server().redact(out)).texts).toEqual(out);
  });
});
