// NBG301 insecure-configuration: credentials put into Spark/Hadoop configuration, DBFS mount
// configs and the process environment; keys and values that are not credentials are quiet.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells, cellsWithSeverity } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';

describe('NBG301 spark.conf.set and Hadoop configuration', () => {
  it('reports fs.s3a.secret.key set from a secret scope, as a warning with a trace', async () => {
    const fs = await cellFindings('spark.conf.set("fs.s3a.secret.key", dbutils.secrets.get("aws", "secret"))');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}/${f.severity}`)).toEqual(['NBG301@0:1:1/warning']);
    const [f] = fs;
    expect(f.message).toContain('fs.s3a.secret.key');
    expect(f.message).toMatch(/instance profile/);
    expect(f.message).toMatch(/Unity Catalog storage credential/);
    expect(f.message).toContain('{{secrets/scope/key}}');
    expect(f.trace?.map((s) => `${s.message}@${s.cell}:${s.line}:${s.column}`)).toEqual(['source@0:1:37', 'sink@0:1:1']);
  });

  it('reports fs.s3a.access.key set from a variable holding a secret', async () => {
    expect(await cells('ak = dbutils.secrets.get("aws", "access")\nspark.conf.set("fs.s3a.access.key", ak)')).toEqual(['NBG301@0:2']);
  });

  it('reports a session token set on hadoopConfiguration() through spark.sparkContext and sc', async () => {
    const tok = 'tok = dbutils.secrets.get("aws", "session")';
    expect(await cells(tok, 'spark.sparkContext._jsc.hadoopConfiguration().set("fs.s3a.session.token", tok)')).toEqual(['NBG301@1:1']);
    expect(await cells(tok, 'sc._jsc.hadoopConfiguration().set("fs.s3a.session.token", tok)')).toEqual(['NBG301@1:1']);
  });

  it('reports spark._jsc.hadoopConfiguration().set and a multi-line spark.conf.set at its first line', async () => {
    expect(await cells('k = dbutils.secrets.get("aws", "sk")\nspark._jsc.hadoopConfiguration().set("fs.s3a.secret.key", k)')).toEqual(['NBG301@0:2']);
    expect(await cells('x = 1\nspark.conf.set(\n    "fs.s3a.secret.key",\n    dbutils.secrets.get("aws", "sk"),\n)')).toEqual(['NBG301@0:2']);
  });

  it('reports a secret set under an f-string key', async () => {
    expect(
      await cells('acct = "myacct"\nk = dbutils.secrets.get("az", "key")\nspark.conf.set(f"fs.azure.account.key.{acct}.dfs.core.windows.net", k)'),
    ).toEqual(['NBG301@0:3']);
  });

  it('reports a credential key set from a value of unknown origin, without a trace', async () => {
    const fs = await cellFindings('sk = load_key()\nspark.conf.set("fs.s3a.secret.key", sk)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}/${f.severity}`)).toEqual(['NBG301@0:2/warning']);
    expect(fs[0].message).toMatch(/^A credential is set in Spark configuration/);
  });

  it('reports a secret set under any key', async () => {
    expect(await cells(SECRET, 'spark.conf.set("spark.myapp.setting", pw)')).toEqual(['NBG301@1:1']);
  });

  it('reports a literal credential set under a credential key (and the literal as NBG201)', async () => {
    expect(await cellsWithSeverity('spark.conf.set("fs.s3a.secret.key", "Zq9vT2mK8pL4xR7wN3bY6cH1jF5dG0sA/eU+iO2k")')).toEqual([
      'NBG301@0:1/warning',
      'NBG201@0:1/error',
    ]);
  });

  it.each([
    ['an endpoint', 'spark.conf.set("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com")'],
    ['a credentials provider class name', 'spark.conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider")'],
    [
      'an OAuth token provider class name',
      'spark.conf.set("fs.azure.account.oauth.provider.type.acct.dfs.core.windows.net", "org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider")',
    ],
    ['shuffle partitions', 'spark.conf.set("spark.sql.shuffle.partitions", "200")'],
    ['a secret reference', 'spark.conf.set("fs.s3a.secret.key", "{{secrets/aws/secret}}")'],
    ['a placeholder', 'spark.conf.set("fs.s3a.secret.key", "<your-secret>")'],
    ["AWS's example key id", 'spark.conf.set("fs.s3a.access.key", "AKIAIOSFODNN7EXAMPLE")'],
  ])('does not report %s', async (_name, code) => {
    expect(await cells(SECRET, code)).toEqual([]);
  });
});

