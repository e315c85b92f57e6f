// End to end in a real VS Code: the packaged client starts the language server, the example
// Jupyter notebook and Databricks source notebook get their diagnostics on the right cells and
// lines, a quick fix edits a cell, and the scan command reports the notebook's findings; the
// time from typing in a 500-cell notebook to its squiggle is recorded.
// The workspace is a copy of examples/ (scripts/e2e.mjs, test/e2e/runTestElectron.ts), so the
// edits never reach the repository. The tests run in order and share the open documents.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, describeDiagnostics, look, nbguardDiagnostics, outDir, screenshot, sleep, waitFor, waitForDiagnostics } from './helpers';

import type { ScanResult } from '../../../server/src/lsp/protocol';

const EXTENSION_ID = 'nbguard.nbguard';
const MARKERS_VIEW = 'workbench.panel.markers.view';

// What `nbguard scan examples` reports, as 0-based editor positions (`RULE@line:character`).
// Notebook: per cell index (markdown cells count, as in VS Code).
const NOTEBOOK_EXPECTED: Record<number, string[]> = {
  0: [],
  1: [],
  2: [],
  3: [],
  4: ['NBG101@7:4'],
  5: ['NBG101@1:4'],
  6: ['NBG201@1:20', 'NBG201@2:24', 'NBG301@4:0'],
  7: ['NBG104@1:7'],
  8: ['NBG102@3:0'],
  9: [],
};
// Databricks source notebook: lines of the file (line 34 has `# nbguard: ignore[NBG101]`).
const PY_EXPECTED = ['NBG301@13:0', 'NBG301@14:0', 'NBG201@24:19', 'NBG103@30:0', 'NBG102@31:0', 'NBG104@32:0'];

const metrics: Record<string, unknown> = {};

/** The latency test's notebook size and edits (each edit adds a leak to the last cell, then takes it back). */
const CELLS = 500;
const EDITS = 15;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (a copy of examples/) is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range);
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

