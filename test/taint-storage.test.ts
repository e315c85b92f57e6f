// NBG103 secret-to-storage: dbutils.fs.put, file objects from open(), pathlib writes,
// json/pickle dumps and MLflow params and tags.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';

describe('NBG103 dbutils.fs.put', () => {
  it('reports putting a secret into DBFS', async () => {
    expect(await cells(SECRET, 'dbutils.fs.put("/tmp/x.txt", pw, True)')).toEqual(['NBG103@1:1']);
    expect(await cells(SECRET, 'dbutils.fs.put("/tmp/x.txt", contents=f"password={pw}", overwrite=True)')).toEqual(['NBG103@1:1']);
  });

  it('does not report clean contents', async () => {
    expect(await cells(SECRET, 'dbutils.fs.put("/tmp/x.txt", "hello", True)')).toEqual([]);
  });

  it('has an error severity and says the secret is written to storage', async () => {
    const [f] = await cellFindings(SECRET, 'dbutils.fs.put("/tmp/x.txt", pw, True)');
    expect(f).toMatchObject({ ruleId: 'NBG103', severity: 'error', cell: 1, line: 1, column: 1 });
    expect(f.message).toMatch(/written to storage by dbutils\.fs\.put\(\)/);
  });
});

describe('NBG103 files', () => {
  it('reports open(...).write through a variable', async () => {
    expect(await cells(SECRET, 'f = open("/tmp/x", "w")\nf.write(pw)\nf.close()')).toEqual(['NBG103@1:2']);
  });

  it('reports f.write inside with open(...) as f, at the write (column of the indented call)', async () => {
    const fs = await cellFindings(SECRET, 'with open("/tmp/x", "w") as fh:\n    fh.write(f"password={pw}\\n")');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG103@1:2:5']);
  });

  it('reports a write to a file opened together with another in one with statement', async () => {
    expect(await cells(SECRET, 'with open("/dbfs/tmp/creds.txt", "a") as out, open("/tmp/x") as src:\n    out.write(pw)')).toEqual(['NBG103@1:2']);
  });

  it('reports a write inside a helper function at the write, in the defining cell', async () => {
    expect(await cells('def save(path, value):\n    with open(path, "w") as f:\n        f.write(value)', SECRET, 'save("/tmp/x", pw)')).toEqual([
      'NBG103@0:3',
    ]);
  });

  it('reports writelines', async () => {
    expect(await cells(SECRET, 'with open("/tmp/x", "w") as fh:\n    fh.writelines([pw, "\\n"])')).toEqual(['NBG103@1:2']);
  });

  it('does not report clean or sanitized writes', async () => {
    expect(await cells(SECRET, 'with open("/tmp/x", "w") as fh:\n    fh.write("hello")\n    fh.write(str(len(pw)))')).toEqual([]);
  });

  it('reports Path.write_text and write_bytes', async () => {
    expect(await cells(SECRET, 'from pathlib import Path\nPath("/tmp/x").write_text(pw)')).toEqual(['NBG103@1:2']);
    expect(await cells(SECRET, 'from pathlib import Path\np = Path("/tmp") / "x"\np.write_bytes(pw.encode())')).toEqual(['NBG103@1:3']);
  });

  it('does not report Path.write_text of clean text', async () => {
    expect(await cells(SECRET, 'from pathlib import Path\nPath("/tmp/x").write_text("scope=db")')).toEqual([]);
  });

  it('reports json.dump and pickle.dump of an object holding the secret', async () => {
    expect(await cells(SECRET, 'import json\nwith open("c.json", "w") as f:\n    json.dump({"password": pw}, f)')).toEqual(['NBG103@1:3']);
    expect(await cells(SECRET, 'import pickle\ncfg = {"password": pw}\nwith open("c.pkl", "wb") as f:\n    pickle.dump(cfg, f)')).toEqual([
      'NBG103@1:4',
    ]);
  });

  it('does not report json.dump of clean data', async () => {
    expect(await cells(SECRET, 'import json\nwith open("c.json", "w") as f:\n    json.dump({"scope": "db"}, f)')).toEqual([]);
  });
});

describe('NBG103 MLflow', () => {
  it('reports log_param, log_params, set_tag', async () => {
    expect(await cells(SECRET, 'import mlflow\nmlflow.log_param("db_password", pw)')).toEqual(['NBG103@1:2']);
    expect(await cells(SECRET, 'import mlflow\nmlflow.log_params({"user": "u", "pw": pw})')).toEqual(['NBG103@1:2']);
    expect(await cells(SECRET, 'import mlflow\nmlflow.set_tag("token", pw)')).toEqual(['NBG103@1:2']);
  });

  it('does not report clean parameters', async () => {
    expect(await cells(SECRET, 'import mlflow\nmlflow.log_param("lr", 0.1)\nmlflow.log_params({"epochs": 3})')).toEqual([]);
  });
});