describe('NBG301 dbutils.fs.mount', () => {
  it('reports a multi-line mount whose extra_configs hold a secret, at the first line of the call', async () => {
    const code =
      'dbutils.fs.mount(\n    source="wasbs://c@acct.blob.core.windows.net",\n    mount_point="/mnt/c",\n    extra_configs={"fs.azure.account.key.acct.blob.core.windows.net": dbutils.secrets.get("az", "key")},\n)';
    const fs = await cellFindings(code);
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}-${f.endLine}`)).toEqual(['NBG301@0:1:1-5']);
    expect(fs[0].message).toMatch(/mount/);
    expect(fs[0].trace?.[0]).toMatchObject({ line: 4, message: 'source' });
  });

  it('reports extra_configs built in a variable and the extraConfigs spelling', async () => {
    expect(
      await cells(
        'configs = {"fs.azure.account.auth.type": "OAuth", "fs.azure.account.oauth2.client.id": "abc", "fs.azure.account.oauth2.client.secret": dbutils.secrets.get("az", "sp")}\ndbutils.fs.mount(source="abfss://c@a.dfs.core.windows.net/", mount_point="/mnt/x", extra_configs=configs)',
      ),
    ).toEqual(['NBG301@0:2']);
    expect(
      await cells(
        'k = dbutils.secrets.get("az", "key")\ndbutils.fs.mount(source="wasbs://c@a.blob.core.windows.net", mountPoint="/mnt/c", extraConfigs={"fs.azure.account.key.a.blob.core.windows.net": k})',
      ),
    ).toEqual(['NBG301@0:2']);
  });

  it('does not report a mount without credentials', async () => {
    expect(await cells('dbutils.fs.mount(\n    source="s3a://bucket",\n    mount_point="/mnt/b",\n)')).toEqual([]);
  });
});

describe('NBG301 process environment', () => {
  it('reports os.environ["X"] = secret at the assignment, naming the variable', async () => {
    const fs = await cellFindings(SECRET + '\nimport os\nos.environ["DB_PASSWORD"] = pw');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}/${f.severity}`)).toEqual(['NBG301@0:3:1/warning']);
    expect(fs[0].message).toContain('"DB_PASSWORD"');
    expect(fs[0].trace?.map((s) => s.message)).toEqual(['source', 'pw', 'sink']);
  });

  it('reports os.environ.update and os.putenv with a secret', async () => {
    expect(await cells(SECRET, 'import os\nos.environ.update({"DB_PASSWORD": pw})')).toEqual(['NBG301@1:2']);
    expect(await cells(SECRET, 'import os\nos.putenv("DB_PASSWORD", pw)')).toEqual(['NBG301@1:2']);
  });

  it('reports os.environ.setdefault of a secret under a non-credential name', async () => {
    expect(await cells(SECRET, 'import os\nos.environ.setdefault("MY_SETTING", pw)\nx = 1')).toEqual(['NBG301@1:2']);
  });

  it('reports os.environ.setdefault of a secret under a credential name', async () => {
    expect(await cells(SECRET, 'import os\nos.environ.setdefault("HF_TOKEN", pw)\nx = 1')).toEqual(['NBG301@1:2']);
  });

  it('does not report a key read from the environment or typed at a prompt (how notebooks configure libraries)', async () => {
    expect(await cells('import os\nfrom getpass import getpass\nos.environ["OPENAI_API_KEY"] = os.getenv("OPENAI_API_KEY") or getpass("OpenAI key: ")')).toEqual([]);
    expect(await cells('import os, getpass\nfor var in ["OPENAI_API_KEY", "TAVILY_API_KEY"]:\n    os.environ[var] = getpass.getpass(f"{var}: ")')).toEqual([]);
    // Colab's and Kaggle's documented way to configure a library, on the user's own VM.
    expect(await cells('import os\nfrom google.colab import userdata\nos.environ["OPENAI_API_KEY"] = userdata.get("OPENAI_API_KEY")')).toEqual([]);
    expect(await cells('import os\nfrom kaggle_secrets import UserSecretsClient\nos.environ["HF_TOKEN"] = UserSecretsClient().get_secret("HF_TOKEN")')).toEqual([]);
    expect(await cells('import os\nos.environ["OPENAI_API_KEY"] = input("Please enter your OpenAI API key: ")')).toEqual([]);
    expect(await cells('import os\nfrom dotenv import dotenv_values\nos.environ.update(dotenv_values(".env"))')).toEqual([]);
    expect(await cells('import os\nos.environ["HF_TOKEN"] = input("HF token: ")')).toEqual([]);
    expect(await cells('import os\nos.environ.update({"COHERE_API_KEY": os.environ["COHERE_API_KEY"]})')).toEqual([]);
  });

  it('still reports a hardcoded literal and a secret-store value put into the environment', async () => {
    expect(await cells('import os\nos.environ["OPENAI_API_KEY"] = "sk-proj-Zq3vT8yPw1Lx0cR5nB7mK2jH4gF6dS9aQeWrTyUiOp"')).toEqual(['NBG301@0:2', 'NBG201@0:2']);
    expect(await cells(SECRET, 'import os\nfrom getpass import getpass\nos.environ["DB_PASSWORD"] = pw or getpass()')).toEqual(['NBG301@1:3']);
  });

  it('does not report clean environment settings', async () => {
    expect(await cells('import os\nos.environ["TOKENIZERS_PARALLELISM"] = "false"')).toEqual([]);
    expect(await cells('import os\nregion = "eu-west-1"\nos.environ["AWS_REGION"] = region')).toEqual([]);
  });
});
