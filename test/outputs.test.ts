// NBG401 secret-in-output: credentials already stored in a cell's outputs (stream, error,
// execute_result, display_data), whatever produced them, reported at line 1 of the cell with the
// index of the output, the value masked.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../server/src/analysis';
import { outputTexts } from '../server/src/analysis/outputs/outputText';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { findings, ipynb, randomBase64, type IpynbCell } from './helpers';

const DAPI = 'dapi0123456789abcdef0123456789abcdef';
const GHP = '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';
const KEY_ID = 'ASIAZ7QW3RTY5UIOPLKJ';
const SECRET = 'G+BrL7i7U29f8chHB/xeWyPHnmHZqI8ZqWT7SFhY';
const ESC = '\u001b';

const stream = (text: string | string[], name = 'stdout') => ({ output_type: 'stream', name, text });
const displayData = (data: Record<string, unknown>) => ({ output_type: 'display_data', metadata: {}, data });
const executeResult = (data: Record<string, unknown>) => ({ output_type: 'execute_result', execution_count: 1, metadata: {}, data });
const error = (ename: string, evalue: string, traceback: string[] = []) => ({ output_type: 'error', ename, evalue, traceback });

async function analyse(cells: (string | IpynbCell)[], language?: string): Promise<Finding[]> {
  return findings('t.ipynb', ipynb(cells, language));
}

