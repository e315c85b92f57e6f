// NBG201 hardcoded-credential: detector formats (error), name-based literals (warning), the
// values that are not credentials, and the masking of every message.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells, cellsWithSeverity, located, ipynb } from './helpers';

const AWS_KEY_ID = 'AKIAZ7QW3RTY5UIOPLKJ';
const DAPI = 'dapi0123456789abcdef0123456789abcdef';
const GHP = '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';
/** 88 base64 characters ending in ==, the shape of an Azure storage account key. */
const AZURE_KEY = 'IpHYzcMQQR5+wnN4pmHJNRh8B+TVY26bw8QAsnJEuM06l/Ea5lEHBQamigLw4WGvN/hsuQeHOMNw8H6NO1g7rQ==';

describe('NBG201 detector formats', () => {
  it('reports an AWS access key id literal at the literal, as an error', async () => {
    expect(await located('t.ipynb', ipynb([`aws_key_id = "${AWS_KEY_ID}"`]))).toEqual(['NBG201@0:1:14']);
    expect(await cellsWithSeverity(`x = "${AWS_KEY_ID}"`)).toEqual(['NBG201@0:1/error']);
  });

  it('reports a Databricks token and a GitHub token wherever they stand', async () => {
    expect(await located('t.ipynb', ipynb([`host = "https://adb.net"\nt = "${DAPI}"`]))).toEqual(['NBG201@0:2:5']);
    expect(await cellsWithSeverity(`headers = {"Authorization": "token ${GHP}"}`)).toEqual(['NBG201@0:1/error']);
  });

  it('reports Snowflake passwords in each form a notebook gives them (Snowflake has no typed credential format)', async () => {
    const code = [
      'conn = snowflake.connector.connect(user="etl", password="Xk9mQ2vLp7wR", account="ab12345.us-east-1")',
      'engine = create_engine("snowflake://etl:Xk9mQ2vLp7wR@ab12345/db/schema")',
      'url = "jdbc:snowflake://ab12345.snowflakecomputing.com/?user=etl&password=Xk9mQ2vLp7wR&warehouse=wh"',
      'sfOptions = {"sfURL": "ab12345.snowflakecomputing.com", "sfUser": "etl", "sfPassword": "Xk9mQ2vLp7wR"}',
    ].join('\n');
    expect(await cellsWithSeverity(code)).toEqual(['NBG201@0:1/warning', 'NBG201@0:2/error', 'NBG201@0:3/error', 'NBG201@0:4/warning']);
  });

  it('reports a multi-line PEM private key literal at its first line', async () => {
    const code = 'x = 1\nkey = """-----BEGIN RSA PRIVATE KEY-----\nz+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN\n-----END RSA PRIVATE KEY-----"""\ny = 2';
    const fs = await cellFindings(code);
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}-${f.endLine}`)).toEqual(['NBG201@0:2:7-4']);
    expect(fs[0].severity).toBe('error');
    expect(fs[0].message).toMatch(/PEM private key/);
  });

  it('reports a password in a postgres:// URL and masks it in the message', async () => {
    const fs = await cellFindings('url = "postgres://admin:S3cr3tPassw0rd@db.example.com:5432/app"');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}/${f.severity}`)).toEqual(['NBG201@0:1:7/error']);
    expect(fs[0].message).not.toContain('S3cr3tPassw0rd');
    expect(fs[0].message).toContain('S3**********rd');
  });

  it('reports a password in a JDBC connection string and in an s3a:// URI', async () => {
    expect(await cells('u = "jdbc:sqlserver://h:1433;database=d;user=u;password=Tr0ub4dor3x"')).toEqual(['NBG201@0:1']);
    expect(await cells(`p = "s3a://${AWS_KEY_ID}:Zq9vT2mK8pL4xR7wN3bY6cH1jF5dG0sA%2FeU%2BiO2k@bucket/data"`)).toEqual(['NBG201@0:1']);
  });

  it('reports Slack tokens, GCP service-account keys and AWS key ids inside longer text', async () => {
    expect(await cells('w = "xoxb-271828182845-Zq8Lm2Xr9Tn4Kp7Wc1Yd"')).toEqual(['NBG201@0:1']);
    expect(await cells('sa = \'{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\\\nz+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN"}\'')).toEqual(['NBG201@0:1']);
    expect(await cells(`cmd = "aws configure set aws_access_key_id ${AWS_KEY_ID}"`)).toEqual(['NBG201@0:1']);
  });

  it('reports an Azure storage key in a connection string', async () => {
    expect(await cellsWithSeverity(`cs = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net"`)).toEqual([
      'NBG201@0:1/error',
    ]);
  });

  it('reports an Azure storage key set under an f-string fs.azure.account.key', async () => {
    expect(await cells(`acct = "myacct"\nspark.conf.set(f"fs.azure.account.key.{acct}.dfs.core.windows.net", "${AZURE_KEY}")`)).toEqual([
      'NBG301@0:2',
      'NBG201@0:2',
    ]);
  });

  it('reports an AWS secret access key given to a credential name', async () => {
    expect(await cellsWithSeverity('aws_secret_access_key = "Zq9vT2mK8pL4xR7wN3bY6cH1jF5dG0sA/eU+iO2k"')).toEqual(['NBG201@0:1/error']);
  });

  it('reports an AWS secret access key that contains two slashes', async () => {
    expect(await cells('aws_secret_access_key = "q8VnTz/LkwTz7Wp/Rb5Xc9Mf1Hd4Gs6Jy0Ae8UiO"')).toEqual(['NBG201@0:1']);
  });

  it('reports credentials in annotated assignments and byte strings', async () => {
    expect(await cellsWithSeverity(`token: str = "${GHP}"`)).toEqual(['NBG201@0:1/error']);
    expect(await cellsWithSeverity('password: str = "Xy7!kq2Lm9"')).toEqual(['NBG201@0:1/warning']);
    expect(await cellsWithSeverity('k = b"-----BEGIN PRIVATE KEY-----\\nz+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN"')).toEqual(['NBG201@0:1/error']);
  });

  it('reports a URL password in the literal part of an f-string when the host is literal too', async () => {
    expect(await cells('url = f"postgresql://admin:Hunter2pass@db.example.com:5432/{db}"')).toEqual(['NBG201@0:1']);
  });

  it('reports a URL password when the host is an f-string placeholder or concatenated', async () => {
    expect(await cells('url = f"postgresql://admin:Hunter2pass@{host}:5432/db"')).toEqual(['NBG201@0:1']);
    expect(await cells('url = "postgresql://admin:Hunter2pass@" + host + "/db"')).toEqual(['NBG201@0:1']);
  });

  it('does not report a 40-character SHA-1 digest, even under a name with a credential word', async () => {
    expect(await cells('commit = "da39a3ee5e6b4b0d3255bfef95601890afd80709"\nsecret_sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"\ntoken_id = "123e4567-e89b-12d3-a456-426614174000"')).toEqual([]);
  });

  // Real keys come in these shapes (issue 10, found on public notebooks): a Weights & Biases key
  // is 40 hex characters, Flask and Django secret keys are often token_hex(), some APIs use UUIDs.
  it('reports a hex string or a UUID given to a name that says it is a key, as a warning', async () => {
    expect(
      await cellsWithSeverity(
        'wandb_integration = {"project": "p", "api_key": "3a48c9e1d07b5f2a6e8c4d1b9f0a7e3c5d2b1f37"}\nSECRET_KEY = "9f3b1c7e5a2d4f6b8e0c1a3d5f7b9e2c"\nconfig = {"model": "m", "api_key": "38e4f2a1-7c3d-4b5e-9f6a-2d8c1b4e6eb8"}',
      ),
    ).toEqual(['NBG201@0:1/warning', 'NBG201@0:2/warning', 'NBG201@0:3/warning']);
  });
});

