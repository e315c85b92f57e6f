// NBG104 secret-to-network-or-sql: secrets in URLs (requests, httpx, urllib) and in SQL text
// (spark.sql). Headers, auth, request bodies and JDBC options are the intended use.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells, cellsWithSeverity } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';

describe('NBG104 URLs', () => {
  it('reports requests.get with the secret in an f-string URL, as a warning', async () => {
    expect(await cellsWithSeverity(SECRET, 'import requests\nr = requests.get(f"https://api.example.com/v1?token={pw}")')).toEqual([
      'NBG104@1:2/warning',
    ]);
  });

  it('reports the URL built in a variable and passed as url=', async () => {
    expect(await cells(SECRET, 'import requests\nurl = f"https://api/x?token={pw}"\nr = requests.get(url)')).toEqual(['NBG104@1:3']);
    expect(await cells(SECRET, 'import requests\nr = requests.get(url=f"https://api/x?token={pw}")')).toEqual(['NBG104@1:2']);
  });

  it('reports a secret in params=', async () => {
    expect(await cells(SECRET, 'import requests\nr = requests.get("https://api.example.com/v1", params={"api_key": pw})')).toEqual(['NBG104@1:2']);
  });

  it('reports requests.Session().get and requests.request', async () => {
    expect(await cells(SECRET, 'import requests\ns = requests.Session()\nr = s.get(f"https://api/x?token={pw}")')).toEqual(['NBG104@1:3']);
    expect(await cells(SECRET, 'import requests\nr = requests.request("GET", "https://api/x?key=" + pw)')).toEqual(['NBG104@1:2']);
  });

  it('reports httpx.get and httpx.Client().get params', async () => {
    expect(await cells(SECRET, 'import httpx\nr = httpx.get(f"https://api.example.com/?key={pw}")')).toEqual(['NBG104@1:2']);
    expect(await cells(SECRET, 'import httpx\nwith httpx.Client() as client:\n    r = client.get("https://api/x", params={"key": pw})')).toEqual([
      'NBG104@1:3',
    ]);
  });

  it('reports urllib.request.urlopen, imported either way', async () => {
    expect(await cells(SECRET, 'import urllib.request\nr = urllib.request.urlopen("https://x.example.com/?t=" + pw)')).toEqual(['NBG104@1:2']);
    expect(await cells(SECRET, 'from urllib.request import urlopen\nr = urlopen("https://x.example.com/?t=" + pw)')).toEqual(['NBG104@1:2']);
  });

  it('reports the call, not the assignment: the column of requests.get', async () => {
    const [f] = await cellFindings(SECRET, 'import requests\nr = requests.get(f"https://api.example.com/v1?token={pw}")');
    expect(f).toMatchObject({ ruleId: 'NBG104', cell: 1, line: 2, column: 5 });
    expect(f.message).toMatch(/URL of requests\.get\(\)/);
  });

  it.each([
    ['headers=', 'r = requests.get("https://api.example.com/v1", headers={"Authorization": f"Bearer {pw}"})'],
    ['auth=', 'r = requests.get("https://api.example.com/v1", auth=("user", pw))'],
    ['json=', 'r = requests.post("https://api.example.com/v1", json={"password": pw})'],
    ['data=', 'r = requests.post("https://api/login", data={"username": "u", "password": pw})'],
    ['a clean URL', 'r = requests.get("https://api.example.com/v1")'],
  ])('does not report a secret in %s', async (_name, code) => {
    expect(await cells(SECRET, `import requests\n${code}`)).toEqual([]);
  });

  it('does not report a request authenticated by headers, nor printing its response', async () => {
    expect(
      await cells(SECRET, 'import requests\nr = requests.get("https://api.example.com/v1", headers={"Authorization": f"Bearer {pw}"})\nprint(r.json())'),
    ).toEqual([]);
  });

  it('does not report a urllib Request whose secret is in a header', async () => {
    expect(await cells(SECRET, 'import urllib.request\nreq = urllib.request.Request("https://api/x", headers={"X-Key": pw})\nr = urllib.request.urlopen(req)')).toEqual([]);
  });
});

