// A notebook open in the editor, synced cell by cell with the LSP 3.17 notebook messages: the
// diagnostics the server publishes per cell URI (codes, ranges, links, masked messages, the
// trace as related information), and how they follow edits, inserted, deleted and moved cells,
// and closing the notebook.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DAPI, DAPI_MASKED, READ_SECRET, sharedServer } from './harness';
import { openNotebook, type TestNotebook } from './notebookMessages';

const ERROR = 1;
const WARNING = 2;

/** relatedInformation as `uri line:character message`. */
function related(d: Diagnostic): string[] {
  return (d.relatedInformation ?? []).map((r) => `${r.location.uri} ${r.location.range.start.line}:${r.location.range.start.character} ${r.message}`);
}

function only(nb: TestNotebook, i: number): Diagnostic {
  const ds = nb.diagnostics(i) ?? [];
  expect(ds).toHaveLength(1);
  return ds[0];
}

describe('diagnostics of an opened notebook', () => {
  const server = sharedServer();

  it('a hardcoded token that flows through two cells: NBG201 at the literal, NBG101 at the print, with the trace', async () => {
    const nb = await openNotebook(server(), [`token = "${DAPI}"`, 'msg = "token=" + token', 'x = 1\nprint(msg)']);
    await nb.waitForCodes(0, ['NBG201@0:8']);
    await nb.waitForCodes(2, ['NBG101@1:0']);

    const hardcoded = only(nb, 0);
    expect(hardcoded).toMatchObject({
      code: 'NBG201',
      source: 'nbguard',
      severity: ERROR,
      range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 + DAPI.length + 2 } },
    });
    expect(hardcoded.codeDescription?.href).toMatch(/#nbg201$/);
    expect(hardcoded.message).toContain(DAPI_MASKED);
    expect(hardcoded.message).not.toContain(DAPI);

    const leak = only(nb, 2);
    expect(leak).toMatchObject({
      code: 'NBG101',
      source: 'nbguard',
      severity: ERROR,
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 'print(msg)'.length } },
    });
    expect(leak.codeDescription?.href).toMatch(/#nbg101$/);
    expect(leak.message).toBe(`The hardcoded Databricks personal access token ${DAPI_MASKED} reaches print() (from Cell 1 via Cell 2)`);
    // Every hop of the trace, in whichever cell it happened.
    expect(related(leak)).toEqual([
      `${nb.uriOf(0)} 0:8 Cell 1: source of the secret`,
      `${nb.uriOf(0)} 0:0 Cell 1: carried by token`,
      `${nb.uriOf(1)} 0:0 Cell 2: carried by msg`,
      `${nb.uriOf(2)} 1:0 Cell 3: reaches the sink here`,
    ]);
    expect(JSON.stringify(nb.client.diagnostics.get(nb.uriOf(2)))).not.toContain(DAPI);
    // The middle cell has nothing of its own.
    expect(nb.codes(1)).toEqual([]);
  });

  it('every rule: its code, its severity and a link to its section of docs/rules.md', async () => {
    const nb = await openNotebook(server(), [
      `${READ_SECRET}\nimport requests`,
      'print(pw)',
      'dbutils.notebook.run("./child", 60, {"password": pw})',
      'dbutils.fs.put("/tmp/creds.txt", pw)',
      'requests.get(f"https://api.example.com/data?token={pw}")',
      'spark.conf.set("fs.azure.account.key.acct.dfs.core.windows.net", pw)',
      `token = "${DAPI}"`,
      'result = run_job()',
    ]);
    await nb.setOutputs(7, [{ output_type: 'stream', name: 'stdout', text: `connected with ${DAPI}\n` }]);
    await nb.waitForAll([[], ['NBG101@0:0'], ['NBG102@0:0'], ['NBG103@0:0'], ['NBG104@0:0'], ['NBG301@0:0'], ['NBG201@0:8'], ['NBG401@0:0']]);
    const rulesDoc = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');
    for (let i = 1; i < nb.cells.length; i++) {
      const d = only(nb, i);
      const id = String(d.code).toLowerCase();
      expect(d.source).toBe('nbguard');
      // docs/rules.md: NBG104 and NBG301 are warnings, the others errors.
      expect(d.severity).toBe(d.code === 'NBG104' || d.code === 'NBG301' ? WARNING : ERROR);
      const href = d.codeDescription!.href;
      expect(href.endsWith(`#${id}`)).toBe(true);
      // The link opens a file that has that anchor.
      const [file] = href.split('#');
      expect(existsSync(fileURLToPath(file))).toBe(true);
      expect(rulesDoc).toContain(`<a id="${id}"></a>`);
      expect(d.message).not.toContain(DAPI);
    }
    // Flow findings carry the trace from the cell that read the secret.
    for (const i of [1, 2, 3, 4, 5]) expect(related(only(nb, i))[0]).toBe(`${nb.uriOf(0)} 0:5 Cell 1: source of the secret`);
    expect(only(nb, 7).message).toContain(DAPI_MASKED);
    expect(only(nb, 7).data).toMatchObject({ ruleId: 'NBG401', output: 0 });
  });

  it('editing a cell re-analyses it: the finding goes away (empty list published) and comes back', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)']);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    // Type `len(` ... `)` around the argument: two incremental edits in one change.
    await nb.editCell(1, [
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, newText: 'len(' },
      { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } }, newText: ')' },
    ]);
    expect(nb.cell(1).text).toBe('print(len(pw))');
    await nb.waitForCodes(1, []);
    expect(nb.diagnostics(1)).toEqual([]);
    // Edit the source cell instead: a blank line above moves the flow's source, and the sink's trace follows.
    await nb.editCell(1, 'print(pw)');
    await nb.waitForCodes(1, ['NBG101@0:0']);
    await nb.editCell(0, `\n${READ_SECRET}`);
    await nb.client.waitFor(() => related(only(nb, 1))[0] === `${nb.uriOf(0)} 1:5 Cell 1: source of the secret`);
  });

  it('a finding that moves within a cell is republished at its new range', async () => {
    const nb = await openNotebook(server(), [`token = "${DAPI}"`]);
    await nb.waitForCodes(0, ['NBG201@0:8']);
    await nb.editCell(0, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\n\n' }]);
    await nb.waitForCodes(0, ['NBG201@2:8']);
  });

  it('an inserted cell is analysed: its own finding, and it can make a later cell clean', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)']);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    const sink = nb.uriOf(1);
    const inserted = await nb.insertCell(2, 'import logging\nlogging.info("password %s", pw)');
    await nb.waitForCodes(2, ['NBG101@1:0']);
    expect(related(only(nb, 2))[0]).toBe(`${nb.uriOf(0)} 0:5 Cell 1: source of the secret`);
    // A cell that overwrites the secret, inserted before the print: the print cell gets an empty list.
    await nb.insertCell(1, 'pw = "not-a-secret"');
    expect(nb.uriOf(2)).toBe(sink);
    await nb.waitForAll([[], [], [], []]);
    expect(nb.client.diagnostics.get(sink)).toEqual([]);
    expect(nb.client.diagnostics.get(inserted)).toEqual([]);
  });

  it('deleting cells: the deleted cell is cleared, and cells that depended on it are updated', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'pw = "not-a-secret"', 'print(pw)', `token = "${DAPI}"`]);
    await nb.waitForCodes(3, ['NBG201@0:8']);
    // Deleting the cell that overwrote the secret: the print leaks again.
    await nb.deleteCell(1);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    // Deleting a cell that had a finding publishes an empty list for its URI.
    const tokenCell = nb.uriOf(2);
    await nb.deleteCell(2);
    await nb.client.waitFor(() => nb.client.diagnostics.get(tokenCell)?.length === 0);
    // Deleting the source: the sink cell becomes clean.
    await nb.deleteCell(0);
    await nb.waitForCodes(0, []);
  });

  it('moving a cell re-analyses the notebook in the new order by itself', async () => {
    const nb = await openNotebook(server(), ['print(pw)', READ_SECRET]);
    expect((await nb.client.scanDocument(nb.uri)).findings).toEqual([]);
    await nb.moveCell(1, 0);
    // Had the server taken the move in, this scan would see the new order.
    const after = await nb.client.scanDocument(nb.uri);
    expect(after.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@1:1']);
    await nb.waitForCodes(1, ['NBG101@0:0'], 1_000);
  });

  it('moving a cell as a delete and an insert in two changes re-analyses the notebook', async () => {
    const nb = await openNotebook(server(), ['print(pw)', READ_SECRET]);
    expect((await nb.client.scanDocument(nb.uri)).findings).toEqual([]);
    await nb.moveCell(1, 0, { split: true });
    const after = await nb.client.scanDocument(nb.uri);
    expect(after.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@1:1']);
    await nb.waitForCodes(1, ['NBG101@0:0'], 1_000);
  });

  it('after a move, the next change analyses the moved cells with their text, in the new order', async () => {
    // Never executed: document order. The print comes first, so nothing leaks yet.
    const nb = await openNotebook(server(), ['print(pw)', READ_SECRET, 'x = 1']);
    const print = nb.uriOf(0);
    const source = nb.uriOf(1);
    const other = nb.uriOf(2);
    /** Typing in the third cell: moves combined with edits elsewhere. */
    let n = 1;
    const touch = () => nb.editCell(nb.indexOf(other), `x = ${++n}`);
    expect((await nb.client.scanDocument(nb.uri)).findings).toEqual([]);
    // Move the secret above the print: the server only gets the cell URIs back.
    await nb.moveCell(1, 0);
    expect(nb.uriOf(1)).toBe(print);
    await touch();
    await nb.waitForCodes(1, ['NBG101@0:0']);
    expect(related(only(nb, 1))).toEqual([`${source} 0:5 Cell 1: source of the secret`, `${source} 0:0 Cell 1: carried by pw`, `${print} 0:0 Cell 2: reaches the sink here`]);
    // Move the print to the end, past another cell: still leaks, reported in the print's cell.
    await nb.moveCell(1, 2);
    expect(nb.uriOf(2)).toBe(print);
    await touch();
    const last = await nb.client.scanDocument(nb.uri);
    expect(last.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@2:1']);
    // Back to the top: clean again, an empty list for the print cell.
    await nb.moveCell(2, 0);
    await touch();
    await nb.client.waitFor(() => nb.client.diagnostics.get(print)?.length === 0);
    expect((await nb.client.scanDocument(nb.uri)).findings).toEqual([]);
  });

  it('closing the notebook clears every cell that had diagnostics and forgets the notebook', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)', `token = "${DAPI}"`]);
    await nb.waitForAll([[], ['NBG101@0:0'], ['NBG201@0:8']]);
    await nb.close();
    await nb.client.waitFor(() => nb.client.diagnostics.get(nb.uriOf(1))?.length === 0 && nb.client.diagnostics.get(nb.uriOf(2))?.length === 0);
    const after = await nb.client.scanDocument(nb.uri);
    expect(after.files).toBe(0);
    expect(after.errors).toEqual([{ file: nb.uri, message: 'not an open notebook or .py file' }]);
    // Opened again (same URIs): analysed afresh.
    const again = await openNotebook(nb.client, [READ_SECRET, 'print(pw)'], nb.uri);
    await again.client.waitFor(() => again.codes(1).length === 1);
    expect(again.codes(1)).toEqual(['NBG101@0:0']);
  });

  it('two open notebooks are separate: a secret in one does not leak into the other', async () => {
    const a = await openNotebook(server(), [READ_SECRET]);
    const b = await openNotebook(server(), ['print(pw)', `token = "${DAPI}"`]);
    await b.waitForCodes(1, ['NBG201@0:8']);
    expect(b.codes(0)).toEqual([]);
    await a.insertCell(1, 'print(pw)');
    await a.waitForCodes(1, ['NBG101@0:0']);
    const scanB = await b.client.scanDocument(b.uri);
    expect(scanB.findings.map((f) => f.ruleId)).toEqual(['NBG201']);
  });

  it('the interactive window (notebookType "interactive") is analysed like a notebook', async () => {
    const nb = await openNotebook(server(), [READ_SECRET], 'vscode-interactive:/Interactive-1.interactive', 'interactive');
    await nb.insertCell(1, 'pw');
    await nb.waitForCodes(1, ['NBG101@0:0']);
    await nb.close();
    await nb.waitForCodes(1, []);
  });
});

