// Sources: secret stores, cloud credentials, prompts, keyrings, vaults, credential-named
// environment variables (and the environment variables that are not credentials), credential
// parameters and input() into credential names (presumed secrets, warning severity).

import { describe, expect, it } from 'vitest';
import { cellFindings, cells, cellsWithSeverity } from './helpers';

describe('secret-store and cloud sources', () => {
  it.each([
    ['dbutils.secrets.get', 'pw = dbutils.secrets.get(scope="db", key="password")\nprint(pw)'],
    ['dbutils.secrets.getBytes', 'b = dbutils.secrets.getBytes("db", "key")\nprint(b)'],
    ['dbutils.credentials.getCurrentCredentials', 'c = dbutils.credentials.getCurrentCredentials()\nprint(c)'],
    ['boto3 get_credentials().access_key', 'import boto3\ncreds = boto3.Session().get_credentials()\nprint(creds.access_key)'],
    ['boto3 get_frozen_credentials().secret_key', 'import boto3\nsession = boto3.Session()\nfc = session.get_credentials().get_frozen_credentials()\nprint(fc.secret_key)'],
    ['boto3 session.get_frozen_credentials().token', 'import boto3\nsession = boto3.session.Session()\nfc = session.get_frozen_credentials()\nprint(fc.token)'],
    ['getpass.getpass', 'import getpass\np = getpass.getpass("Password: ")\nprint(p)'],
    ['from getpass import getpass', 'from getpass import getpass\np = getpass()\nprint(p)'],
    ['keyring.get_password', 'import keyring\nk = keyring.get_password("svc", "user")\nprint(k)'],
    [
      'Azure SecretClient.get_secret().value',
      'from azure.keyvault.secrets import SecretClient\nclient = SecretClient(vault_url="https://kv.vault.azure.net", credential=cred)\nv = client.get_secret("db-password").value\nprint(v)',
    ],
    [
      'Azure SecretClient(...).get_secret() inline',
      'from azure.keyvault.secrets import SecretClient\nv = SecretClient("https://kv", cred).get_secret("db").value\nprint(v)',
    ],
    [
      'hvac read_secret_version',
      'import hvac\nclient = hvac.Client(url="https://vault:8200")\nresp = client.secrets.kv.v2.read_secret_version(path="db")\nprint(resp["data"]["data"]["password"])',
    ],
    [
      'GCP access_secret_version payload',
      'from google.cloud import secretmanager\nclient = secretmanager.SecretManagerServiceClient()\nresp = client.access_secret_version(name="projects/p/secrets/s/versions/latest")\nprint(resp.payload.data.decode("UTF-8"))',
    ],
  ])('%s is a secret', async (_name, code) => {
    const lines = code.split('\n').length;
    expect(await cellsWithSeverity(code)).toEqual([`NBG101@0:${lines}/error`]);
  });

  it('an environment variable name held in a constant', async () => {
    expect(await cells('import os\nk = "DB_PASSWORD"\nu = os.getenv(k)\nprint(u)')).toEqual(['NBG101@0:4']);
  });

  it('dbutils obtained from databricks.sdk.runtime or a WorkspaceClient', async () => {
    expect(await cells('from databricks.sdk.runtime import dbutils as du\npw = du.secrets.get("db", "password")\nprint(pw)')).toEqual(['NBG101@0:3']);
    expect(
      await cells('from databricks.sdk import WorkspaceClient\nw = WorkspaceClient()\npw = w.dbutils.secrets.get("db", "password")\nprint(pw)'),
    ).toEqual(['NBG101@0:4']);
  });

  it('a secret store entry named for an identifier or a setting is not a secret; one named for a secret, or not named by a literal, is', async () => {
    // Found on public Databricks notebooks: service principals keep their ids beside their secret.
    const settings = [
      'tid = dbutils.secrets.get("sp", "tenant-id")\nprint(tid)',
      'cid = dbutils.secrets.get(scope="sat", key="client-id")\nprint(cid[:8])',
      'acct = dbutils.secrets.get("sat", "account-console-id")\nrequests.get(f"https://accounts.cloud.databricks.com/api/2.0/accounts/{acct}/workspaces")',
      'schema = dbutils.secrets.get("sat", key="analysis_schema_name")\nprint(f"{schema}.findings")',
      'u = dbutils.secrets.get("db", "sql-username")\nprint(u)',
      'from google.colab import userdata\nprint(userdata.get("HF_USERNAME"))',
      'from databricks.sdk import WorkspaceClient\nw = WorkspaceClient()\nprint(w.secrets.get_secret("sp", "app-id"))',
    ];
    for (const code of settings) expect(await cells(code), code).toEqual([]);
    const secrets = [
      'cs = dbutils.secrets.get("sp", "client-secret")\nprint(cs)',
      'k = dbutils.secrets.get("sat", "sql-user-password")\nprint(k)',
      'k = dbutils.secrets.get("kv", "storage-account")\nprint(k)',
      'k = dbutils.secrets.get("kv", "sas-url")\nprint(k)',
      'k = dbutils.secrets.get("kv", "secret-id")\nprint(k)',
      'name = "client-id"\nk = dbutils.secrets.get("kv", key)\nprint(k)',
      'from google.colab import userdata\nprint(userdata.get("HF_TOKEN"))',
    ];
    for (const code of secrets) expect(await cells(code), code).toEqual([`NBG101@0:${code.split('\n').length}`]);
  });

  it('names the source call in the message and points the trace at it', async () => {
    const [f] = await cellFindings('import getpass\np = getpass.getpass("Password: ")', 'print(p)');
    expect(f.message).toBe('Secret from getpass.getpass("Password: ") reaches print()');
    expect(f.trace?.map((s) => `${s.message}@${s.cell}:${s.line}:${s.column}`)).toEqual(['source@0:2:5', 'p@0:2:1', 'sink@1:1:1']);
  });
});

