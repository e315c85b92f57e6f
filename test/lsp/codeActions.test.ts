// Quick fixes: for each rule, request the code actions of a published diagnostic, apply the
// returned WorkspaceEdit to the cell (or .py file) the way the editor would, send the result as
// a didChange, and check that the finding is gone. NBG401's fixes are client commands: the test
// plays the client (clear or redact the outputs, send them again).

import { describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import type { LspTestClient } from './lspClient';
import { DAPI, READ_SECRET, sharedServer } from './harness';
import { applyTextEdits, editsByUri, openNotebook, openTextDocument, type TestNotebook } from './notebookMessages';

/** The code actions of cell `i`'s diagnostic with this rule id. */
async function actionsFor(nb: TestNotebook, i: number, ruleId: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
  await nb.client.waitFor(() => (nb.diagnostics(i) ?? []).some((d) => d.code === ruleId), 10_000, () => `no ${ruleId} in cell ${i}: ${JSON.stringify(nb.allCodes())}`);
  const diagnostic = nb.diagnostics(i)!.find((d) => d.code === ruleId)!;
  const actions = await nb.client.codeActions(nb.uriOf(i), [diagnostic]);
  for (const a of actions) {
    expect(a.kind).toBe('quickfix');
    expect(a.diagnostics).toEqual([diagnostic]);
  }
  return { diagnostic, actions };
}

function pick(actions: CodeAction[], title: RegExp): CodeAction {
  const action = actions.find((a) => title.test(a.title));
  if (!action) throw new Error(`no action ${title} in ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

/** Applies the action's edit to the notebook, then checks that cell `i` no longer has `ruleId`. */
async function applyAndExpectGone(nb: TestNotebook, i: number, action: CodeAction, ruleId: string): Promise<void> {
  expect(action.edit).toBeDefined();
  // Every edit targets the cell that holds the diagnostic.
  expect([...editsByUri(action.edit!).keys()]).toEqual([nb.uriOf(i)]);
  await nb.applyEdit(action.edit!);
  // The server publishes before it answers a scan: the diagnostics are those of the edited text.
  await nb.client.scanDocument(nb.uri);
  const left = (nb.diagnostics(i) ?? []).filter((d) => d.code === ruleId);
  expect(left, `${ruleId} still in cell ${i} after "${action.title}": ${JSON.stringify(nb.cell(i).text)}`).toEqual([]);
}

/** Runs the fix titled `title` for `ruleId` in cell `i` and returns the cell's new text. */
async function fix(nb: TestNotebook, i: number, ruleId: string, title: RegExp): Promise<string> {
  const { actions } = await actionsFor(nb, i, ruleId);
  await applyAndExpectGone(nb, i, pick(actions, title), ruleId);
  return nb.cell(i).text;
}

describe('quick fixes in a notebook', () => {
  const server = sharedServer();

  describe('NBG201 hardcoded credential', () => {
    it('no dbutils in the notebook: os.environ["NAME"], with `import os` added at the top of the cell', async () => {
      const nb = await openNotebook(server(), ['x = 1', `token = "${DAPI}"`]);
      const { actions } = await actionsFor(nb, 1, 'NBG201');
      const action = pick(actions, /environment/);
      expect(action.title).toBe('Read it from the environment: os.environ["TOKEN"]');
      expect(action.isPreferred).toBe(true);
      await applyAndExpectGone(nb, 1, action, 'NBG201');
      expect(nb.cell(1).text).toBe('import os\ntoken = os.environ["TOKEN"]');
      await nb.waitForCodes(1, []);
    });

    it('os already imported in another cell: no second import; names become ENV_NAMES', async () => {
      const nb = await openNotebook(server(), ['import os', `apiKey = "${DAPI}"`]);
      expect(await fix(nb, 1, 'NBG201', /environment/)).toBe('apiKey = os.environ["API_KEY"]');
    });

    it('the notebook uses dbutils: dbutils.secrets.get(scope="<nbguard.secretScope>", key="...")', async () => {
      const nb = await openNotebook(server(), ['files = dbutils.fs.ls("/mnt")', `db_password = "${DAPI}"`, 'conf = {"password": "Tr0ub4dor&3xyzzy"}']);
      expect(await fix(nb, 1, 'NBG201', /secret scope/)).toBe('db_password = dbutils.secrets.get(scope="my-scope", key="db-password")');
      expect(await fix(nb, 2, 'NBG201', /secret scope/)).toBe('conf = {"password": dbutils.secrets.get(scope="my-scope", key="password")}');
      // The secret read from the scope is not hardcoded: the cells are clean.
      await nb.waitForAll([[], [], []]);
    });

    it('the notebook reads its secrets from a scope: the fix uses that scope (the one it uses most), the key named after the variable', async () => {
      const nb = await openNotebook(server(), [
        'user = dbutils.secrets.get("prod", "db-user")\nhost = dbutils.secrets.get(scope="prod", key="db-host")\nx = dbutils.secrets.get("dev", "x")',
        `warehouseToken = "${DAPI}"`,
      ]);
      const { actions } = await actionsFor(nb, 1, 'NBG201');
      expect(actions.map((a) => a.title)).toEqual([
        'Read it from the secret scope: dbutils.secrets.get(scope="prod", key="warehouse-token")',
        'Read it from the environment: os.environ["WAREHOUSE_TOKEN"]',
        'Suppress NBG201 on this line (# nbguard: ignore)',
      ]);
      expect(actions[0].isPreferred).toBe(true);
      await applyAndExpectGone(nb, 1, actions[0], 'NBG201');
      expect(nb.cell(1).text).toBe('warehouseToken = dbutils.secrets.get(scope="prod", key="warehouse-token")');
    });

    it('a Colab notebook: its secrets panel (userdata.get), with the import added once', async () => {
      const nb = await openNotebook(server(), ['from google.colab import drive\ndrive.mount("/content/drive")', `HF_TOKEN = "hf_${'Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z'}"`]);
      const { actions } = await actionsFor(nb, 1, 'NBG201');
      expect(actions.map((a) => a.title).slice(0, 2)).toEqual(["Read it from Colab's secrets: userdata.get(\"HF_TOKEN\")", 'Read it from the environment: os.environ["HF_TOKEN"]']);
      await applyAndExpectGone(nb, 1, actions[0], 'NBG201');
      expect(nb.cell(1).text).toBe('from google.colab import userdata\nHF_TOKEN = userdata.get("HF_TOKEN")');
    });

    it('a Kaggle notebook: its secrets add-on (UserSecretsClient)', async () => {
      const nb = await openNotebook(server(), ['from kaggle_secrets import UserSecretsClient\nsecrets = UserSecretsClient()', `wandb_key = "${DAPI}"`]);
      expect(await fix(nb, 1, 'NBG201', /Kaggle/)).toBe('wandb_key = UserSecretsClient().get_secret("WANDB_KEY")');
    });

    it('only the literal is replaced: the rest of the line stays', async () => {
      const nb = await openNotebook(server(), [`headers = {"Authorization": "Bearer x"}; token = "${DAPI}"  # pasted`]);
      expect(await fix(nb, 0, 'NBG201', /environment/)).toBe('import os\nheaders = {"Authorization": "Bearer x"}; token = os.environ["TOKEN"]  # pasted');
    });

    it('a cell that starts with a cell magic keeps the magic on its first line', async () => {
      const nb = await openNotebook(server(), [`%%time\ntoken = "${DAPI}"`]);
      const text = await fix(nb, 0, 'NBG201', /environment/);
      expect(text.split('\n')[0]).toBe('%%time');
    });
  });

  describe('NBG102 secret passed to a child notebook', () => {
    it('the arguments get the scope and key names instead of the secret', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'result = dbutils.notebook.run("./child", 60, {"password": pw})']);
      const { actions } = await actionsFor(nb, 1, 'NBG102');
      const action = pick(actions, /scope/);
      expect(action.title).toBe('Pass the secret scope "db" and key "password" instead of the secret (read it in the child with dbutils.secrets.get)');
      await applyAndExpectGone(nb, 1, action, 'NBG102');
      expect(nb.cell(1).text).toBe('result = dbutils.notebook.run("./child", 60, {"password_scope": "db", "password_key": "password"})');
      await nb.waitForCodes(1, []);
    });

    it('a secret passed through a variable and returned with dbutils.notebook.exit', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'conn = pw', 'dbutils.notebook.exit(conn)']);
      expect(await fix(nb, 2, 'NBG102', /scope/)).toBe('dbutils.notebook.exit({"scope": "db", "key": "password"})');
    });
  });

  describe('NBG101 secret in the output', () => {
    it('mask: the printed value shows only its last 4 characters', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'print(pw)']);
      const { actions } = await actionsFor(nb, 1, 'NBG101');
      expect(actions.map((a) => a.title)).toEqual(['Mask pw: show only its last 4 characters', 'Remove this statement', 'Suppress NBG101 on this line (# nbguard: ignore)']);
      await applyAndExpectGone(nb, 1, actions[0], 'NBG101');
      expect(nb.cell(1).text).toBe('print(pw[-4:])');
    });

    it('mask the variable that reaches the sink, through other cells', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'url = f"jdbc:postgresql://h/db?password={pw}"', 'import logging\nlogging.info("connecting to %s", url)']);
      expect(await fix(nb, 2, 'NBG101', /^Mask/)).toBe('import logging\nlogging.info("connecting to %s", url[-4:])');
    });

    it('mask the echo of a cell\'s last expression', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'x = 1\npw']);
      expect(await fix(nb, 1, 'NBG101', /^Mask/)).toBe('x = 1\npw[-4:]');
    });

    it('remove the statement: its lines go, the rest of the cell stays', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'x = 1\nprint(\n    pw,\n)\ny = 2']);
      expect(await fix(nb, 1, 'NBG101', /^Remove/)).toBe('x = 1\ny = 2');
    });

    it('remove the statement at the end of a cell, and the only statement of a block (leaves `pass`)', async () => {
      const nb = await openNotebook(server(), [READ_SECRET, 'x = 1\nprint(pw)', 'if pw:\n    print(pw)\nz = 3']);
      expect(await fix(nb, 1, 'NBG101', /^Remove/)).toBe('x = 1');
      expect(await fix(nb, 2, 'NBG101', /^Remove/)).toBe('if pw:\n    pass\nz = 3');
    });

    it('remove the statement: other statements on the same line stay', async () => {
      const nb = await openNotebook(server(), ['x = 1', `${READ_SECRET}; print(pw)`]);
      const text = await fix(nb, 1, 'NBG101', /^Remove/);
      expect(text).toContain(READ_SECRET);
    });
  });

  describe('suppression comment, for every rule', () => {
    const cases: [string, string[], number][] = [
      ['NBG101', [READ_SECRET, 'print(pw)'], 1],
      ['NBG102', [READ_SECRET, 'dbutils.jobs.taskValues.set("pw", pw)'], 1],
      ['NBG103', [READ_SECRET, 'dbutils.fs.put("/tmp/pw.txt", pw, True)'], 1],
      ['NBG104', [READ_SECRET, 'import requests\nr = requests.get("https://api.example.com/?key=" + pw)'], 1],
      ['NBG201', [`token = "${DAPI}"`], 0],
      ['NBG301', [READ_SECRET, 'import os\nos.environ["DB_PASSWORD"] = pw'], 1],
    ];
    it.each(cases)('%s: `# nbguard: ignore[ID]` at the end of the reported line', async (ruleId, cells, i) => {
      const nb = await openNotebook(server(), cells);
      const { diagnostic, actions } = await actionsFor(nb, i, ruleId);
      const action = pick(actions, /^Suppress/);
      expect(action.title).toBe(`Suppress ${ruleId} on this line (# nbguard: ignore)`);
      await applyAndExpectGone(nb, i, action, ruleId);
      const line = nb.cell(i).text.split('\n')[diagnostic.range.start.line];
      expect(line).toMatch(new RegExp(`\\S  # nbguard: ignore\\[${ruleId}\\]$`));
      await nb.waitForCodes(i, []);
    });

    it('NBG401: the comment on the cell\'s first line silences the stored-output finding', async () => {
      const nb = await openNotebook(server(), ['result = run_job()\nshow(result)']);
      await nb.setOutputs(0, [{ output_type: 'stream', name: 'stdout', text: `token ${DAPI}\n` }]);
      expect(await fix(nb, 0, 'NBG401', /^Suppress/)).toBe('result = run_job()  # nbguard: ignore[NBG401]\nshow(result)');
    });

    it('a second rule on the same line is added to the existing marker', async () => {
      const nb = await openNotebook(server(), [`print("${DAPI}")`]);
      await nb.waitForCodes(0, ['NBG101@0:0', 'NBG201@0:6']);
      expect(await fix(nb, 0, 'NBG201', /^Suppress/)).toBe(`print("${DAPI}")  # nbguard: ignore[NBG201]`);
      await nb.waitForCodes(0, ['NBG101@0:0']);
      expect(await fix(nb, 0, 'NBG101', /^Suppress/)).toBe(`print("${DAPI}")  # nbguard: ignore[NBG201, NBG101]`);
      await nb.waitForCodes(0, []);
    });

    it('a multi-line string literal (a PEM key) can be silenced', async () => {
      const nb = await openNotebook(server(), ['x = 1\nkey = """-----BEGIN RSA PRIVATE KEY-----\nz+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN\n-----END RSA PRIVATE KEY-----"""\ny = 2']);
      await fix(nb, 0, 'NBG201', /^Suppress/);
    });
  });

  describe('NBG401 secret in stored outputs: client commands', () => {
    const outputs = (text: string) => [
      { output_type: 'stream', name: 'stdout', text: 'connecting...\n' },
      { output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/plain': text } },
    ];

    async function leakyOutputs(client: LspTestClient): Promise<{ nb: TestNotebook; actions: CodeAction[] }> {
      const nb = await openNotebook(client, ['x = 1', { text: 'cfg = load_config()\ncfg', executionCount: 3 }]);
      await nb.setOutputs(1, outputs(`{'host': 'adb-1.azuredatabricks.net', 'token': '${DAPI}'}`));
      await nb.waitForCodes(1, ['NBG401@0:0']);
      expect(nb.diagnostics(1)![0].data).toMatchObject({ output: 1 });
      const { actions } = await actionsFor(nb, 1, 'NBG401');
      return { nb, actions };
    }

    it('offers nbguard.clearCellOutputs and nbguard.redactCellOutputs for the cell; clearing removes the finding', async () => {
      const { nb, actions } = await leakyOutputs(server());
      expect(actions.map((a) => [a.title, a.command?.command, a.command?.arguments])).toEqual([
        ["Clear this cell's outputs", 'nbguard.clearCellOutputs', [nb.uriOf(1)]],
        ["Redact the credentials in this cell's outputs", 'nbguard.redactCellOutputs', [nb.uriOf(1)]],
        ['Suppress NBG401 on this line (# nbguard: ignore)', undefined, undefined],
      ]);
      expect(actions[0].isPreferred).toBe(true);
      // What the client does for nbguard.clearCellOutputs: the outputs are gone, and it says so.
      await nb.setOutputs(1, []);
      await nb.waitForCodes(1, []);
    });

    it('redacting: the client sends the output texts to nbguard/redact and stores the answer', async () => {
      const { nb, actions } = await leakyOutputs(server());
      const action = pick(actions, /^Redact/);
      expect(action.command?.arguments).toEqual([nb.uriOf(1)]);
      const original = `{'host': 'adb-1.azuredatabricks.net', 'token': '${DAPI}'}`;
      const { texts } = await nb.client.redact(['connecting...\n', original]);
      expect(texts[0]).toBe('connecting...\n');
      expect(texts[1]).not.toContain(DAPI);
      expect(texts[1]).toContain('adb-1.azuredatabricks.net');
      await nb.setOutputs(1, [
        { output_type: 'stream', name: 'stdout', text: texts[0] },
        { output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/plain': texts[1] } },
      ]);
      await nb.waitForCodes(1, []);
    });

    it('no output commands for a .py file', async () => {
      const doc = await openTextDocument(server(), 'file:///ws/fix/outputs.py', `token = "${DAPI}"\n`);
      await doc.waitForCodes(['NBG201@0:8']);
      const actions = await server().codeActions(doc.uri);
      expect(actions.some((a) => a.command)).toBe(false);
    });
  });

  describe('what the server answers for other diagnostics', () => {
    it('diagnostics from other tools get no nbguard fixes; an unknown document gets none', async () => {
      const nb = await openNotebook(server(), [`token = "${DAPI}"`]);
      await nb.waitForCodes(0, ['NBG201@0:8']);
      const [mine] = nb.diagnostics(0)!;
      const foreign: Diagnostic = { ...mine, source: 'pylance', data: undefined };
      expect(await nb.client.codeActions(nb.uriOf(0), [foreign])).toEqual([]);
      expect(await nb.client.codeActions('vscode-notebook-cell:/ws/unknown.ipynb#W0', [mine])).toEqual([]);
      // Two diagnostics asked at once: the fixes of both.
      const both = await nb.client.codeActions(nb.uriOf(0), [mine, foreign]);
      expect(both.map((a) => a.title)).toEqual(['Read it from the environment: os.environ["TOKEN"]', 'Suppress NBG201 on this line (# nbguard: ignore)']);
    });
  });
});