const short = (fs: Finding[]) => fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}`);

/** The findings of one code cell with these outputs (its code assigns a constant: no other rule fires). */
async function leaks(outputs: unknown[], source = 'result = run_job()'): Promise<Finding[]> {
  return analyse([{ source, outputs }]);
}

describe('NBG401 finds credentials in stored outputs', () => {
  it('in a stream output: at line 1 of the cell, output 0, as an error with the value masked', async () => {
    const fs = await leaks([stream(['Connecting...\n', `token: ${DAPI}\n`])]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    const [f] = fs;
    expect(f.output).toBe(0);
    expect(f.severity).toBe('error');
    expect(f.column).toBe(1);
    expect(f.message).toContain('Databricks personal access token');
    expect(f.message).toContain('dapi****************************cdef');
    expect(f.message).not.toContain(DAPI);
  });

  it('at line 1 of a multi-line cell, and with the index of the cell in the file', async () => {
    const fs = await analyse(['x = 1', { source: 'a = 1\nb = 2\nrun_job(a, b)', outputs: [stream(`token ${DAPI}\n`)] }]);
    expect(short(fs)).toEqual(['NBG401@1:1']);
    expect(fs[0].output).toBe(0);
  });

  it('in the output of a `!cat` shell line', async () => {
    const fs = await leaks([stream(`[DEFAULT]\nhost = https://adb-1.azuredatabricks.net\ntoken = ${DAPI}\n`)], '!cat ~/.databrickscfg');
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].output).toBe(0);
  });

  it('in the output of a %%bash cell, which the taint analysis skips', async () => {
    const fs = await leaks([stream(`token = ${DAPI}\n`)], '%%bash\ncat ~/.databrickscfg');
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].output).toBe(0);
  });

  it('in the evalue of an error output: a GitHub token in a URL', async () => {
    const fs = await leaks([
      error('HTTPError', `404 Client Error: Not Found for url: https://x-access-token:${GHP}@github.com/org/repo`, [
        `${ESC}[0;31mHTTPError${ESC}[0m: 404 Client Error`,
      ]),
    ]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].output).toBe(0);
    expect(fs[0].message).toContain('GitHub token');
    expect(fs[0].message).toContain('ghp_********************************3z5A');
    expect(fs[0].message).not.toContain(GHP);
  });

  it('in an error traceback where ANSI colour codes surround the key', async () => {
    const fs = await leaks([
      error('ValueError', 'bad credentials', [
        `${ESC}[0;31m---------------------------------------------------------------------------${ESC}[0m`,
        `${ESC}[0;31mValueError${ESC}[0m                                Traceback (most recent call last)`,
        `Cell ${ESC}[0;32mIn[3], line 1${ESC}[0m\n${ESC}[0;32m----> 1${ESC}[0m connect(token=${ESC}[0;31m${DAPI}${ESC}[0m)`,
      ]),
    ]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].message).toContain('dapi****************************cdef');
  });

  it('in a traceback where ANSI codes surround an AWS secret key after a credential word', async () => {
    const fs = await leaks([error('ClientError', 'x', [`${ESC}[0;31mSecretAccessKey:${ESC}[0m ${ESC}[0;31m${SECRET}${ESC}[0m`])]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].message).toContain('AWS secret access key');
    expect(fs[0].message).toContain('G+Br********************************SFhY');
  });

  it('in an execute_result text/plain repr of botocore Credentials', async () => {
    const repr = `Credentials(access_key='${KEY_ID}', secret_key='${SECRET}', token='IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH')`;
    const output = executeResult({ 'text/plain': [repr] });
    const fs = await leaks([output], 'session.get_credentials()');
    expect(fs.filter((f) => f.ruleId === 'NBG401').map((f) => `${f.ruleId}@${f.cell}:${f.line}/${f.output}`)).toEqual(['NBG401@0:1/0']);
    const f = fs.find((x) => x.ruleId === 'NBG401')!;
    expect(f.message).toContain('ASIA************PLKJ');
    expect(f.message).not.toContain(KEY_ID);
    expect(f.message).not.toContain(SECRET);
    // The secret key is found too (the finding names the first credential of the output).
    const detectors = new CompiledRules(loadRuleSet()).detectors;
    const found = outputTexts(output as never).flatMap((t) => detectors.scan(t).map((m) => [m.detectorId, m.value]));
    expect(found).toEqual([
      ['aws-access-key-id', KEY_ID],
      ['aws-secret-access-key', SECRET],
    ]);
  });

  it('in display_data text/html with the key partly HTML-entity-encoded (&#x2F; for a slash)', async () => {
    const html = `<table><tr><th>secret</th><th>id</th></tr><tr><td>${SECRET.replace('/', '&#x2F;')}</td><td>${KEY_ID}</td></tr></table>`;
    const fs = await leaks([displayData({ 'text/html': html, 'text/plain': '<IPython.core.display.HTML object>' })]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].message).toContain('AWS secret access key');
    expect(fs[0].message).toContain('G+Br********************************SFhY');
    expect(fs[0].message).not.toContain(SECRET);
  });

  it('in application/json data: a token in a nested object', async () => {
    const fs = await leaks([displayData({ 'application/json': { cluster: { spark_env_vars: { DATABRICKS_HOST: 'https://adb.net', DATABRICKS_TOKEN: DAPI } } } })]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].message).toContain('dapi****************************cdef');
  });

  it('in a stream of JSON-escaped text (\\/ inside a secret key)', async () => {
    const text = `{"region": "us-east-1", "aws_secret_access_key": "${SECRET.replace('/', '\\/')}"}\n`;
    const fs = await leaks([stream(text)], 'print(json.dumps(cfg))');
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].message).toContain('G+Br********************************SFhY');
  });

  it('gives the index of the leaking output: the second of three', async () => {
    const fs = await leaks([stream('starting\n'), stream(`token ${DAPI}\n`, 'stderr'), displayData({ 'text/plain': 'done' })]);
    expect(short(fs)).toEqual(['NBG401@0:1']);
    expect(fs[0].output).toBe(1);
    expect(fs[0].message).toMatch(/ in output 2; clear the cell's outputs/);
  });

  it('scans the outputs of a notebook in another kernel language too', async () => {
    const fs = await analyse([{ source: 'Sys.getenv("DATABRICKS_TOKEN")', outputs: [stream(`[1] "${DAPI}"\n`)] }], 'R');
    expect(short(fs)).toEqual(['NBG401@0:1']);
  });

  it('is silenced by `# nbguard: ignore[NBG401]` on the first line of the cell', async () => {
    expect(short(await leaks([stream(`token ${DAPI}\n`)], 'result = run_job()  # nbguard: ignore[NBG401]'))).toEqual([]);
  });

  it('in a stream where a data:image URI comes before the token', async () => {
    const text = `chart: data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ\nDATABRICKS TOKEN ${DAPI}\n`;
    expect(short(await leaks([stream(text)]))).toEqual(['NBG401@0:1']);
  });

  it('in the output of `!env` holding an AWS secret key', async () => {
    const fs = await leaks([stream(`HOME=/root\nAWS_DEFAULT_REGION=us-east-1\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`)], '!env | grep AWS');
    expect(short(fs)).toEqual(['NBG401@0:1']);
  });
});