describe('NBG201 name-based', () => {
  it('reports a literal assigned to a credential-named variable, as a warning', async () => {
    expect(await located('t.ipynb', ipynb(['password = "Xy7!kq2Lm9"']))).toEqual(['NBG201@0:1:12']);
    expect(await cellsWithSeverity('password = "Xy7!kq2Lm9"')).toEqual(['NBG201@0:1/warning']);
  });

  it('names the credential and masks the value in the message', async () => {
    const [f] = await cellFindings('password = "Xy7!kq2Lm9"');
    expect(f.message).toContain('"password"');
    expect(f.message).toContain('Xy******m9');
    expect(f.message).not.toContain('Xy7!kq2Lm9');
  });

  it('reports a credential-named parameter default', async () => {
    expect(await cellsWithSeverity('def connect(password="Xy7!kq2Lm9"):\n    pass')).toEqual(['NBG201@0:1/warning']);
  });

  it('reports a credential keyword argument, a dict key and an option', async () => {
    expect(await located('t.ipynb', ipynb(['conn = connect(host="h", password="Xy7!kq2Lm9")']))).toEqual(['NBG201@0:1:35']);
    expect(await located('t.ipynb', ipynb(['cfg = {"user": "u", "password": "Xy7!kq2Lm9"}']))).toEqual(['NBG201@0:1:33']);
    expect(await cellsWithSeverity('df = spark.read.format("jdbc").option("password", "Tr0ub4dor3x").load()')).toEqual(['NBG201@0:1/warning']);
    expect(await located('t.ipynb', ipynb(['e = create_engine("postgresql://h/db", password="Xy7!kq2Lm9")']))).toEqual(['NBG201@0:1:49']);
  });

  it.each([
    ['changeme', 'password = "changeme"'],
    ['<your-token>', 'token = "<your-token>"'],
    ['YOUR_API_KEY', 'api_key = "YOUR_API_KEY"'],
    ["AWS's documented example key id", 'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"'],
    ['a secret reference', 'password = "{{secrets/s/k}}"'],
    ['xxxx', 'password = "xxxx"'],
    ['an empty string', 'password = ""'],
    ['a SHA-1 hex digest', 'model_hash = "da39a3ee5e6b4b0d3255bfef95601890afd80709"'],
    ['a UUID', 'session_token_id = "123e4567-e89b-12d3-a456-426614174000"'],
    ['a file path', 'secret_key = "/dbfs/mnt/keys/service.json"'],
    ['a dotted class name', 'credentials = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"'],
    ['a URL without a password', 'token = "https://user@example.com/path"'],
    ['a tokenizer name', 'tokenizer = "bert-base-uncased-Xy7kq2Lm9"'],
    ['max_tokens and tokens', 'max_tokens = "4096"\ntokens = "Xy7!kq2Lm9abc"'],
    ['elided, fill-in and dummy keys', 'OPENAI_API_KEY = "sk-proj-..."\nTAVILY_API_KEY = "tvly-dev-..."\nanthropic_key = "sk-ant-***"\napi_key = "__FILL_IN_ARCGIS_API_KEY__"\nsecret_string = "{{MY_SLACK_WEBHOOK}}"\ntoken = "[your-token]"\npassword = "--enter-your-API-key-here--"\nopenai_api_key = "sk-foobar"\nhf_token = "hf_blabla"\nkey = "sk-proj-xxx"'],
    ['fill-ins after a real prefix, and a documented sample token', 'token = "ghs_<APPID>_<JWT>"\nprivate_token = "glpat-<your-token>"\npassword = "pscale_pw_<password>"\nSENDGRID_API_KEY = "SG.YOUR_API_KEY"\nTELEGRAM_BOT_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"'],
    ['fill-in names and alphabet samples', 'api_key = "WCS-API-KEY"\ngoogle_client_secret = "GOCSPX-AbCdEfGhIjKlMnOpQrStUv"'],
    ['the type names of API documentation samples', 'r = client.retrieve(knowledgeBaseId="kb", nextToken="string")\ndf.withColumn("sessionCredentialFromConsole", "string", values=["true"])'],
    ['pagination cursors', 'r = client.retrieve(nextToken="eyJwYWdlIjoyfQ5Xk2")\nr = s3.list_objects_v2(ContinuationToken="1Xk9vQ2zLm8PqR7t")\npage_token = "CgQIARAB7yKq2"'],
    ['a secret scope name', 'secret_scope = "prod-kv-Xy7kq2"'],
    ['a password hint', 'password_hint = "Xy7!kq2Lm9"'],
    ['*_url and *_name', 'token_url = "https://login.example.com/oauth"\nsecret_name = "db-password-prod"'],
    ['an environment variable name', 'password = "DB_PASSWORD"'],
    ['a low-entropy value', 'password = "aaaaaaaa"'],
    ['a part of its own name', 'postgres_password = "postgres"\nPGADMIN_DEFAULT_PASSWORD = "pgadmin"'],
    ['API versions and dates', 'api_key_version = "2023-03-15-preview"\ntoken = "v2.1.0"\nsecret = "2024-05-01"'],
    // Recovery from the syntax error joins the next line's value to the empty assignment.
    ['a value recovered from the lines after an empty assignment', 'def setup():\n    API_KEY = # SET YOUR OWN API KEY HERE\n    RESOURCE_ENDPOINT = \n    API_VERSION = "2023-03-15-preview"\n    return API_KEY'],
  ])('does not report %s', async (_name, code) => {
    expect(await cells(code)).toEqual([]);
  });
});