describe('quick fixes with nbguard.secretScope set', () => {
  const server = sharedServer({ settings: { secretScope: 'team-secrets' } });

  it('the dbutils fix uses the configured scope', async () => {
    const nb = await openNotebook(server(), ['dbutils.widgets.text("env", "dev")', `token = "${DAPI}"`]);
    const { actions } = await actionsFor(nb, 1, 'NBG201');
    const action = pick(actions, /secret scope/);
    expect(action.title).toBe('Read it from the secret scope: dbutils.secrets.get(scope="team-secrets", key="token")');
    await applyAndExpectGone(nb, 1, action, 'NBG201');
    expect(nb.cell(1).text).toBe('token = dbutils.secrets.get(scope="team-secrets", key="token")');
  });

  it('an NBG102 secret read without a scope name falls back to the configured scope', async () => {
    const nb = await openNotebook(server(), ['import os\napi_token = os.environ["API_TOKEN"]', 'dbutils.notebook.run("./child", 0, {"token": api_token})']);
    expect(await fix(nb, 1, 'NBG102', /scope/)).toBe('dbutils.notebook.run("./child", 0, {"token_scope": "team-secrets", "token_key": "api-token"})');
  });
});

describe('quick fixes in .py files', () => {
  const server = sharedServer({ settings: { secretScope: 'py-scope' } });

  it('a Databricks source file always gets the dbutils fix, at the line of the file', async () => {
    const text = `# Databricks notebook source\nimport json\n\n# COMMAND ----------\n\ntoken = "${DAPI}"\n`;
    const doc = await openTextDocument(server(), 'file:///ws/fix/db.py', text);
    await doc.waitForCodes(['NBG201@5:8']);
    const actions = await server().codeActions(doc.uri);
    const action = pick(actions, /secret scope/);
    expect([...editsByUri(action.edit!).keys()]).toEqual([doc.uri]);
    await doc.applyEdit(action.edit!);
    expect(doc.text.split('\n')[5]).toBe('token = dbutils.secrets.get(scope="py-scope", key="token")');
    await doc.waitForCodes([]);
  });

  it('a # %% script without dbutils gets os.environ and `import os` at the top of the file', async () => {
    const text = `# %%\nimport json\n\n# %%\nsecret_key = "${DAPI}"\nprint(secret_key[-4:])\n`;
    const doc = await openTextDocument(server(), 'file:///ws/fix/percent.py', text);
    await doc.waitForCodes(['NBG201@4:13']);
    const action = pick(await server().codeActions(doc.uri), /environment/);
    await doc.applyEdit(action.edit!);
    expect(doc.text).toBe(`import os\n# %%\nimport json\n\n# %%\nsecret_key = os.environ["SECRET_KEY"]\nprint(secret_key[-4:])\n`);
    await doc.waitForCodes([]);
  });

  it('NBG101 in a Databricks file: mask, then suppress another one', async () => {
    const text = `# Databricks notebook source\n${READ_SECRET}\n\n# COMMAND ----------\n\nprint(pw)\nprint(f"pw={pw}")\n`;
    const doc = await openTextDocument(server(), 'file:///ws/fix/leak.py', text);
    await doc.waitForCodes(['NBG101@5:0', 'NBG101@6:0']);
    const [first, second] = server().diagnostics.get(doc.uri)!;
    await doc.applyEdit(pick(await server().codeActions(doc.uri, [first]), /^Mask/).edit!);
    expect(doc.text.split('\n')[5]).toBe('print(pw[-4:])');
    await doc.waitForCodes(['NBG101@6:0']);
    expect(second.range.start.line).toBe(6);
    const [current] = server().diagnostics.get(doc.uri)!;
    await doc.applyEdit(pick(await server().codeActions(doc.uri, [current]), /^Suppress/).edit!);
    expect(doc.text.split('\n')[6]).toBe('print(f"pw={pw}")  # nbguard: ignore[NBG101]');
    await doc.waitForCodes([]);
  });

  it('the edits apply cleanly to the text the server had (no stale ranges)', async () => {
    const text = `x = 1\ntoken = "${DAPI}"\n`;
    const doc = await openTextDocument(server(), 'file:///ws/fix/plain.py', text);
    await doc.waitForCodes(['NBG201@1:8']);
    const [d] = server().diagnostics.get(doc.uri)!;
    expect(applyTextEdits(text, [{ range: d.range, newText: '<here>' }])).toBe('x = 1\ntoken = <here>\n');
  });
});