describe('NBG401 leaves alone', () => {
  it('markdown and raw cells, even with a token in their text or an outputs field', async () => {
    const nb = JSON.parse(
      ipynb([
        { type: 'markdown', source: `Our token is ${DAPI}` },
        { type: 'raw', source: `token = ${DAPI}` },
      ]),
    );
    for (const cell of nb.cells) cell.outputs = [stream(`token ${DAPI}\n`)];
    expect(short(await findings('t.ipynb', JSON.stringify(nb)))).toEqual([]);
  });

  it('code cells without outputs', async () => {
    expect(short(await leaks([]))).toEqual([]);
  });

  it.each([
    ['[REDACTED]', 'aws_secret_access_key = [REDACTED]\ntoken: [REDACTED]\n'],
    ['****', 'password: ****\ntoken = ********\n'],
    ['redaction placeholders', 'key REDACTED_AWS_ACCESS_KEY secret REDACTED_AWS_SECRET_ACCESS_KEY token REDACTED_DATABRICKS_TOKEN\n'],
    ["AWS's documented example keys", 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n'],
    ['a git commit SHA-1', 'HEAD is now at 4f608ca765e719129ed815a0ad77ddfb7dfc88a4 secret rotation\n'],
    ['an mlflow run id', "Run ID: 6f0c27e4b95a4d1f8e3bd7a0c1e59f24\nView run token-classifier at: https://adb.net/#mlflow/experiments/1/runs/6f0c27e4b95a4d1f8e3bd7a0c1e59f24\n"],
    ['a UUID', 'secret scope created: 123e4567-e89b-12d3-a456-426614174000\n'],
    ['a Hugging Face login message', 'Token is valid (permission: write).\nYour token has been saved to /root/.cache/huggingface/token\nLogin successful\n'],
    ['a URL without a password', 'Cloning into https://user@github.com/org/repo.git with token auth\n'],
    ['a secret reference', 'spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net {{secrets/kv/storage-key}}\n'],
  ])('a stream with %s', async (_what, text) => {
    expect(short(await leaks([stream(text)]))).toEqual([]);
  });

  it('an image/png output with a long random base64 payload', async () => {
    const png = `iVBORw0KGgoAAAANSUhEUgAA${randomBase64(7, 4000)}\n`;
    const fs = await leaks([
      displayData({ 'image/png': png, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }),
      executeResult({ 'image/png': png, 'text/plain': [`AWS secret key rotation chart`] }),
    ]);
    expect(short(fs)).toEqual([]);
  });

  it('an inline data:image/png;base64 image in text/html', async () => {
    const img = (payload: string) => `<p>AWS secret key rotation (${KEY_ID.replace('ASIA', 'ASIX')})</p><img alt="secret" src="data:image/png;base64,${payload}"/>`;
    const fs = await leaks([
      displayData({ 'text/html': img(randomBase64(11, 3000)) }),
      // Wrapped lines, and a 40-character last line right after the word "secret".
      displayData({ 'text/html': img(`${randomBase64(12, 76)}\n${randomBase64(13, 76)}\n${randomBase64(14, 40)}`) }),
      // A tiny payload of exactly 40 characters: a secret key if the image were read as text.
      displayData({ 'text/html': img(randomBase64(15, 40)) }),
    ]);
    expect(short(fs)).toEqual([]);
    const detectors = new CompiledRules(loadRuleSet()).detectors;
    expect(detectors.scan(img(randomBase64(15, 40))).map((m) => m.detectorId)).toEqual(['aws-secret-access-key']);
  });

  it('error outputs and tracebacks without credentials', async () => {
    const fs = await leaks([
      error('KeyError', "'DATABRICKS_TOKEN'", [`${ESC}[0;31mKeyError${ESC}[0m: 'DATABRICKS_TOKEN'`]),
      error('NoCredentialsError', 'Unable to locate credentials', []),
    ]);
    expect(short(fs)).toEqual([]);
  });
});

describe('one NBG401 per cell', () => {
  it('names every leaking output of a cell in one finding at line 1, with the first leaking index', async () => {
    const { findings, ipynb } = await import('./helpers');
    const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
    const text = ipynb([{ source: 'x = 1', count: 1, outputs: [stream('ok\n'), stream('token dapi7d582e595bf272824a13ef70e7a3cb85\n'), stream('GITHUB 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\n')] }]);
    const result = (await findings('o.ipynb', text)).filter((f) => f.ruleId === 'NBG401');
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ cell: 0, line: 1, output: 1, severity: 'error' });
    expect(result[0].message).toMatch(/Databricks personal access token \(dapi\*+cb85\) in output 2, a GitHub token \(ghp_\*+1gZj\) in output 3/);
  });
});

