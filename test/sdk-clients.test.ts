// A secret given to a library client or call makes an object that uses the credential, not the
// secret (issue 10, the cause of most false NBG101 findings on public notebooks): what the client
// returns, its attributes and its methods' results are clean. What really carries the value still
// does: string operations, encoders, containers, and calls rules/propagation.yaml declares.

import { describe, expect, it } from 'vitest';
import { cells } from './helpers';

const KEY = 'import os\nkey = os.environ["COHERE_API_KEY"]';
const SECRET = 'pw = dbutils.secrets.get("db", "password")';

describe('library clients built with a secret', () => {
  it.each([
    ['a client and its responses', `import cohere\nco = cohere.Client(${'key'})\nres = co.rerank(query="q", documents=docs)\nprint(res[0].document["text"])\nres`],
    ['a database client from a URI holding the password, and its answers', 'from pymongo import MongoClient\nclient = MongoClient(f"mongodb+srv://u:{key}@cluster0.x.net")\nprint(client.admin.command("ping"))\ndb = client["beir"]\nprint(db.command("collStats", "c")["size"])'],
    ['a session built from a dict of connection parameters', 'from snowflake.snowpark import Session\nparams = {"account": "a", "user": "u", "password": key}\nsession = Session.builder.configs(params).create()\nprint(session.get_current_role())'],
    ['a run started with a header dict', 'import wandb\nrun = wandb.init(settings={"api_key": key})\nprint(run.get_status(), run.id)'],
    ['a method echoed as the last expression', 'from google.cloud import aiplatform\nmodel = aiplatform.Model("m", credentials=make_creds(key))\nmodel.delete(sync=True)'],
    ['an LLM answer', 'from openai import OpenAI\nclient = OpenAI(key)\nr = client.chat.completions.create(model="gpt-4o", messages=[])\nprint(r.choices[0].message.content)'],
  ])('%s: nothing is reported', async (_name, code) => {
    expect(await cells(KEY, code)).toEqual([]);
  });
});

describe('what carries the secret', () => {
  it.each([
    ['str methods', 'print(pw.strip().upper())'],
    ['an encoder', 'import base64\nprint(base64.b64encode(pw.encode()))'],
    ['a join', 'print(", ".join(["user", pw]))'],
    ['str.format', 'print("{}:{}".format("u", pw))'],
    ['a URL quote', 'from urllib.parse import quote\nprint(quote(pw))'],
    ['json.dumps of a dict holding it', 'import json\nprint(json.dumps({"password": pw}))'],
    ['an auth object whose fields hold it', 'import requests\nauth = requests.auth.HTTPBasicAuth("u", pw)\nprint(auth)'],
    ['a pydantic SecretStr read back', 'from pydantic import SecretStr\ns = SecretStr(pw)\nprint(s.get_secret_value())'],
  ])('%s', async (_name, code) => {
    const lines = code.split('\n').length;
    expect(await cells(SECRET, code)).toEqual([`NBG101@1:${lines}`]);
  });
});