describe('hardcoded credentials are also taint sources', () => {
  it('reports a hardcoded key later printed as NBG201 at the literal and NBG101 at the print', async () => {
    const fs = await cellFindings(`aws_key_id = "${AWS_KEY_ID}"`, 'print(aws_key_id)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG201@0:1:14', 'NBG101@1:1:1']);
    const print = fs[1];
    expect(print.message).toContain('AKIA************PLKJ');
    expect(print.trace?.[0]).toMatchObject({ cell: 0, line: 1, column: 14, message: 'source' });
    expect(print.trace?.at(-1)).toMatchObject({ cell: 1, line: 1, column: 1, message: 'sink' });
  });

  it('never prints a full secret in any message', async () => {
    const secrets = [AWS_KEY_ID, DAPI, GHP, 'S3cr3tPassw0rd', 'Xy7!kq2Lm9'];
    const fs = await cellFindings(
      `aws_key_id = "${AWS_KEY_ID}"\nt = "${DAPI}"\ngh = "${GHP}"`,
      'url = "postgres://admin:S3cr3tPassw0rd@db.example.com:5432/app"\npassword = "Xy7!kq2Lm9"',
      'print(aws_key_id, t, gh, url, password)\nimport os\nos.environ["DB_PASSWORD"] = password',
    );
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual([
      'NBG201@0:1',
      'NBG201@0:2',
      'NBG201@0:3',
      'NBG201@1:1',
      'NBG201@1:2',
      'NBG101@2:1',
      'NBG301@2:3',
    ]);
    for (const f of fs) for (const s of secrets) expect(f.message).not.toContain(s);
  });
});

