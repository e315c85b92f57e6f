// redact() and `nbguard redact`: every credential the detectors accept becomes its REDACTED_*
// placeholder; everything else passes byte for byte and the number of lines never changes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { redact } from '../server/src/analysis/redact/redactor';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

const detectors = new CompiledRules(loadRuleSet()).detectors;
const r = (text: string) => redact(text, detectors);
const SECRET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn'; // the seed's example secret key

describe('redact()', () => {
  it("redacts the seed's s3a URI with plain, %2F and %252F (either case) secrets", () => {
    const line = 'INFO FileScanRDD: Reading File path: s3a://AKIAABCDEFGHIJKLMNOP:SECRET@test-bucket/test/path, range: ...';
    const expected = 'INFO FileScanRDD: Reading File path: s3a://REDACTED_AWS_ACCESS_KEY:REDACTED_AWS_SECRET_ACCESS_KEY@test-bucket/test/path, range: ...';
    for (const secret of [SECRET, 'ABCDEFGHIJ%2FLMNOPQRSTUVWXYZabcdefghijklmn', 'ABCDEFGHIJ%252fLMNOPQRSTUVWXYZabcdefghijklmn', 'ABCDEFGHIJ%2BLMNOPQRSTUVWXYZabcdefghijklm%3D']) {
      expect(r(line.replace('SECRET', secret)), secret).toBe(expected);
    }
  });

  it('uses the placeholder of each kind of credential', () => {
    expect(r('token = dapi7d582e595bf272824a13ef70e7a3cb85')).toBe('token = REDACTED_DATABRICKS_TOKEN');
    expect(r('url: postgresql://loader:Vq3!tR8pLm2xZw@pg.internal:5432/db')).toBe('url: postgresql://loader:REDACTED_CREDENTIALS@pg.internal:5432/db');
    expect(r('GITHUB_TOKEN=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')).toBe('GITHUB_TOKEN=REDACTED_GITHUB_TOKEN');
    expect(r('jdbc:sqlserver://h:1433;user=u;password=Pg!9xQv2mR7t;encrypt=true')).toBe('jdbc:sqlserver://h:1433;user=u;password=REDACTED_SECRET;encrypt=true');
    expect(r('Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=q3Vb7Lm2Xz9Rt4Kp8Wn1Yc6Hd5Jf0Gs2Ae7Uq9Wo4Zx=;EntityPath=e')).toBe(
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=REDACTED_AZURE_SHARED_ACCESS_KEY;EntityPath=e',
    );
    expect(r('POST https://hooks.slack.com/services/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 200')).toBe('POST https://hooks.slack.com/services/REDACTED_SLACK_WEBHOOK 200');
  });

  it('takes quoted and starred passwords but not a variable named like one', () => {
    expect(r('jdbc:x://h;password=xDUavhE**--mUU;a=1')).toBe('jdbc:x://h;password=REDACTED_SECRET;a=1');
    expect(r('psycopg2.connect(host="h", password="Pg!9xQv2mR7tLz#4")')).toBe('psycopg2.connect(host="h", password="REDACTED_SECRET")');
    expect(r('engine = create_engine(URL.create(password=pg_password))')).toBe('engine = create_engine(URL.create(password=pg_password))');
  });

  it('redacts a PEM private key across lines and keeps the line count', () => {
    const text = 'before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKe6BZhclYYcNZ97rvXKZoCIGA30\n-----END RSA PRIVATE KEY-----\nafter\n';
    expect(r(text)).toBe('before\nREDACTED_PRIVATE_KEY\nREDACTED_PRIVATE_KEY\nREDACTED_PRIVATE_KEY\nREDACTED_PRIVATE_KEY\nafter\n');
    expect(r('"key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n", "x": 1')).toBe('"key": "REDACTED_PRIVATE_KEY\\n", "x": 1');
  });

  it('leaves everything that is not a credential exactly as it was', () => {
    const clean = [
      '26/11/22 04:01:02 INFO FileScanRDD: Reading File path: s3a://bucket/events/dt=2024-01-01/part-00001.snappy.parquet, range: 0-134217728',
      '\tat org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:116)',
      'commit 4f608ca765e719129ed815a0ad77ddfb7dfc88a4 run 6f0c27e4b95a4d1f8e3bd7a0c1e59f24',
      'documented example AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'password=<redacted> token=[REDACTED] secret=**** url=postgresql://user:{password}@host/db',
      'Token is valid (permission: write). Your token has been saved to /home/jovyan/.cache/huggingface/token',
      'caf\u00e9 \u00fcber \r',
    ].join('\n');
    expect(r(clean)).toBe(clean);
  });
});

describe('Analyzer.redact', () => {
  it('is the library entry point the editor uses to mask outputs', async () => {
    const { Analyzer } = await import('../server/src/analysis');
    const analyzer = await createAnalyzer();
    expect(analyzer).toBeInstanceOf(Analyzer);
    expect(analyzer.redact('key AKIAQ3EGRSTUVWXYZ234\nfine')).toBe('key REDACTED_AWS_ACCESS_KEY\nfine');
  });
});

describe('nbguard redact', () => {
  const cli = resolve(__dirname, '..', 'dist', 'cli.js');

  it('streams a file byte for byte except credentials, also invalid UTF-8 and a last line without newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-redact-'));
    const file = join(dir, 'driver.log');
    const bytes = Buffer.concat([
      Buffer.from(`ok line\ns3a://AKIAABCDEFGHIJKLMNOP:${SECRET}@b/p\r\n`),
      Buffer.from([0xff, 0xfe, 0x41, 0x0a]), // not UTF-8
      Buffer.from('last token dapi7d582e595bf272824a13ef70e7a3cb85'),
    ]);
    writeFileSync(file, bytes);
    const out = execFileSync(process.execPath, [cli, 'redact', file]);
    const expected = Buffer.concat([
      Buffer.from('ok line\ns3a://REDACTED_AWS_ACCESS_KEY:REDACTED_AWS_SECRET_ACCESS_KEY@b/p\r\n'),
      Buffer.from([0xff, 0xfe, 0x41, 0x0a]),
      Buffer.from('last token REDACTED_DATABRICKS_TOKEN'),
    ]);
    expect(out.equals(expected)).toBe(true);
  });

  it('reads standard input when no file is given, and exits 2 for a missing file', () => {
    const out = execFileSync(process.execPath, [cli, 'redact'], { input: 'x AKIAQ3EGRSTUVWXYZ234 y\n' }).toString();
    expect(out).toBe('x REDACTED_AWS_ACCESS_KEY y\n');
    let status = 0;
    try {
      execFileSync(process.execPath, [cli, 'redact', '/nonexistent.log'], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
