// nbguard.* settings as the server reads them (workspace/configuration, reloaded on
// workspace/didChangeConfiguration): per-rule severity and "off", the analysis order, extra rule
// folders, and the workspace-trust rule: rule folders inside an untrusted workspace are not loaded.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LspTestClient } from './lspClient';
import { DAPI, READ_SECRET, startServer } from './harness';
import { ACME_RULES } from '../helpers';
import { openNotebook, openTextDocument } from './notebookMessages';

const ERROR = 1;
const WARNING = 2;
const INFO = 3;

let client: LspTestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

function reconfigure(c: LspTestClient, settings: Record<string, unknown>): Promise<void> {
  return c.configure(settings);
}

/** A secret sent in a URL (NBG104, a warning) and printed (NBG101, an error), in one cell. */
const LEAKS = [READ_SECRET, 'import requests\nrequests.get("https://api.example.com/?key=" + pw)\nprint(pw)'];

describe('nbguard.rules', () => {
  it('"off" drops a rule\'s diagnostics; a new setting brings them back with another severity', async () => {
    client = await startServer({ settings: { rules: { NBG104: 'off' } } });
    const nb = await openNotebook(client, LEAKS);
    await nb.waitForCodes(1, ['NBG101@2:0']);
    await reconfigure(client, { rules: { NBG104: 'error', NBG101: 'warning' } });
    await nb.waitForCodes(1, ['NBG104@1:0', 'NBG101@2:0']);
    expect(nb.diagnostics(1)!.map((d) => d.severity)).toEqual([ERROR, WARNING]);
    // Rule ids in any case; "info".
    await reconfigure(client, { rules: { nbg101: 'info', nbg104: 'off' } });
    await nb.client.waitFor(() => JSON.stringify(nb.diagnostics(1)?.map((d) => [d.code, d.severity])) === JSON.stringify([['NBG101', INFO]]));
    // Back to the defaults.
    await reconfigure(client, {});
    await nb.client.waitFor(() => JSON.stringify(nb.diagnostics(1)?.map((d) => [d.code, d.severity])) === JSON.stringify([['NBG104', WARNING], ['NBG101', ERROR]]));
  });

  it('a setting change reaches open .py files too, and a rule turned off clears a cell completely', async () => {
    client = await startServer();
    const doc = await openTextDocument(client, 'file:///ws/settings/a.py', `token = "${DAPI}"\nprint(len(token))\n`);
    const nb = await openNotebook(client, [`key = "${DAPI}"`]);
    await doc.waitForCodes(['NBG201@0:8']);
    await nb.waitForCodes(0, ['NBG201@0:6']);
    await reconfigure(client, { rules: { NBG201: 'off' } });
    await doc.waitForCodes([]);
    await nb.waitForCodes(0, []);
    await reconfigure(client, { rules: { NBG201: 'warning' } });
    await doc.waitForCodes(['NBG201@0:8']);
    expect(client.diagnostics.get(doc.uri)![0].severity).toBe(WARNING);
  });

  it('unknown values are ignored: the default severity stays', async () => {
    client = await startServer({ settings: { rules: { NBG101: 'fatal', NBG201: 42 } } });
    const nb = await openNotebook(client, [READ_SECRET, `print(pw)\nt = "${DAPI}"`]);
    await nb.waitForCodes(1, ['NBG101@0:0', 'NBG201@1:4']);
    expect(nb.diagnostics(1)!.map((d) => d.severity)).toEqual([ERROR, ERROR]);
  });

  it('a client without workspace/configuration: settings from initializationOptions, then from didChangeConfiguration', async () => {
    client = await startServer({ pullConfiguration: false, initializationOptions: { settings: { rules: { NBG201: 'off' }, debounceMs: 0 } } });
    const nb = await openNotebook(client, [READ_SECRET, `print(pw)\nt = "${DAPI}"`]);
    await nb.waitForCodes(1, ['NBG101@0:0']);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nbguard: { rules: { NBG101: 'off' }, debounceMs: 0 } } });
    await nb.waitForCodes(1, ['NBG201@1:4']);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule folders and workspace trust

/** Only the user rule finds the flow on line 2; the token on line 3 is found by the built-in rules (a witness). */
const ACME_NOTEBOOK = [
  'import acme_audit\nfrom acme_vault import read_secret',
  `token = read_secret("svc")\nclient = acme_audit.Client()\nclient.send(f"token {token}")\nbackup = "${DAPI}"`,
];
const WITH_USER_RULE = ['NBG101@2:0', 'NBG201@3:9'];
const BUILT_IN_ONLY = ['NBG201@3:9'];

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(): { folder: string; rulesDir: string } {
  const folder = mkdtempSync(join(tmpdir(), 'nbguard-ws-'));
  tempDirs.push(folder);
  const rulesDir = join(folder, '.nbguard', 'rules');
  mkdirSync(rulesDir, { recursive: true });
  writeFileSync(join(rulesDir, 'acme.yaml'), ACME_RULES);
  return { folder, rulesDir };
}

describe('rule folders and workspace trust', () => {
  it('a trusted workspace loads its rule folder: the user sink fires', async () => {
    const { folder } = workspace();
    client = await startServer({ workspaceFolder: folder, initializationOptions: { workspaceTrusted: true }, settings: { rulesFolders: ['.nbguard/rules'] } });
    const loaded = await client.waitForLog(/rules loaded/);
    expect(loaded).toContain(join(folder, '.nbguard', 'rules'));
    const nb = await openNotebook(client, ACME_NOTEBOOK);
    await nb.waitForCodes(1, WITH_USER_RULE);
    expect(nb.diagnostics(1)![0].message).toBe('Secret from read_secret("svc") reaches client.send()');
  });

  it('an untrusted workspace does not load a rule folder inside it (relative or absolute path)', async () => {
    const { folder, rulesDir } = workspace();
    client = await startServer({ workspaceFolder: folder, initializationOptions: { workspaceTrusted: false }, settings: { rulesFolders: ['.nbguard/rules', rulesDir] } });
    const skipped = await client.waitForLog(/untrusted workspace, not loading rule folders/);
    expect(skipped).toContain(rulesDir);
    const nb = await openNotebook(client, ACME_NOTEBOOK);
    // The rules were reloaded before the notebook opened (start() waits for it): this is final.
    await nb.waitForCodes(1, BUILT_IN_ONLY);
    expect((await client.scanDocument(nb.uri)).findings.map((f) => f.ruleId)).toEqual(['NBG201']);
  });

  it('an untrusted workspace still loads a rule folder outside it (the user\'s own)', async () => {
    const { folder } = workspace();
    const outside = workspace().rulesDir;
    client = await startServer({ workspaceFolder: folder, initializationOptions: { workspaceTrusted: false }, settings: { rulesFolders: [outside] } });
    const nb = await openNotebook(client, ACME_NOTEBOOK);
    await nb.waitForCodes(1, WITH_USER_RULE);
  });

  it('granting trust later (nbguard/trust) loads the folder and re-analyses open notebooks; revoking unloads it', async () => {
    const { folder } = workspace();
    client = await startServer({ workspaceFolder: folder, initializationOptions: { workspaceTrusted: false }, settings: { rulesFolders: ['.nbguard/rules'] } });
    const nb = await openNotebook(client, ACME_NOTEBOOK);
    await nb.waitForCodes(1, BUILT_IN_ONLY);
    await client.connection.sendNotification('nbguard/trust', { trusted: true });
    await nb.waitForCodes(1, WITH_USER_RULE);
    await client.connection.sendNotification('nbguard/trust', { trusted: false });
    await nb.waitForCodes(1, BUILT_IN_ONLY);
  });

  it('adding the rule folder in the settings later loads it (trusted)', async () => {
    const { folder, rulesDir } = workspace();
    client = await startServer({ workspaceFolder: folder });
    const nb = await openNotebook(client, ACME_NOTEBOOK);
    await nb.waitForCodes(1, BUILT_IN_ONLY);
    await reconfigure(client, { rulesFolders: [rulesDir] });
    await nb.waitForCodes(1, WITH_USER_RULE);
  });

  it('a broken rule file: an error message naming it, and the built-in rules keep working', async () => {
    const { folder, rulesDir } = workspace();
    writeFileSync(join(rulesDir, 'broken.yaml'), 'sinks:\n  - id: oops\n    rule: NBG999\n    calls: [x.y]\n');
    client = new LspTestClient({ workspaceFolder: folder, settings: { rulesFolders: [rulesDir] } });
    await client.initialize();
    await client.waitForLog(/could not be loaded/);
    const error = client.logs.find((l) => /could not be loaded/.test(l.message));
    expect(error?.type).toBe(ERROR);
    expect(error?.message).toContain('broken.yaml');
    const nb = await openNotebook(client, ACME_NOTEBOOK);
    await nb.waitForCodes(1, BUILT_IN_ONLY);
    // Still answering.
    expect(await client.redact(['x'])).toEqual({ texts: ['x'] });
  });
});
