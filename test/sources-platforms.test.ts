// Secret sources beyond Databricks (issue 11, item 3) and the propagation found missing (item 4):
// Streamlit, dotenv, SSM with decryption, Azure ML's Key Vault, google-auth tokens, the Databricks
// SDK, Spark configuration credentials, input() asking for a key; Template.substitute, rich,
// tqdm and the root logger as sinks. Each with what must stay clean beside it.

import { describe, expect, it } from 'vitest';
import { cells } from './helpers';

describe('sources', () => {
  it.each([
    ['st.secrets by key', 'import streamlit as st\nprint(st.secrets["db"]["password"])', 'NBG101@0:2'],
    ['st.secrets.get', 'import streamlit as st\nkey = st.secrets.get("OPENAI_API_KEY")\nprint(key)', 'NBG101@0:3'],
    ['st.secrets by attribute', 'import streamlit as st\nprint(st.secrets.api_key)', 'NBG101@0:2'],
    ['dotenv_values', 'from dotenv import dotenv_values\ncfg = dotenv_values(".env")\nprint(cfg["OPENAI_API_KEY"])', 'NBG101@0:3'],
    ['dotenv get_key', 'from dotenv import get_key\nprint(get_key(".env", "HF_TOKEN"))', 'NBG101@0:2'],
    ['SSM with decryption', 'import boto3\np = boto3.client("ssm").get_parameter(Name="/db/pw", WithDecryption=True)\nprint(p["Parameter"]["Value"])', 'NBG101@0:3'],
    ['Azure ML Key Vault', 'from azureml.core import Workspace\nws = Workspace.from_config()\nprint(ws.get_default_keyvault().get_secret("db-pw"))', 'NBG101@0:3'],
    ['a google-auth token', 'import google.auth\ncredentials, project = google.auth.default()\nprint(credentials.token)', 'NBG101@0:3'],
    ['the Databricks SDK', 'from databricks.sdk import WorkspaceClient\nw = WorkspaceClient()\nprint(w.secrets.get_secret("scope", "key").value)', 'NBG101@0:3'],
    ['a credential read back from spark.conf', 'print(spark.conf.get("fs.azure.account.key.acct.dfs.core.windows.net"))', 'NBG101@0:1'],
    ['input() asking for a key', 'k = input("Enter your OpenAI API key: ")\nprint(k)', 'NBG101@0:2'],
  ])('%s', async (_what, code, expected) => {
    expect(await cells(code)).toEqual([expected]);
  });

  it.each([
    ['SSM without decryption', 'import boto3\np = boto3.client("ssm").get_parameter(Name="/db/host")\nprint(p["Parameter"]["Value"])\nq = boto3.client("ssm").get_parameter(Name="/x", WithDecryption=False)\nprint(q)'],
    ['the project beside google-auth credentials', 'import google.auth\ncredentials, project = google.auth.default()\nprint(project)'],
    ['other Spark settings', 'print(spark.conf.get("spark.sql.shuffle.partitions"))'],
    ['input() asking for something else', 'n = input("How many rows? ")\nprint(n)\nname = input("Your name: ")\nprint(name)'],
  ])('does not report %s', async (_what, code) => {
    expect(await cells(code)).toEqual([]);
  });
});

describe('propagation and sinks', () => {
  const SECRET = 'pw = dbutils.secrets.get("s", "k")';
  it.each([
    ['TEMPLATE.format(**d)', 'd = {"pw": pw}\nprint("user={user} pw={pw}".format(**d))', 'NBG101@1:2'],
    ['"%(pw)s" % d', 'd = {"pw": pw}\nprint("%(pw)s" % d)', 'NBG101@1:2'],
    ['string.Template.substitute', 'import string\nprint(string.Template("$pw").substitute({"pw": pw}))', 'NBG101@1:2'],
    ['logging.root.info', 'import logging\nlogging.root.info(pw)', 'NBG101@1:2'],
    ['logging.log(level, ...)', 'import logging\nlogging.log(logging.INFO, pw)', 'NBG101@1:2'],
    ['logger.exception', 'import logging\nlogger = logging.getLogger(__name__)\nlogger.exception("failed %s", pw)', 'NBG101@1:3'],
    ['rich.print', 'from rich import print as rprint\nrprint(pw)', 'NBG101@1:2'],
    ['tqdm.write', 'from tqdm import tqdm\ntqdm.write(pw)', 'NBG101@1:2'],
    ['IPython Markdown', 'from IPython.display import Markdown, display\ndisplay(Markdown(f"key {pw}"))', 'NBG101@1:2'],
    ['Path.write_text', 'from pathlib import Path\nPath("key.txt").write_text(pw)', 'NBG103@1:2'],
  ])('%s', async (_what, code, expected) => {
    expect(await cells(SECRET, code)).toEqual([expected]);
  });
});