describe('nbguard in VS Code', function () {
  let notebook: vscode.NotebookDocument;
  let py: vscode.TextDocument;
  const cellUri = (i: number) => notebook.cellAt(i).document.uri;

  before(async function () {
    // Nothing from an earlier window: no editors, no notifications.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(() => {
    const dir = outDir();
    if (dir) writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  });

  it('activates and starts the language server', async function () {
    const ext = vscode.extensions.getExtension<{ client: { isRunning(): boolean } }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    metrics.vscodeVersion = vscode.version;
    metrics.appName = vscode.env.appName;
    metrics.activeBeforeTest = ext.isActive;
    const started = performance.now();
    const api = await ext.activate();
    // activate(): create the output channel, start the client, spawn the server, initialize.
    metrics.activateMs = Math.round(performance.now() - started);
    assert.ok(api.client.isRunning(), 'the language client is running');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['nbguard.scanNotebook', 'nbguard.scanWorkspace', 'nbguard.clearLeakingOutputs']) assert.ok(commands.includes(id), `command ${id} is registered`);
  });

  it('opens the Jupyter notebook and shows the diagnostics on the right cells', async function () {
    const opened = performance.now();
    notebook = await vscode.workspace.openNotebookDocument(workspaceFile('jdbc_ingest.ipynb'));
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    assert.equal(notebook.cellCount, 10);
    await vscode.window.showNotebookDocument(notebook);
    await waitForDiagnostics(cellUri(4), NOTEBOOK_EXPECTED[4]);
    metrics.notebookFirstDiagnosticsMs = Math.round(performance.now() - opened);
    for (const [cell, expected] of Object.entries(NOTEBOOK_EXPECTED)) await waitForDiagnostics(cellUri(Number(cell)), expected, 10_000);

    const [leak] = nbguardDiagnostics(cellUri(4));
    assert.equal(leak.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(leak.message, 'Secret from dbutils.secrets.get("db", "password") reaches print() (from Cell 3 via Cell 4)');
    assert.equal(notebook.cellAt(4).document.getText(leak.range), 'print(db_url)');
    // The trace: the source in cell 2, the f-string in cell 3, the sink in cell 4 (Cells 3, 4 and 5 on screen).
    const related = (leak.relatedInformation ?? []).map((r) => ({ cell: notebook.getCells().findIndex((c) => c.document.uri.toString() === r.location.uri.toString()), line: r.location.range.start.line, message: r.message }));
    assert.deepEqual(related[0], { cell: 2, line: 1, message: 'Cell 3: source of the secret' });
    assert.ok(related.some((r) => r.cell === 3 && r.line === 1), `the trace goes through cell 3: ${JSON.stringify(related)}`);
    assert.deepEqual(related.at(-1), { cell: 4, line: 7, message: 'Cell 5: reaches the sink here' });

    const hardcoded = nbguardDiagnostics(cellUri(6)).filter((d) => codeOf(d) === 'NBG201');
    assert.deepEqual(hardcoded.map((d) => notebook.cellAt(6).document.getText(d.range)), ['"AKIAUJZDEGXDNCF32EPF"', '"2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kj"']);
    assert.ok(!hardcoded.some((d) => d.message.includes('AKIAUJZDEGXDNCF32EPF')), 'messages mask the credential');

    // What the user sees in cells 4 to 6: red squiggles in the cell editors, coloured Python.
    const editor = vscode.window.activeNotebookEditor;
    assert.ok(editor, 'the notebook editor is active');
    editor.revealRange(new vscode.NotebookRange(4, 7), vscode.NotebookEditorRevealType.AtTop);
    const squiggles = await look('notebook-squiggles', '.notebook-editor .cell-editor-container .squiggly-error');
    if (squiggles) assert.ok(squiggles.count >= 3, `error squiggles drawn in the visible cells (cells 4, 5, 6 hold 5 errors): ${squiggles.count}`);
    // Tokens of a Python grammar get classes beyond the default mtk1 (keywords, strings).
    const coloured = await look('notebook-colours', '.notebook-editor .cell-editor-container .view-line span[class^="mtk"]:not(.mtk1)');
    if (coloured) assert.ok(coloured.count > 10, `syntax colouring in the cells: ${coloured.count} coloured tokens`);
    await screenshot('notebook-squiggles');

    // Hovering the print in cell 4 shows the message, naming the cells the secret came through.
    await vscode.window.showTextDocument(notebook.cellAt(4).document, { selection: new vscode.Selection(leak.range.start, leak.range.start) });
    await vscode.commands.executeCommand('editor.action.showHover');
    const hover = await look('hover', '.monaco-hover', { waitForText: 'reaches print()' });
    if (hover) assert.ok(hover.texts.some((t) => t.includes('reaches print() (from Cell 3 via Cell 4)') && t.includes('NBG101')), `the hover: ${JSON.stringify(hover.texts)}`);
    await screenshot('hover-trace', { waitForSelector: '.monaco-hover' });
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  it('fixes the hardcoded AWS key in cell 6 with the dbutils.secrets.get quick fix', async function () {
    const cell = notebook.cellAt(6);
    const target = nbguardDiagnostics(cell.document.uri).find((d) => codeOf(d) === 'NBG201' && d.range.start.line === 1);
    assert.ok(target, 'the NBG201 on line 2 of cell 6');

    // The quick-fix menu as a user sees it (Ctrl+.), for the screenshot.
    await vscode.window.showTextDocument(cell.document, { selection: new vscode.Selection(target.range.start, target.range.start) });
    await sleep(300);
    await vscode.commands.executeCommand('editor.action.quickFix');
    const menu = await look('quick-fix-menu', '.action-widget .monaco-list-row', { waitForText: 'secret scope' });
    if (menu) {
      const has = (title: string) => menu.texts.some((t) => t.includes(title));
      assert.ok(has('Read it from the secret scope: dbutils.secrets.get(scope="db", key="aws-access-key-id")'), `the quick-fix menu: ${JSON.stringify(menu.texts)}`);
      assert.ok(has('Suppress NBG201 on this line (# nbguard: ignore)'), `the quick-fix menu: ${JSON.stringify(menu.texts)}`);
    }
    await screenshot('quick-fix', { waitForSelector: '.action-widget' });
    await vscode.commands.executeCommand('hideCodeActionWidget');

    const actions = await codeActions(cell.document.uri, target.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Suppress NBG201 on this line (# nbguard: ignore)'), `a suppression fix among ${JSON.stringify(titles)}`);
    const fix = actions.find((a) => a.title.startsWith('Read it from the secret scope'));
    assert.ok(fix?.edit, `the dbutils.secrets.get fix among ${JSON.stringify(titles)}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');

    // The scope the notebook already reads from (cell 2: dbutils.secrets.get("db", "password")).
    assert.equal(cell.document.lineAt(1).text, 'aws_access_key_id = dbutils.secrets.get(scope="db", key="aws-access-key-id")');
    await waitForDiagnostics(cell.document.uri, ['NBG201@2:24', 'NBG301@4:0']);
    // The other cells keep theirs.
    await waitForDiagnostics(cellUri(4), NOTEBOOK_EXPECTED[4], 5_000);
  });

  it('opens the Databricks .py notebook and shows its diagnostics at the right lines', async function () {
    py = await vscode.workspace.openTextDocument(workspaceFile('databricks_vendor_landing.py'));
    assert.equal(py.languageId, 'python');
    const editor = await vscode.window.showTextDocument(py, { preview: false });
    await waitForDiagnostics(py.uri, PY_EXPECTED);
    const storage = nbguardDiagnostics(py.uri).find((d) => codeOf(d) === 'NBG103');
    assert.ok(storage);
    assert.equal(py.getText(storage.range), 'dbutils.fs.put("dbfs:/tmp/vendor_settings.json", str(settings), overwrite=True)');
    const lines = (storage.relatedInformation ?? []).map((r) => `${r.location.uri.toString() === py.uri.toString() ? 'same file' : r.location.uri.toString()} ${r.location.range.start.line}`);
    assert.deepEqual(lines, ['same file 12', 'same file 12', 'same file 29', 'same file 30'], 'source on line 13, then settings on line 30, sink on line 31');

    editor.revealRange(new vscode.Range(10, 0, 34, 0), vscode.TextEditorRevealType.AtTop);
    await sleep(500);
    await screenshot('databricks-py');
    // The Problems panel: as a tree with each finding's trace, then as a table of all findings.
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const rows = await look('problems-rows', '.markers-panel .monaco-list-row', { waitForText: 'Cell 3: source of the secret' });
    if (rows) assert.ok(rows.texts.some((t) => t.includes('Cell 3: source of the secret')), `the Problems panel names the cells of the trace: ${JSON.stringify(rows.texts.slice(0, 12))}`);
    await screenshot('problems-trace', { waitForSelector: '.markers-panel .monaco-list-row' });
    await vscode.commands.executeCommand(`workbench.actions.table.${MARKERS_VIEW}.viewAsTable`);
    await sleep(1000);
    await screenshot('problems-panel', { waitForSelector: '.markers-panel .monaco-table-tr' });
    await vscode.commands.executeCommand(`workbench.actions.table.${MARKERS_VIEW}.viewAsTree`);
  });

  it('fixes the hardcoded Databricks token in the .py file', async function () {
    const target = nbguardDiagnostics(py.uri).find((d) => codeOf(d) === 'NBG201');
    assert.ok(target);
    const fix = (await codeActions(py.uri, target.range)).find((a) => a.title.startsWith('Read it from the secret scope'));
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const text = py.lineAt(24).text;
    assert.equal(text, 'DATABRICKS_TOKEN = dbutils.secrets.get(scope="vendor", key="databricks-token")');
    metrics.pyQuickFixLine = text;
    await waitForDiagnostics(py.uri, PY_EXPECTED.filter((d) => !d.startsWith('NBG201')));
  });

  it('runs "nbguard: Scan Notebook" on the notebook', async function () {
    await vscode.window.showNotebookDocument(notebook);
    await waitFor('the notebook editor to be active', () => (vscode.window.activeNotebookEditor?.notebook === notebook ? true : undefined), 10_000);
    let result: ScanResult | undefined;
    let done = false;
    const pending = Promise.resolve(vscode.commands.executeCommand<ScanResult | undefined>('nbguard.scanNotebook')).then((r) => {
      result = r;
      done = true;
    });
    await screenshot('scan-notebook', { waitForSelector: '.notification-toast', waitForText: 'nbguard:' });
    // The command returns its result without waiting for its notification to be answered.
    await waitFor('nbguard.scanNotebook to return', () => (done ? true : undefined), 20_000);
    await pending;
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.ok(result, 'the command returns the scan result');
    assert.equal(result.files, 1);
    assert.deepEqual(result.errors, []);
    // The notebook as edited: one NBG201 fewer than on disk. Cells are numbered as the editor and
    // the CLI number them (the markdown cell first counts); lines and columns are 1-based in the cell.
    const found = result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`).sort();
    assert.deepEqual(found, ['NBG101@4:8:5', 'NBG101@5:2:5', 'NBG102@8:4:1', 'NBG104@7:2:8', 'NBG201@6:3:25', 'NBG301@6:5:1']);
    metrics.scanNotebookCells = result.findings.map((f) => `${f.ruleId}@cell ${f.cell}`);
  });

  it('"nbguard: Clear Leaking Outputs" clears nothing in a notebook without stored credentials', async function () {
    await vscode.window.showNotebookDocument(notebook);
    const cleared = await vscode.commands.executeCommand<number>('nbguard.clearLeakingOutputs');
    assert.equal(cleared, 0);
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.deepEqual(describeDiagnostics(cellUri(6)), ['NBG201@2:24', 'NBG301@4:0'].sort());
  });

  it('records type-to-squiggle latency on a 500-cell notebook', async function () {
    this.timeout(180_000);
    // A secret read in the first cell, data work between, a leak in cell 250, an empty last cell.
    const sources: string[] = [];
    for (let i = 0; i < CELLS; i++) {
      const code = i === 0 ? 'token = dbutils.secrets.get("scope", "token")' : i === 250 ? 'print(token)' : `df_${i} = spark.read.table("t_${i % 7}").filter("amount > ${i}")\ndisplay(df_${i}.limit(10))`;
      sources.push(i === CELLS - 1 ? 'x = 1' : code);
    }
    const debounceMs = vscode.workspace.getConfiguration('nbguard').get<number>('debounceMs');
    const serialized = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: sources.map((source) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })) };
    const uri = workspaceFile('big-500.ipynb');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(serialized)));
    const opened = performance.now();
    const big = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(big);
    await waitForDiagnostics(big.cellAt(250).document.uri, ['NBG101@0:0'], 60_000);
    const openMs = Math.round(performance.now() - opened);
    const last = big.cellAt(CELLS - 1).document;
    // The notebook renders the cells in view: bring the last one in, then put the cursor in it.
    const nbEditor = await vscode.window.showNotebookDocument(big, { selections: [new vscode.NotebookRange(CELLS - 1, CELLS)] });
    nbEditor.revealRange(new vscode.NotebookRange(CELLS - 1, CELLS), vscode.NotebookEditorRevealType.InCenter);
    const editor = await waitFor('the last cell\'s editor', async () => {
      try {
        return await vscode.window.showTextDocument(last, { selection: new vscode.Selection(0, 5, 0, 5) });
      } catch {
        return undefined; // not rendered yet
      }
    }, 20_000);
    /** Edits the last cell EDITS times back and forth; each time from the edit to its diagnostics, ms. */
    const measure = async (): Promise<{ p50Ms: number; p95Ms: number; maxMs: number; edits: number }> => {
    const toSquiggle: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // Type a leak at the end of the last cell, then take it back: each change to its diagnostics.
      for (const [text, expected] of [['\nprint(token)', ['NBG101@1:0']], [undefined, []]] as const) {
        const started = performance.now();
        if (text) await vscode.commands.executeCommand('type', { text });
        else await vscode.commands.executeCommand('undo');
        // Polled, not awaited as onDidChangeDiagnostics: VS Code delays that event by 50 ms
        // (a debounce in its extension host), after the diagnostics are already set.
        const deadline = performance.now() + 10_000;
        while (describeDiagnostics(last.uri).join() !== expected.join()) {
          if (performance.now() > deadline) throw new Error(`no diagnostics [${expected.join()}] on the last cell 10 s after an edit`);
          await new Promise((resolve) => setImmediate(resolve));
        }
        toSquiggle.push(performance.now() - started);
      }
    }
    assert.equal(editor.document.getText(), 'x = 1');
    const sorted = [...toSquiggle].sort((a, b) => a - b);
    const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
    return { edits: toSquiggle.length, p50Ms: pct(50), p95Ms: pct(95), maxMs: pct(100) };
    };
    const withDebounce = await measure();
    // The same with no pause after typing: what the server, the protocol and VS Code take.
    const config = vscode.workspace.getConfiguration('nbguard');
    await config.update('debounceMs', 0, vscode.ConfigurationTarget.Workspace);
    await sleep(500);
    const noDebounce = await measure();
    await config.update('debounceMs', undefined, vscode.ConfigurationTarget.Workspace);
    metrics.typeToSquiggle = { cells: CELLS, debounceMs, openToFirstDiagnosticsMs: openMs, ...withDebounce, debounce0: noDebounce };
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});