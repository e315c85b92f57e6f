// NBG102 secret-to-workflow: dbutils.notebook.run arguments, dbutils.notebook.exit,
// dbutils.jobs.taskValues.set and widget defaults. Passing scope/key names is the right way.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells, cellsWithSeverity } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';

describe('NBG102 dbutils.notebook.run', () => {
  it('reports a secret in the arguments map (positional and keyword)', async () => {
    expect(await cells(SECRET, 'dbutils.notebook.run("./child", 60, {"password": pw})')).toEqual(['NBG102@1:1']);
    expect(await cells(SECRET, 'dbutils.notebook.run("./child", 60, arguments={"pw": pw})')).toEqual(['NBG102@1:1']);
  });

  it('reports a secret read inline in the arguments', async () => {
    expect(await cells('dbutils.notebook.run("child", 60, {"token": dbutils.secrets.get("s", "k")})')).toEqual(['NBG102@0:1']);
  });

  it('reports an arguments dict built in a variable', async () => {
    expect(await cells(SECRET, 'args = {"password": pw}\ndbutils.notebook.run("child", 60, args)')).toEqual(['NBG102@1:2']);
  });

  it('does not report passing the scope and key names', async () => {
    expect(await cells(SECRET, 'dbutils.notebook.run("./child", 60, {"scope": "db", "key": "password"})')).toEqual([]);
  });

  it('reports a multi-line call at the line where the call starts, with an error severity', async () => {
    const code = 'result = dbutils.notebook.run(\n    "./child",\n    600,\n    {"password": dbutils.secrets.get("s", "k")},\n)';
    expect(await cellsWithSeverity(code)).toEqual(['NBG102@0:1/error']);
    const [f] = await cellFindings(code);
    expect(f.message).toContain('dbutils.notebook.run()');
    expect(f.message).toMatch(/scope and key names/);
    expect(f.trace?.[0]).toMatchObject({ cell: 0, line: 4, message: 'source' });
    expect(f.trace?.at(-1)).toMatchObject({ cell: 0, line: 1, column: f.column, message: 'sink' });
  });
});

describe('NBG102 dbutils.notebook.exit', () => {
  it('reports exiting with a secret, also inside json.dumps', async () => {
    expect(await cells(SECRET, 'dbutils.notebook.exit(pw)')).toEqual(['NBG102@1:1']);
    expect(await cells(SECRET, 'import json\ndbutils.notebook.exit(json.dumps({"pw": pw}))')).toEqual(['NBG102@1:2']);
  });

  it('does not report exiting with a clean value or with names', async () => {
    expect(await cells(SECRET, 'dbutils.notebook.exit("ok")')).toEqual([]);
    expect(await cells(SECRET, 'import json\ndbutils.notebook.exit(json.dumps({"scope": "db", "key": "password"}))')).toEqual([]);
  });
});

describe('NBG102 dbutils.jobs.taskValues.set', () => {
  it('reports value=secret and a positional secret value', async () => {
    expect(await cells(SECRET, 'dbutils.jobs.taskValues.set(key="pw", value=pw)')).toEqual(['NBG102@1:1']);
    expect(await cells(SECRET, 'dbutils.jobs.taskValues.set("pw", pw)')).toEqual(['NBG102@1:1']);
  });

  it('does not report a task value that is a scope or key name', async () => {
    expect(await cells(SECRET, 'dbutils.jobs.taskValues.set(key="secret_scope", value="db")')).toEqual([]);
    expect(await cells(SECRET, 'dbutils.jobs.taskValues.set(key="secret_key_name", value="password")')).toEqual([]);
  });
});

describe('NBG102 widget defaults', () => {
  it('reports a secret as the default of widgets.text (positional and keyword) and widgets.dropdown', async () => {
    expect(await cells(SECRET, 'dbutils.widgets.text("pw", pw)')).toEqual(['NBG102@1:1']);
    expect(await cells(SECRET, 'dbutils.widgets.text("pw", defaultValue=pw, label="Password")')).toEqual(['NBG102@1:1']);
    expect(await cells(SECRET, 'dbutils.widgets.dropdown("env", pw, [pw, "x"])')).toEqual(['NBG102@1:1']);
  });

  it('does not report widgets with clean defaults', async () => {
    expect(await cells(SECRET, 'dbutils.widgets.text("scope", "db")')).toEqual([]);
    expect(await cells(SECRET, 'dbutils.widgets.combobox("env", "dev", ["dev", "prod"])')).toEqual([]);
  });
});