describe('credentials in comments', () => {
  it('reports a typed credential and a commented-out assignment, masked, at the comment', async () => {
    const { findings } = await import('./helpers');
    const { ipynb } = await import('./helpers');
    const fs = await findings('c.ipynb', ipynb(["x = 1  # the old token was dapi0123456789abcdef0123456789abcdef\n# api_key = 'o4fxT9qLm2Zr8WbK'\nurl = 'http://h/#frag'  # not a comment: '#frag'"]));
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG201@0:1:28', 'NBG201@0:2:14']);
    expect(JSON.stringify(fs)).not.toContain('o4fxT9qLm2Zr8WbK');
    expect(JSON.stringify(fs)).not.toContain('dapi0123456789abcdef0123456789abcdef');
  });

  it('does not report names, placeholders or a # inside a string', async () => {
    expect(await cells('# set api_key = "YOUR_API_KEY" before running\n# token: see the vault\ns = "# api_key = \'o4fxT9qLm2Zr8WbK\' in a string"')).toEqual([]);
  });
});

describe('not credentials, found on the second real-world corpus (bench/realworld/round2)', () => {
  it("a typed token's prefix without the token's length is a stand-in: dapijedi, hf_abc123", async () => {
    expect(await cells('token = "dapijedi"\njson_.update({"token": "dapijedi", "host": h})', 'hf_token = "hf_abc123xyz"\napi_key = "sk-test1234"')).toEqual([]);
    // With the length of a token after its prefix, a name-based finding stays.
    expect(await cells('token = "dapiQ7vLm2Zr8WbKx9Tq"')).toEqual(['NBG201@0:1']);
  });

  it('a credential object\'s name is not a credential: storage_credential = "ac_dev_eastus2"', async () => {
    expect(await cells('storage_credential = "ac_dev_eastus2"\nspark.sql(f"CREATE EXTERNAL LOCATION l URL \'abfss://c@s.dfs.core.windows.net\' WITH (STORAGE CREDENTIAL {storage_credential})")')).toEqual([]);
    expect(await cells('credential = "Xk9#mP2$vLq7"')).toEqual(['NBG201@0:1']);
  });

  it("a tokenizer's special tokens, fill-mask results and NLP task names are not credentials", async () => {
    expect(await cells('custom_pad_token = "<|finetune_right_pad_id|>"\nprint(custom_pad_token)', 'res = {"score": 0.9, "token_str": "capital"}', 'clf = pipeline("token-classification", "Rocketknight1/distilbert-base-uncased-finetuned-ner")')).toEqual([]);
  });
});