describe('NBG104 SQL text', () => {
  it('reports spark.sql with the secret in an f-string, at the call', async () => {
    const fs = await cellFindings(SECRET, 'df = spark.sql(f"SELECT * FROM t WHERE pw = \'{pw}\'")');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}/${f.severity}`)).toEqual(['NBG104@1:1:6/warning']);
    expect(fs[0].message).toMatch(/SQL text given to spark\.sql\(\), which query history keeps/);
  });

  it('reports SQL built with + and with str.format', async () => {
    expect(await cells(SECRET, 'spark.sql("SELECT * FROM t WHERE k = \'" + pw + "\'")')).toEqual(['NBG104@1:1']);
    expect(await cells(SECRET, 'spark.sql("SELECT * FROM t WHERE k = \'{}\'".format(pw))')).toEqual(['NBG104@1:1']);
  });

  it('does not report clean SQL, also with a clean f-string', async () => {
    expect(await cells(SECRET, 'df = spark.sql("SELECT * FROM t")\ndisplay(df)')).toEqual([]);
    expect(await cells(SECRET, 'tbl = "users"\ndf = spark.sql(f"SELECT * FROM {tbl}")')).toEqual([]);
  });

  it('does not report a parameterised query whose secret is passed in args=', async () => {
    expect(await cells(SECRET, 'df = spark.sql("SELECT * FROM users WHERE k = :k", args={"k": pw})')).toEqual([]);
  });
});

describe('credential-consuming calls return clean objects', () => {
  it('a JDBC DataFrame read with .option("password", pw) is not the secret', async () => {
    expect(
      await cells(
        SECRET,
        'df = spark.read.format("jdbc").option("url", "jdbc:postgresql://h/db").option("user", "u").option("password", pw).option("dbtable", "t").load()\ndisplay(df)',
      ),
    ).toEqual([]);
  });

  it('a JDBC DataFrame read with a connection URL holding the password is not the secret', async () => {
    expect(
      await cells(SECRET, 'jdbc_url = f"jdbc:postgresql://h/db?user=u&password={pw}"\ndf = spark.read.format("jdbc").option("url", jdbc_url).load()\ndisplay(df)'),
    ).toEqual([]);
  });

  it('options(**opts) with a password field is a credential use', async () => {
    expect(await cells(SECRET, 'opts = {"user": "u", "password": pw}\ndf = spark.read.format("jdbc").options(**opts).load()\ndisplay(df)')).toEqual(
      [],
    );
  });

  it('a DataFrame from spark.read.jdbc(..., properties={"password": pw}) is not the secret', async () => {
    expect(await cells(SECRET, 'df = spark.read.jdbc("jdbc:postgresql://h/db", "t", properties={"user": "u", "password": pw})\ndisplay(df)')).toEqual(
      [],
    );
  });

  it('create_engine(..., password=pw) returns an engine that may be printed or echoed', async () => {
    expect(await cells(SECRET, 'from sqlalchemy import create_engine\nengine = create_engine("postgresql://h/db", password=pw)\nprint(engine)')).toEqual([]);
    expect(await cells(SECRET, 'from sqlalchemy import create_engine\nengine = create_engine("postgresql://h/db", password=pw)\nengine')).toEqual([]);
  });

  it('clients and connections made with token=/api_key=/password= are not the secret', async () => {
    expect(await cells(SECRET, 'import psycopg2\nconn = psycopg2.connect(host="h", user="u", password=pw)\nconn')).toEqual([]);
    expect(await cells(SECRET, 'from openai import OpenAI\nclient = OpenAI(api_key=pw)\nprint(client.models.list())')).toEqual([]);
    expect(await cells(SECRET, 'from databricks.sdk import WorkspaceClient\nw = WorkspaceClient(host="h", token=pw)\nprint(w.clusters.list())')).toEqual([]);
  });

  it('an unmodelled library call given the secret returns an object that uses it, not the secret', async () => {
    expect(await cells(SECRET, 'import some_lib\nu = some_lib.wrap(pw)\nprint(u)\nprint(u.status, u.fetch())')).toEqual([]);
  });

  it('a function nbguard cannot see (from %run or a star import) passes its arguments on', async () => {
    expect(await cells(SECRET, 'url = build_jdbc_url("h", "u", pw)\nprint(url)')).toEqual(['NBG101@1:2']);
  });

  it('the value returned by a sink is clean', async () => {
    expect(await cells(SECRET, 'import requests\nr = requests.get(f"https://x/?k={pw}")\nprint(r.text)')).toEqual(['NBG104@1:2']);
    expect(await cells(SECRET, 'r = print(pw)\nprint(r)')).toEqual(['NBG101@1:1']);
  });
});

describe('WebSocket URLs (found on the second real-world corpus)', () => {
  it('a key in the query string of a websockets.connect URL is NBG104; in a header it is not', async () => {
    const { cells } = await import('./helpers');
    expect(await cells('from google.colab import userdata\nimport websockets\nKEY = userdata.get("GOOGLE_API_KEY")\nURI = f"wss://generativelanguage.googleapis.com/ws/BidiGenerateContent?key={KEY}"', 'async with websockets.connect(URI) as ws:\n    await ws.send("{}")')).toEqual(['NBG104@1:1']);
    expect(await cells('from google.colab import userdata\nimport websockets\nKEY = userdata.get("GOOGLE_API_KEY")', 'async with websockets.connect("wss://example.com/ws", additional_headers={"x-api-key": KEY}) as ws:\n    pass')).toEqual([]);
  });
});