describe('closing with an analysis still pending (debounce)', () => {
  const server = sharedServer({ settings: { debounceMs: 300 } });

  it('an edit just before closing never publishes after the close', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)']);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    // This edit would move the finding; its analysis waits for the debounce.
    await nb.editCell(1, 'x = 1\nprint(pw)');
    await nb.close();
    await nb.waitForCodes(1, []);
    // Well past the debounce: still nothing published for the closed notebook's cells.
    await new Promise((resolveWait) => setTimeout(resolveWait, 600));
    expect(nb.client.diagnostics.get(nb.uriOf(1))).toEqual([]);
    const last = nb.client.publications.filter((p) => p.uri === nb.uriOf(1)).at(-1);
    expect(last?.diagnostics).toEqual([]);
  });

  it('edits are debounced: a burst of typing is analysed once, at the end', async () => {
    const nb = await openNotebook(server(), [READ_SECRET, 'x = 1']);
    expect((await nb.client.scanDocument(nb.uri)).findings).toEqual([]);
    const before = nb.client.publications.length;
    await nb.editCell(1, 'print(pw)');
    await nb.editCell(1, 'print(pw[-4:])');
    await nb.editCell(1, 'print(pw)  # again');
    await nb.waitForCodes(1, ['NBG101@0:0']);
    // One publication for the burst (none for the intermediate clean state).
    expect(nb.client.publications.slice(before).filter((p) => p.uri === nb.uriOf(1))).toHaveLength(1);
  });
});