describe('environment variables', () => {
  it.each([
    ['os.environ[...]', 'import os\nt = os.environ["HF_TOKEN"]\nprint(t)'],
    ['os.environ.get', 'import os\nt = os.environ.get("DB_PASSWORD")\nprint(t)'],
    ['os.getenv with a default', 'import os\nt = os.getenv("OPENAI_API_KEY", "")\nprint(t)'],
    ['AWS_SECRET_ACCESS_KEY', 'import os\nt = os.getenv("AWS_SECRET_ACCESS_KEY")\nprint(t)'],
    ['PGPASSWORD', 'import os\nt = os.getenv("PGPASSWORD")\nprint(t)'],
    ['from os import getenv', 'from os import getenv\na = getenv("DB_PASSWORD")\nprint(a)'],
    ['os.environ.pop', 'import os\nu = os.environ.pop("HF_TOKEN")\nprint(u)'],
    ['GITHUB_TOKEN', 'import os\nu = os.environ["GITHUB_TOKEN"]\nprint(u)'],
    ['a lower-case name', 'import os\nu = os.getenv("db_password")\nprint(u)'],
  ])('%s naming a credential is a secret', async (_name, code) => {
    expect(await cells(code)).toEqual(['NBG101@0:3']);
  });

  it.each([
    ['TOKENIZERS_PARALLELISM', 'import os\nt = os.environ["TOKENIZERS_PARALLELISM"]\nprint(t)'],
    ['PWD', 'import os\nt = os.environ["PWD"]\nprint(t)'],
    ['OLDPWD', 'import os\nt = os.getenv("OLDPWD")\nprint(t)'],
    ['HOME', 'import os\nt = os.getenv("HOME")\nprint(t)'],
    ['SECRET_SCOPE_NAME', 'import os\nt = os.getenv("SECRET_SCOPE_NAME")\nprint(t)'],
    ['TOKEN_URL', 'import os\nu = os.getenv("TOKEN_URL")\nprint(u)'],
  ])('%s is not a credential', async (_name, code) => {
    expect(await cells(code)).toEqual([]);
  });
});

