// The analysis order of a synced notebook: executionSummary.executionOrder, else the cell
// metadata's execution_count (what VS Code sends for a notebook loaded from disk), else document
// order; updated when a cell is run, edited (VS Code resets its execution_count), inserted,
// deleted or moved.
//
// The notebook used: a secret is read, printed, overwritten and printed again. Which print leaks
// depends only on the order the cells ran in:
//   document order (0,1,2,3)  -> the print in cell 1 leaks
//   order 0,3,2,1             -> the print in cell 3 leaks

import { describe, expect, it } from 'vitest';
import { READ_SECRET, sharedServer } from './harness';
import { openNotebook } from './notebookMessages';

const CELLS = [READ_SECRET, 'print(pw)', 'pw = "not-a-secret"', 'print(pw)'];
const LEAK_AT_1 = [[], ['NBG101@0:0'], [], []];
const LEAK_AT_3 = [[], [], [], ['NBG101@0:0']];
/** Execution counts that run the cells in the order 0, 3, 2, 1. */
const COUNTS_0321 = [1, 4, 3, 2];

describe('analysis order', () => {
  const server = sharedServer();

  it('never-executed cells are analysed in document order', async () => {
    const nb = await openNotebook(server(), CELLS);
    await nb.waitForAll(LEAK_AT_1);
  });

  it('a notebook loaded from disk: the order comes from the cell metadata execution_count (no executionSummary on didOpen)', async () => {
    const nb = await openNotebook(
      server(),
      CELLS.map((text, i) => ({ text, executionCount: COUNTS_0321[i] })),
    );
    await nb.waitForAll(LEAK_AT_3);
    expect(nb.allCodes()[1]).toBeUndefined(); // never leaked, so never published
  });

  it('executionSummary.executionOrder wins over the metadata execution_count', async () => {
    // Metadata says document order, the execution summaries say 0, 3, 2, 1.
    const nb = await openNotebook(
      server(),
      CELLS.map((text, i) => ({ text, executionCount: i + 1, executionOrder: COUNTS_0321[i] })),
    );
    await nb.waitForAll(LEAK_AT_3);
  });

  it('running cells (a data change with a new executionSummary) re-orders the analysis', async () => {
    const nb = await openNotebook(server(), CELLS);
    await nb.waitForAll(LEAK_AT_1);
    await nb.executeCell(0, 1);
    await nb.executeCell(3, 2);
    // Cells 0 and 3 ran; 1 and 2 never did and come after them: both prints leak now.
    await nb.waitForAll([[], ['NBG101@0:0'], [], ['NBG101@0:0']]);
    await nb.executeCell(2, 3);
    await nb.executeCell(1, 4);
    await nb.waitForAll(LEAK_AT_3);
    // Running the cells again in document order puts the leak back in cell 1.
    for (let i = 0; i < 4; i++) await nb.executeCell(i, 5 + i);
    await nb.waitForAll(LEAK_AT_1);
  });

  it('a notebook loaded from disk, then a cell run in the kernel: the new summary beats the old metadata', async () => {
    const nb = await openNotebook(
      server(),
      CELLS.map((text, i) => ({ text, executionCount: COUNTS_0321[i] })),
    );
    await nb.waitForAll(LEAK_AT_3);
    // Run the overwriting cell again: it is now the last one run, so both prints see the secret.
    await nb.executeCell(2, 5);
    await nb.waitForAll([[], ['NBG101@0:0'], [], ['NBG101@0:0']]);
  });

  it('editing a cell resets its metadata execution_count: it now counts as never run and goes last', async () => {
    const nb = await openNotebook(
      server(),
      CELLS.map((text, i) => ({ text, executionCount: COUNTS_0321[i] })),
    );
    await nb.waitForAll(LEAK_AT_3);
    // Edit the overwriting cell (same meaning, new text): VS Code sets its execution_count to null.
    await nb.editCell(2, 'pw = "still-not-a-secret"');
    expect(nb.cell(2).metadata).toEqual({ execution_count: null });
    // Order is now 0, 3, 1, then 2: both prints run before the overwrite.
    await nb.waitForAll([[], ['NBG101@0:0'], [], ['NBG101@0:0']]);
  });

  it('an inserted cell has never run: it is analysed after the executed ones, wherever it stands', async () => {
    const ran = await openNotebook(server(), [{ text: READ_SECRET, executionOrder: 1 }]);
    // A print inserted above the cell that read the secret: it runs after it, so it leaks.
    const print = await ran.insertCell(0, 'print(pw)');
    await ran.waitForCodes(0, ['NBG101@0:0']);
    expect(ran.uriOf(0)).toBe(print);
    // The same insertion in a notebook that never ran: document order, the print comes first.
    const fresh = await openNotebook(server(), [READ_SECRET]);
    await fresh.insertCell(0, 'print(pw)');
    expect((await fresh.client.scanDocument(fresh.uri)).findings).toEqual([]);
  });

  it('deleting a cell removes it from the order', async () => {
    const nb = await openNotebook(
      server(),
      [READ_SECRET, 'pw = "not-a-secret"', 'print(pw)'].map((text, i) => ({ text, executionOrder: i + 1 })),
    );
    expect((await nb.client.scanDocument(nb.uri)).findings).toEqual([]);
    await nb.deleteCell(1);
    await nb.waitForCodes(1, ['NBG101@0:0']);
  });

  it('moving an executed cell keeps its execution order (and its text)', async () => {
    // Run in the order 0, 3, 2, 1: cell 3 leaks. Moving cells around does not change how they ran.
    const nb = await openNotebook(
      server(),
      CELLS.map((text, i) => ({ text, executionOrder: COUNTS_0321[i] })),
    );
    await nb.waitForAll(LEAK_AT_3);
    const leaking = nb.uriOf(3);
    await nb.moveCell(3, 0);
    await nb.moveCell(3, 1);
    // In document order the last print would leak now; in execution order it is still the first one.
    expect(nb.cells.map((c) => c.text)).toEqual(['print(pw)', 'pw = "not-a-secret"', READ_SECRET, 'print(pw)']);
    // Type in the overwriting cell too (it keeps its executionSummary): edits and moves together.
    await nb.editCell(1, 'pw = "not-a-secret!"');
    const result = await nb.client.scanDocument(nb.uri);
    expect(nb.indexOf(leaking)).toBe(0);
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@0:1']);
    expect(nb.client.codes(leaking)).toEqual(['NBG101@0:0']);
  });

  it('analysisOrder "document" ignores execution counts', async () => {
    const client = server();
    const nb = await openNotebook(
      client,
      CELLS.map((text, i) => ({ text, executionOrder: COUNTS_0321[i] })),
    );
    await nb.waitForAll(LEAK_AT_3);
    try {
      await client.configure({ analysisOrder: 'document' });
      await nb.waitForAll(LEAK_AT_1);
    } finally {
      await client.configure({});
    }
    await nb.waitForAll(LEAK_AT_3);
  });
});