describe('credentials under a credential name in a printed dict or JSON text', () => {
  it('reports a password in a printed API response and an api_key in a printed config, masked', async () => {
    const fs = await analyse([
      { source: 'print(r.text)', outputs: [stream('{"type":"elasticsearch","credentials":{"password":"p4Y1kQz8Lm2Rv7Tn5Ya5","username":"admin"}}\n')] },
      { source: 'print(cfg)', outputs: [stream("[{'model': 'gpt-4o', 'api_key': 'sk9Xq2Lm7Rv4Tn8Kp3Zw'}]\n")] },
    ]);
    expect(fs.map((f) => `${f.ruleId}@${f.cell}`)).toEqual(['NBG401@0', 'NBG401@1']);
    expect(fs[0].message).toContain('credential under "password"');
    // A webhook signing secret in a printed object repr (issue 10, item 6).
    const [signing] = await analyse([{ source: 'print(endpoint)', outputs: [stream("WebhookEndpoint(id='we_1', new_signing_secret='whsec_Zq8Lm2Xr9Tn4Kp7Wc1Yd6Hf3Gs5Ae0')\n")] }]);
    expect(signing?.message).toContain('credential under "new_signing_secret"');
    expect(JSON.stringify(signing)).not.toContain('whsec_Zq8Lm2Xr9Tn4Kp7Wc1Yd6Hf3Gs5Ae0');
    expect(JSON.stringify(fs)).not.toContain('p4Y1kQz8Lm2Rv7Tn5Ya5');
  });

  it('does not report password hashes, placeholders or names', async () => {
    const fs = await analyse([
      { source: 'print(users)', outputs: [stream("{'name': 'ana', 'password': '$2b$12$KIXQJ8vN1c9zL0pT3qW5uOeR7yH2mB6dF4gA8sJ0kL2nX9cV1bZ3e'}\n")] },
      { source: 'print(cfg)', outputs: [stream("{'api_key': 'YOUR_API_KEY', 'token_type': 'bearer', 'secret_name': 'prod-db-password'}\n")] },
      // FAQ text quoting docker examples: an image's default login.
      { source: 'print(docs)', outputs: [stream('docker run -e PGADMIN_DEFAULT_PASSWORD="pgadmin" ... create_engine(\'postgresql://root:root@localhost:5432/ny_taxi\')\n')] },
    ]);
    expect(fs).toEqual([]);
  });

  it("does not read names in a chart's script (plotly.js in a stored HTML output), but still detects typed keys there", async () => {
    const chart = (js: string) => ({ output_type: 'display_data', data: { 'text/html': [`<div id="p"></div><script type="text/javascript">${js}</script>`] }, metadata: {} });
    const code = 'function r(e,t){e.withCredentials="include"===t.credentials;var u="https://api.mapbox.com/?access_token="+(n||D.ACCESS_TOKEN||"");return u}';
    expect(await analyse([{ source: 'fig.show()', outputs: [chart(code)] }])).toEqual([]);
    const typed = await analyse([{ source: 'fig.show()', outputs: [chart('var k="dapi7d582e595bf272824a13ef70e7a3cb85";')] }]);
    expect(typed.map((f) => f.ruleId)).toEqual(['NBG401']);
  });
});

describe('stored outputs found on the fourth real-world corpus', () => {
  it("GitHub's key id in a presigned release-download URL that wget logs is not the author's credential; a bare key id still is", async () => {
    const wget = "--2024-01-01--  https://objects.githubusercontent.com/github-production-release-asset-2e65be/1/2?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAZ7QW3RTY5UIOPLKJ%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=300\n";
    const { ipynb, findings } = await import('./helpers');
    const out = (text: string) => ({ output_type: 'stream', name: 'stderr', text: [text] });
    expect(await findings('w.ipynb', ipynb([{ source: '!wget https://github.com/x/y/releases/download/v1/w.zip', outputs: [out(wget)] }]))).toEqual([]);
    const bare = await findings('w.ipynb', ipynb([{ source: 'print(k)', outputs: [out('aws_access_key_id = AKIAZ7QW3RTY5UIOPLKJ\n')] }]));
    expect(bare.map((f) => f.ruleId)).toEqual(['NBG401']);
  });
});