describe('presumed secrets (credential names)', () => {
  it('a credential-named function parameter reaching a sink is a warning, reported in the function', async () => {
    const fs = await cellFindings('def connect(host, password):\n    print(password)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}/${f.severity}`)).toEqual(['NBG101@0:2:5/warning']);
    expect(fs[0].message).toBe('Presumed secret (parameter "password" of connect()) reaches print()');
    expect(fs[0].trace?.map((s) => `${s.message}@${s.line}:${s.column}`)).toEqual(['source@1:19', 'sink@2:5']);
  });

  it('camelCase and snake_case credential parameters count', async () => {
    expect(await cellsWithSeverity('def call(apiKey):\n    print(apiKey)')).toEqual(['NBG101@0:2/warning']);
    expect(await cellsWithSeverity('def call(access_token):\n    print(access_token)')).toEqual(['NBG101@0:2/warning']);
  });

  it('getpass is a secret unless its prompt asks for something else (a URL, an id, a name)', async () => {
    const code = (prompt: string) => `from getpass import getpass\nv = getpass(${JSON.stringify(prompt)})\nprint(v)`;
    for (const prompt of ['Elasticsearch URL: ', 'Elastic Cloud ID', 'Astra collection name: ', 'ES endpoint']) expect(await cells(code(prompt)), prompt).toEqual([]);
    for (const prompt of ['Elastic API key: ', 'Password', 'Enter your token', 'Paste it here:']) expect(await cells(code(prompt)), prompt).toEqual(['NBG101@0:3']);
    expect(await cells('import getpass\nv = getpass.getpass()\nprint(v)')).toEqual(['NBG101@0:3']);
  });

  it('parameters that do not denote credentials are clean', async () => {
    expect(await cells('def connect(host, user):\n    print(user)')).toEqual([]);
    expect(await cells('def encode(text, tokenizer, max_tokens, token_count, secret_scope, token_path):\n    print(tokenizer, max_tokens, token_count, secret_scope, token_path)')).toEqual(
      [],
    );
    // LLM token counts and a tokenizer's tokens (issue 10, public notebooks).
    expect(await cells('def report(token_usage, token):\n    print(token_usage["total"], token)')).toEqual([]);
  });

  it('input() assigned to a credential name is a presumed secret (warning)', async () => {
    const fs = await cellFindings('api_key = input("API key: ")\nprint(api_key)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}/${f.severity}`)).toEqual(['NBG101@0:2/warning']);
    expect(fs[0].trace?.[0]).toMatchObject({ line: 1, column: 11, message: 'source' });
  });

  it('input() assigned to other names is clean', async () => {
    expect(await cells('name = input("Name: ")\nprint(name)')).toEqual([]);
    expect(await cells('secret_name = input("Secret name: ")\nprint(secret_name)')).toEqual([]);
  });
});

describe('SDK calls that create a credential', () => {
  it.each([
    ['a Weaviate DB user key', 'import weaviate\nclient = weaviate.connect_to_local()\nkey = client.users.db.create(user_id="dev")\nprint(key)', 'NBG101@0:4'],
    ['a short-term Bedrock key', 'from aws_bedrock_token_generator import provide_token\nt = provide_token(region="us-east-1")\nprint(f"Token: {t}")', 'NBG101@0:3'],
    ['the encoded field of an Elasticsearch API key', 'from elasticsearch import Elasticsearch\nes = Elasticsearch("https://h")\nr = es.security.create_api_key(name="k")\nprint(r["encoded"])', 'NBG101@0:4'],
    ['a Databricks token value', 'from databricks.sdk import WorkspaceClient\nw = WorkspaceClient()\nt = w.tokens.create(comment="ci", lifetime_seconds=3600)\nprint(t.token_value)', 'NBG101@0:4'],
    ['an Azure access token', 'from azure.identity import DefaultAzureCredential\ntok = DefaultAzureCredential().get_token("https://cognitiveservices.azure.com/.default")\nprint(tok.token)', 'NBG101@0:3'],
  ])('%s', async (_what, code, expected) => {
    expect(await cells(code)).toEqual([expected]);
  });

  it("does not report the response's other fields", async () => {
    expect(
      await cells(
        'from elasticsearch import Elasticsearch\nes = Elasticsearch("https://h")\nr = es.security.create_api_key(name="k")\nprint(f"{r[\'name\']} created, id {r[\'id\']}")',
        'from databricks.sdk import WorkspaceClient\nw = WorkspaceClient()\nt = w.tokens.create(comment="ci")\nprint(t.token_info.comment)',
        'from azure.identity import DefaultAzureCredential\ntok = DefaultAzureCredential().get_token("scope")\nprint(tok.expires_on)',
      ),
    ).toEqual([]);
  });
});

describe('cloud and notebook-platform secret stores found on public notebooks', () => {
  it.each([
    ['STS assume_role printed whole', 'import boto3\nsts = boto3.client("sts")\nr = sts.assume_role(RoleArn="arn", RoleSessionName="s")\nprint(r)', 'NBG101@0:4'],
    ['STS credentials', 'import boto3\nr = boto3.client("sts").get_session_token()\nc = r["Credentials"]\nprint(c["SecretAccessKey"])', 'NBG101@0:4'],
    ['a Secrets Manager value', 'import boto3\nsm = boto3.session.Session().client("secretsmanager")\nprint(sm.get_secret_value(SecretId="db")["SecretString"])', 'NBG101@0:3'],
    ['the Databricks notebook token', 'ctx = dbutils.notebook.entry_point.getDbutils().notebook().getContext()\ntoken = ctx.apiToken().get()\nprint(token)', 'NBG101@0:3'],
    ['Colab userdata', 'from google.colab import userdata\nkey = userdata.get("OPENAI_API_KEY")\nprint(key)', 'NBG101@0:3'],
    ['Kaggle secrets', 'from kaggle_secrets import UserSecretsClient\nprint(UserSecretsClient().get_secret("HF_TOKEN"))', 'NBG101@0:2'],
  ])('%s', async (_what, code, expected) => {
    expect(await cells(code)).toEqual([expected]);
  });

  it('does not report the parts of the responses that are not secret', async () => {
    expect(
      await cells(
        'import boto3\nr = boto3.client("sts").assume_role(RoleArn="arn", RoleSessionName="s")\nprint(r["AssumedRoleUser"]["Arn"])\nc = r["Credentials"]\nprint(f"expires {c[\'Expiration\']}")\nv = boto3.client("secretsmanager").get_secret_value(SecretId="db")\nprint(v["Name"], v["VersionId"])',
      ),
    ).toEqual([]);
  });
});