describe('name-based values that are words, found on the second real-world corpus', () => {
  it('words run together given to a token are a trigger word or a name; to a password they may be a passphrase', async () => {
    expect(await cells('pipe.load_textual_inversion("./EasyNegative.safetensors", token="EasyNegative")', 'token_key = "tokens"')).toEqual([]);
    expect(await cells('password = "CorrectHorseBatteryStaple"')).toEqual(['NBG201@0:1']);
  });

  it("the user's own Google access token put into the environment is not NBG301", async () => {
    expect(await cells('import google.auth\ncreds, project = google.auth.default()\nos.environ["OPENAI_API_KEY"] = creds.token')).toEqual([]);
  });
});

describe('found on the third real-world corpus (bench/realworld/round3)', () => {
  it("a secret scope key's name given to a credential-named widget or variable is not a credential; a password is still", async () => {
    expect(await cells('dbutils.widgets.text("eventhub_secret_key", "team-eventhub-cs", "Event Hub secret key")', 'token = r"(?u)\\b\\w\\w+\\b"')).toEqual([]);
    expect(await cells('db_password = "blue-river-stone"')).toEqual(['NBG201@0:1']);
  });

  it('an id read from a secret scope set as a Spark setting, and a class name read back, are not NBG301', async () => {
    const setup = 'client_id = dbutils.secrets.get("kv", "sp-databricks-adls-appid")\ntenant = dbutils.secrets.get("kv", "directory-tenant-id-demo")\nsecret = dbutils.secrets.get("kv", "sp-databricks-adls-appkey")';
    const conf = 'spark.conf.set(f"fs.azure.account.oauth2.client.id.{acct}.dfs.core.windows.net", client_id)\nspark.conf.set(f"fs.azure.account.oauth2.client.endpoint.{acct}.dfs.core.windows.net", f"https://login.microsoftonline.com/{tenant}/oauth2/token")\nspark.conf.set(f"fs.azure.account.oauth2.client.secret.{acct}.dfs.core.windows.net", secret)';
    expect(await cells(setup, conf)).toEqual(['NBG301@1:3']);
    expect(await cells('p = spark.conf.get("spark.databricks.passthrough.adls.gen2.tokenProviderClassName")\nspark.conf.set("fs.azure.account.custom.token.provider.class", p)')).toEqual([]);
    expect(await cells('configs = {"fs.azure.account.auth.type": "CustomAccessToken", "fs.azure.account.custom.token.provider.class": spark.conf.get("spark.databricks.passthrough.adls.gen2.tokenProviderClassName")}\ndbutils.fs.mount(source="abfss://c@a.dfs.core.windows.net/", mount_point="/mnt/c", extra_configs=configs)')).toEqual([]);
  });
});

describe('found on the fourth real-world corpus (bench/realworld/round4)', () => {
  it("an upper-case constant named for a service's key holds that key; a sort or public key does not", async () => {
    expect(await cells('ZYTE_KEY = "76cd9f0e3b1a4c2d8e7f6a5b4c3d4814"\nSCRAPING_BEE_KEY = "K4RPq7Xz9Lm2Vt8Wc1Yd6Hf3Gs5Ae0Bn"')).toEqual(['NBG201@0:1', 'NBG201@0:2']);
    expect(await cells('SORT_KEY = "created_at_desc_v2"\nPUBLIC_KEY = "pk_live_Xq8Lm2Rv7Tn5Ya5Zw3Kp"\nS3_KEY = "raw/2024/01/events.parquet"\nANNOTATION_KEY = "player"')).toEqual([]);
  });

  it('one character of a secret is a preview; an element of a list of secrets is not', async () => {
    expect(await cells('import os\ntok = os.getenv("PUSHOVER_TOKEN")\nprint(f"Pushover token starts with {tok[0]}")')).toEqual([]);
    expect(await cells('import os\nkeys = (os.getenv("A_API_KEY"), os.getenv("B_API_KEY"))\nprint(keys[0])')).toEqual(['NBG101@0:3']);
  });

  it('variables that count tokens, a credentials file path and a dummy key for a local server are not secrets', async () => {
    expect(await cells('import os\nn = int(os.getenv("CHARS_PER_TOKEN", "4"))\nprint(n)\nprint(os.getenv("GOOGLE_APPLICATION_CREDENTIALS"))', 'client = OpenAI(base_url="http://localhost:11434/v1", api_key="anything")')).toEqual([]);
  });
});
