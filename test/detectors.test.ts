// The credential detectors of rules/detectors/, one by one: what each accepts (and which
// part of the text it reports), what it must leave alone, and the shared filters of
// notCredentials.ts and decodeUrlEscapes() they are built on.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeUrlEscapes } from '../server/src/analysis/detectors/builtinKinds';
import {
  isDottedClassName,
  isHexDigest,
  isPathLike,
  isPlaceholder,
  isSecretReference,
  isUrlWithoutPassword,
  isUuid,
} from '../server/src/analysis/detectors/notCredentials';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { randomBase64 } from './helpers';

const detectors = new CompiledRules(loadRuleSet()).detectors;

/** [detector id, matched value] of every match; also checks that the offsets point at the value. */
function scan(text: string, name?: string): [string, string][] {
  const found = detectors.scan(text, { name });
  for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.value);
  return found.map((m) => [m.detectorId, m.value]);
}

/** The values one detector reported in `text`. */
function valuesOf(id: string, text: string, name?: string): string[] {
  return scan(text, name)
    .filter(([d]) => d === id)
    .map(([, v]) => v);
}

const KEY_ID = 'AKIAZ7QW3RTY5UIOPLKJ';
/** Random 40-character base64 AWS secret keys (entropy about 4.8 bits per character). */
const SECRET = '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';
const SECRET_TWO_SLASHES = 'Zm7/vQCVCLF5dXnl1TABpKzQ6DPdKHojWwz/z2kW';
const SECRET_WITH_PAD = 'G+BrL7i7U29f8chHB/xeWyPHnmHZqI8ZqWT7SFh=';
const DAPI = 'dapi0123456789abcdef0123456789abcdef';
const GH_BODY = 'LYrxG9IYBU3epK2kRH1RPyfXpVImFx0jRrKq'; // 36 characters: 30 random + their CRC-32 in base 62
const GITHUB_PAT = 'github_pat_11ABCDEFG0123456789abc_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5AaB3dE5fG7hJ9kL1mN3pQ5rS';
const AZURE_KEY = 'IpHYzcMQQR5+wnN4pmHJNRh8B+TVY26bw8QAsnJEuM06l/Ea5lEHBQamigLw4WGvN/hsuQeHOMNw8H6NO1g7rQ==';

/** The detectors this file tests in depth (every detector's samples: test/detector-samples.test.ts). */
const COVERED = [
  'aws-access-key-id',
  'aws-secret-access-key',
  'databricks-token',
  'github-classic-token',
  'github-fine-grained-token',
  'github-app-installation-token',
  'slack-token',
  'private-key',
  'gcp-service-account',
  'azure-storage-key',
  'url-credentials',
  'connection-string-password',
  'azure-shared-access-key',
  'slack-webhook',
];

describe('the built-in detector set', () => {
  it('holds every detector these tests cover (test/detector-samples.test.ts checks the others by their samples)', () => {
    const ids = detectors.detectors.map((d) => d.id);
    for (const id of COVERED) expect(ids, id).toContain(id);
  });

  it('fixtures have the lengths their formats need', () => {
    for (const s of [SECRET, SECRET_TWO_SLASHES, SECRET_WITH_PAD]) expect(s).toHaveLength(40);
    expect(GH_BODY).toHaveLength(36);
    expect(AZURE_KEY).toHaveLength(88);
    expect(DAPI).toHaveLength(36);
  });
});

describe('aws-access-key-id', () => {
  it.each(['AKIA', 'ASIA', 'ABIA', 'ACCA'])('reports a %s key id', (prefix) => {
    const id = prefix + KEY_ID.slice(4);
    expect(scan(id)).toEqual([['aws-access-key-id', id]]);
    expect(scan(`aws_access_key_id=${id},`)).toEqual([['aws-access-key-id', id]]);
    expect(scan(`{"AccessKeyId": "${id}"}`)).toEqual([['aws-access-key-id', id]]);
  });

  it('reports the key id in the user part of an s3a URI', () => {
    expect(valuesOf('aws-access-key-id', `s3a://${KEY_ID}:${SECRET}@bucket/path`)).toEqual([KEY_ID]);
  });

  it.each([
    ["AWS's documented example key id", 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['a key id preceded by a letter', `X${KEY_ID}`],
    ['a key id preceded by a digit', `1${KEY_ID}`],
    ['a key id followed by an alphanumeric', `${KEY_ID}9`],
    ['a key id inside a longer upper-case run', `ABCDEF${KEY_ID}GHIJ`],
    ['a lower-case key id', KEY_ID.toLowerCase()],
    ['19 characters', KEY_ID.slice(0, 19)],
    ['characters outside base32 (0, 1, 8, 9)', 'AKIAZ7QW3RTY5UIOPL18'],
    ['another prefix', 'AKIB' + KEY_ID.slice(4)],
  ])('does not report %s', (_what, text) => {
    expect(valuesOf('aws-access-key-id', text)).toEqual([]);
  });
});

describe('aws-secret-access-key', () => {
  describe('accepts a random 40-character key with context', () => {
    it('with a key id nearby', () => {
      expect(scan(`('${KEY_ID}', '${SECRET}')`)).toEqual([
        ['aws-access-key-id', KEY_ID],
        ['aws-secret-access-key', SECRET],
      ]);
      expect(valuesOf('aws-secret-access-key', `${SECRET_TWO_SLASHES} ${KEY_ID}`)).toEqual([SECRET_TWO_SLASHES]);
    });

    it.each(['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'secret_key', 'SecretAccessKey', 'fs.s3a.secret.key'])(
      'with %s as the context name',
      (name) => {
        expect(scan(SECRET, name)).toEqual([['aws-secret-access-key', SECRET]]);
      },
    );

    it.each([
      ['aws_secret_access_key = ', 'a credential variable'],
      ['secret: ', 'secret'],
      ['password ', 'password'],
      ['credential: ', 'credential'],
      ['session token and key ', 'token'],
      ['spark.conf.set("fs.s3a.secret.key", "', 'a credential config key'],
      ['spark.hadoop.fs.s3a.access.key=... fs.s3a: ', 'fs.s3a'],
    ])('after %j (%s) within 60 characters', (before) => {
      expect(valuesOf('aws-secret-access-key', `${before}${SECRET}"`)).toEqual([SECRET]);
    });

    it('when the credential word is 40 characters before the key, but not 100', () => {
      expect(valuesOf('aws-secret-access-key', `password${' '.repeat(40)}${SECRET}`)).toEqual([SECRET]);
      expect(valuesOf('aws-secret-access-key', `password${' '.repeat(100)}${SECRET}`)).toEqual([]);
    });

    it('random keys from a generator, with a name, a key id or a credential word as context', () => {
      let checked = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const key = randomBase64(seed * 7919, 40);
        checked++;
        expect(valuesOf('aws-secret-access-key', key, 'aws_secret_access_key'), key).toEqual([key]);
        expect(valuesOf('aws-secret-access-key', `${KEY_ID} ${key}`), key).toEqual([key]);
        expect(valuesOf('aws-secret-access-key', `secret: ${key}`), key).toEqual([key]);
      }
      expect(checked).toBe(300);
    });

    // The form of .env files, `export`, `!env` and spark-defaults lines: `=` is not part of the key.
    it.each([
      ['AWS_SECRET_ACCESS_KEY=', 'AWS_SECRET_ACCESS_KEY'],
      ['export AWS_SECRET_ACCESS_KEY=', 'AWS_SECRET_ACCESS_KEY'],
      ['aws_secret_access_key=', 'aws_secret_access_key'],
      ['secret=', 'secret'],
      ['fs.s3a.secret.key=', 'fs.s3a.secret.key'],
      ['--secret-key=', 'secret-key'],
    ])('directly after %j, with no space after the =', (before) => {
      expect(valuesOf('aws-secret-access-key', `${before}${SECRET}`)).toEqual([SECRET]);
    });

    it('a random key that starts with a slash', () => {
      const key = '/s7jsCtMeeRRhcVuAXjfIsogF3PsDUGANe3YwyPv';
      expect(valuesOf('aws-secret-access-key', `aws_secret_access_key = ${key}`)).toEqual([key]);
      expect(valuesOf('aws-secret-access-key', `${KEY_ID} ${key}`)).toEqual([key]);
    });
  });

  describe('inside an s3a://ID:SECRET@bucket URI', () => {
    const uri = (secret: string) => `INFO FileScanRDD: Reading File path: s3a://${KEY_ID}:${secret}@test-bucket/test/path, range: 0-1`;

    it.each([
      ['plain', SECRET, SECRET],
      ['%2F', SECRET.replace('/', '%2F'), SECRET],
      ['%252F', SECRET.replace('/', '%252F'), SECRET],
      ['%2f', SECRET.replace('/', '%2f'), SECRET],
      ['%252f', SECRET.replace('/', '%252f'), SECRET],
      ['%2B', SECRET.replace('+', '%2B'), SECRET],
      ['%2b', SECRET.replace('+', '%2b'), SECRET],
      ['%252B', SECRET.replace('+', '%252B'), SECRET],
      ['%3D', SECRET_WITH_PAD.replace('=', '%3D'), SECRET_WITH_PAD],
      ['%253d', SECRET_WITH_PAD.replace('=', '%253d'), SECRET_WITH_PAD],
      ['%2B and %2F together', SECRET.replace('+', '%2B').replace('/', '%2F'), SECRET],
      ['two slashes, %2F', SECRET_TWO_SLASHES.replaceAll('/', '%2F'), SECRET_TWO_SLASHES],
    ])('with %s encoding, reporting the key as written', (_enc, written, decoded) => {
      expect(scan(uri(written))).toEqual([
        ['aws-access-key-id', KEY_ID],
        ['aws-secret-access-key', written],
      ]);
      expect(decodeUrlEscapes(written)).toBe(decoded);
    });

    it('with a user that is not a key id: the URI shape is the context', () => {
      expect(valuesOf('aws-secret-access-key', `s3a://loader:${SECRET.replace('/', '%2F')}@bucket/p`)).toEqual([SECRET.replace('/', '%2F')]);
    });

    it.each([
      ['39 characters once decoded', SECRET.slice(0, 39).replace('/', '%2F')],
      ['41 characters once decoded', (SECRET + 'Q').replace('/', '%2F')],
      ['39 characters plus an encoded =', SECRET.slice(0, 38).replace('/', '%2F') + '%3D'],
    ])('not when the key is %s (the URL password is still reported)', (_what, written) => {
      const found = scan(uri(written));
      expect(found.map(([id]) => id)).not.toContain('aws-secret-access-key');
      expect(found).toContainEqual(['url-credentials', written]);
    });
  });

  describe('rejects', () => {
    const contexts = (value: string) => [`aws_secret_access_key = ${value}`, `${KEY_ID} ${value}`, `secret: "${value}"`];

    it.each([
      ['a SHA-1 hex digest', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      ['an upper-case SHA-1 hex digest', 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709'],
      ['a git commit', '4f608ca765e719129ed815a0ad77ddfb7dfc88a4'],
      ['a 40-character relative path', 'mnt/RawData/Customers/ChurnModel/Feature'],
      ['a 40-character path in lower case', 'data/warehouse/customers/churn/modelv12x'],
      ['a 40-character CamelCase identifier', 'DataFrameReaderWriterConfigurationHelper'],
      ['another 40-character CamelCase identifier', 'SparkSessionBuilderConfigurationProvider'],
      ['the documented example key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['a key with EXAMPLE inside', 'G+BrL7i7U29f8chHB/xeWyPHnmHZqIEXAMPLESFh'],
      ['40 characters of one case', 'G+BRL7I7U29F8CHHB/XEWYPHNMHZQI8ZQWT7SFHY'],
      ['a low-entropy 40-character run', 'AbAbAbAbAbAbAbAbAbAbAbAbAbAbAbAbAbAbAbAb'],
    ])('%s, whatever the context', (_what, value) => {
      expect(value).toHaveLength(40);
      for (const text of contexts(value)) expect(valuesOf('aws-secret-access-key', text), text).toEqual([]);
      expect(valuesOf('aws-secret-access-key', value, 'aws_secret_access_key')).toEqual([]);
    });

    it('base64-encoded English text without context', () => {
      const encoded = Buffer.from('the quick brown fox jumps over lazy').toString('base64').slice(0, 40);
      expect(encoded).toBe('dGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVy');
      expect(scan(`payload ${encoded} end`)).toEqual([]);
    });

    it('a random 40-character key with no context at all', () => {
      expect(scan(SECRET)).toEqual([]);
      expect(scan(`value: ${SECRET_TWO_SLASHES}`)).toEqual([]);
      expect(scan(SECRET, 'region')).toEqual([]);
    });

    it('a 40-character window of a longer base64 run (200 characters), even with context', () => {
      const run = randomBase64(42, 200);
      expect(scan(run)).toEqual([]);
      for (const text of contexts(run)) expect(valuesOf('aws-secret-access-key', text), text).toEqual([]);
    });

    it('a key that is part of a longer base64 run on either side', () => {
      expect(valuesOf('aws-secret-access-key', `aws_secret_access_key = ${SECRET}x`)).toEqual([]);
      expect(valuesOf('aws-secret-access-key', `aws_secret_access_key = x${SECRET}`)).toEqual([]);
      expect(valuesOf('aws-secret-access-key', `aws_secret_access_key = ${SECRET}%2F`)).toEqual([]);
    });

    it('a random 40-character string far from the only key id in the text', () => {
      const text = `${KEY_ID}\n${'INFO progress ok\n'.repeat(500)}checksum ${SECRET}\n`;
      expect(scan(text)).toEqual([['aws-access-key-id', KEY_ID]]);
    });
  });
});

describe('databricks-token', () => {
  it.each([
    ['a bare token', DAPI, DAPI],
    ['an assignment', `token = ${DAPI}`, DAPI],
    ['a bearer header', `Authorization: Bearer ${DAPI}`, DAPI],
    ['a token with a -2 suffix', `${DAPI}-2`, `${DAPI}-2`],
    ['a databrickscfg line', `[DEFAULT]\nhost = https://adb-1.azuredatabricks.net\ntoken = ${DAPI}\n`, DAPI],
  ])('reports %s', (_what, text, value) => {
    expect(scan(text)).toEqual([['databricks-token', value]]);
  });

  it.each([
    ['dapi + 31 hex', DAPI.slice(0, -1)],
    ['dapi + 33 hex (a longer run)', `${DAPI}a`],
    ['upper-case hex', 'dapi' + DAPI.slice(4).toUpperCase()],
    ['a token preceded by a letter', `x${DAPI}`],
    ['non-hex characters', 'dapi0123456789abcdef0123456789abcdeg'],
  ])('does not report %s', (_what, text) => {
    expect(valuesOf('databricks-token', text)).toEqual([]);
  });
});

describe('github-classic-token and github-fine-grained-token', () => {
  it.each(['ghp', 'gho', 'ghs', 'ghu', 'ghr'])('reports a %s_ token', (prefix) => {
    const token = `${prefix}_${GH_BODY}`;
    expect(scan(`GITHUB_TOKEN=${token}`)).toEqual([['github-classic-token', token]]);
    // In a URL the token is also the URL password: the same range, reported once, as a GitHub token.
    expect(scan(`https://x-access-token:${token}@github.com/org/repo`)).toEqual([['github-classic-token', token]]);
  });

  it('reports a fine-grained github_pat_ token', () => {
    expect(scan(`headers = {"Authorization": "token ${GITHUB_PAT}"}`)).toEqual([['github-fine-grained-token', GITHUB_PAT]]);
  });

  it.each([
    ['35 characters', `ghp_${GH_BODY.slice(1)}`],
    ['37 characters (a longer run)', `ghp_${GH_BODY}B`],
    ['a prefix inside an identifier', `my_ghp_${GH_BODY}`],
    ['a short github_pat_', 'github_pat_short_one'],
    ['another prefix', `ghx_${GH_BODY}`],
    ['an EXAMPLE token', `ghp_EXAMPLE${GH_BODY.slice(7)}`],
  ])('does not report %s', (_what, text) => {
    expect(valuesOf('github-classic-token', text)).toEqual([]);
    expect(valuesOf('github-fine-grained-token', text)).toEqual([]);
  });
});

describe('slack-token', () => {
  it.each([
    'xoxb-123456789012-1234567890123-aB3dE5fG7hJ9kL1mN3pQ5rS7',
    'xoxp-123456789012-1234567890-abcdefABCDEF',
    'xoxa-2-123456789012-abcdefghij',
    'xoxr-123456789012-abcdefghij',
  ])('reports %s', (token) => {
    expect(scan(`SLACK_TOKEN=${token}`)).toEqual([['slack-token', token]]);
  });

  it.each([
    ['a too-short token', 'xoxb-short'],
    ['another letter', 'xoxz-123456789012-abcdefghijkl'],
    ['a prefix inside a word', 'abcxoxb-123456789012-abcdefghijkl'],
  ])('does not report %s', (_what, text) => {
    expect(valuesOf('slack-token', text)).toEqual([]);
  });
});

describe('azure-storage-key', () => {
  it.each([
    ['AccountKey= in a connection string', `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`],
    ['spark.conf.set(fs.azure.account.key...)', `spark.conf.set("fs.azure.account.key.acct.dfs.core.windows.net", "${AZURE_KEY}")`],
    ['a spark-defaults line with =', `fs.azure.account.key.acct.blob.core.windows.net=${AZURE_KEY}`],
    ['a cluster spark_conf line with a space', `spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net ${AZURE_KEY}`],
    ['a JSON config', `{"fs.azure.account.key.acct.dfs.core.windows.net": "${AZURE_KEY}"}`],
  ])('reports the key after %s', (_what, text) => {
    expect(scan(text)).toEqual([['azure-storage-key', AZURE_KEY]]);
  });

  it.each([
    ['the key without context', AZURE_KEY],
    ['a key without the == ending', `AccountKey=${AZURE_KEY.slice(0, 86)}`],
    ['88 characters ending in a single =', `AccountKey=${AZURE_KEY.slice(0, 86)}Q=`],
    ['an unrelated config key', `spark.conf.set("fs.azure.sas.token.provider.type", "${AZURE_KEY}")`],
  ])('does not report %s', (_what, text) => {
    expect(valuesOf('azure-storage-key', text)).toEqual([]);
  });
});

/** 64 characters of random bytes in base64: a key body's shape (not a key). */
const BODY = 'z+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN';

describe('gcp-service-account', () => {
  it('reports the "private_key" entry of a service-account JSON', () => {
    const json = JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: 'abc123', private_key: `-----BEGIN PRIVATE KEY-----\n${BODY}\n-----END PRIVATE KEY-----\n` });
    expect(scan(json)).toEqual([['gcp-service-account', '"private_key":"-----BEGIN PRIVATE KEY-----']]);
    expect(scan(`"private_key" : "-----BEGIN RSA PRIVATE KEY-----\\n${BODY}`)).toEqual([['gcp-service-account', '"private_key" : "-----BEGIN RSA PRIVATE KEY-----']]);
  });

  it('does not report a service-account file whose key is a stub', () => {
    expect(scan('{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n"}')).toEqual([]);
  });

  it.each([
    ['a private_key_id', '{"private_key_id": "0123456789abcdef"}'],
    ['an empty private_key', '{"type": "service_account", "private_key": ""}'],
    ['a redacted private_key', '{"private_key": "[REDACTED]"}'],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('private-key', () => {
  // Keys made here, at test time, and used nowhere: the formats a notebook would hold.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const ed = generateKeyPairSync('ed25519').privateKey;
  it.each([
    ['RSA (PKCS#1)', rsa.export({ type: 'pkcs1', format: 'pem' }) as string, '-----BEGIN RSA PRIVATE KEY-----'],
    ['EC (SEC1)', ec.export({ type: 'sec1', format: 'pem' }) as string, '-----BEGIN EC PRIVATE KEY-----'],
    ['Ed25519 (PKCS#8, one body line)', ed.export({ type: 'pkcs8', format: 'pem' }) as string, '-----BEGIN PRIVATE KEY-----'],
    ['encrypted PKCS#8', rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw-for-test' }) as string, '-----BEGIN ENCRYPTED PRIVATE KEY-----'],
    ['encrypted PKCS#1 (Proc-Type, DEK-Info)', rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw-for-test' }) as string, '-----BEGIN RSA PRIVATE KEY-----'],
  ])('reports a %s key in a string', (_what, pem, header) => {
    expect(scan(`key = """${pem}"""`)).toEqual([['private-key', header]]);
  });

  it('reports a key in JSON, its lines as \\n escapes', () => {
    const json = JSON.stringify({ key: ed.export({ type: 'pkcs8', format: 'pem' }) });
    expect(scan(json)).toEqual([['private-key', '-----BEGIN PRIVATE KEY-----']]);
  });

  it('reports a key whose END was cut off', () => {
    const pem = rsa.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(scan(pem.split('\n').slice(0, 3).join('\n'))).toEqual([['private-key', '-----BEGIN RSA PRIVATE KEY-----']]);
  });

  it.each([
    ['a header alone', '-----BEGIN RSA PRIVATE KEY-----'],
    ['a documentation stub', '-----BEGIN PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END PRIVATE KEY-----'],
    ['a placeholder body', '-----BEGIN PRIVATE KEY-----\n<paste your key here>\n-----END PRIVATE KEY-----'],
    ['a filler body', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n-----END PRIVATE KEY-----`],
    ['a message naming the format', 'ValueError: expected -----BEGIN PRIVATE KEY----- at line 1'],
    ['a public key', '-----BEGIN PUBLIC KEY-----'],
    ['an RSA public key', '-----BEGIN RSA PUBLIC KEY-----'],
    ['a certificate', '-----BEGIN CERTIFICATE-----'],
    ['the words alone', 'BEGIN RSA PRIVATE KEY'],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('url-credentials', () => {
  it.each([
    ['postgresql', 'postgresql://admin:S3cr3tPassw0rd@db.example.com:5432/app', 'S3cr3tPassw0rd'],
    ['postgres', 'postgres://admin:S3cr3tPassw0rd@db:5432/app', 'S3cr3tPassw0rd'],
    ['mysql', 'mysql://root:hunter2@localhost/db', 'hunter2'],
    ['mysql+pymysql', 'mysql+pymysql://etl:Pq7xLm2Zt9@10.0.0.5:3306/sales', 'Pq7xLm2Zt9'],
    ['mongodb+srv', 'mongodb+srv://svc:Pq7xLm2Zt9@cluster0.ab1cd.mongodb.net/test?retryWrites=true', 'Pq7xLm2Zt9'],
    ['https', 'https://deploy:Gh7tokenValue@git.example.com/repo.git', 'Gh7tokenValue'],
    ['a low-entropy password', 'postgresql://admin:aaaaaaaa@db/app', 'aaaaaaaa'],
    ['a one-letter password', 'postgresql://admin:a@db/app', 'a'],
    ['a URL-encoded password', 'postgresql://admin:Pa%24%24w0rd@db/app', 'Pa%24%24w0rd'],
    ['the host following in a concatenation', 'postgresql://admin:Hunter2pass@', 'Hunter2pass'],
    ['a URL inside a log line', 'connecting to redis://default:Vq3tR8pLm2xZw@cache:6379/0 ...', 'Vq3tR8pLm2xZw'],
  ])('reports the password of a %s URL', (_what, text, password) => {
    expect(scan(text)).toEqual([['url-credentials', password]]);
  });

  it.each([
    ['{password}', 'postgresql://admin:{password}@db.example.com/app'],
    ['%s', 'postgresql://admin:%s@db.example.com/app'],
    ['%(pw)s', 'postgresql://admin:%(pw)s@db.example.com/app'],
    ['${PW}', 'postgresql://admin:${PW}@db.example.com/app'],
    ['$PGPASSWORD', 'postgresql://admin:$PGPASSWORD@db.example.com/app'],
    ['<password>', 'postgresql://admin:<password>@db.example.com/app'],
    ['****', 'postgresql://admin:****@db.example.com/app'],
    ['{{secrets/s/k}}', 'postgresql://admin:{{secrets/s/k}}@db.example.com/app'],
    ['changeme', 'postgresql://admin:changeme@db.example.com/app'],
    ['password', 'mysql://root:password@localhost/db'],
    ['xxxx', 'postgresql://admin:xxxx@db.example.com/app'],
    ['[REDACTED]', 'postgresql://admin:[REDACTED]@db.example.com/app'],
    ['REDACTED_CREDENTIALS', 'postgresql://loader:REDACTED_CREDENTIALS@pg.internal:5432/db'],
    ['no password', 'postgresql://admin@db.example.com/app'],
    ['a port, no user', 'https://example.com:8443/path'],
    ['an empty password', 'postgresql://admin:@db.example.com/app'],
    // A database image's default login on the local machine, quoted in tutorials and FAQs.
    ['root:root@localhost', "engine = create_engine('postgresql://root:root@localhost:5432/ny_taxi')"],
    ['postgres:postgres@127.0.0.1', 'postgresql://postgres:postgres@127.0.0.1/db'],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });

  it.each([
    ['the user name as password on another host', 'postgresql://root:root@db.example.com/app', 'root'],
    ['another password on localhost', 'postgresql://root:r00tPass@localhost/app', 'r00tPass'],
    ['a local host name that only starts like localhost', 'postgresql://root:root@localhost-db.corp/app', 'root'],
  ])('still reports %s', (_what, text, password) => {
    expect(scan(text)).toEqual([['url-credentials', password]]);
  });

  it('reports a URL-encoded password whose first character is escaped', () => {
    expect(scan('postgresql://admin:%40dm1nPa55@db.example.com/app')).toEqual([['url-credentials', '%40dm1nPa55']]);
  });
});

describe('connection-string-password', () => {
  it.each([
    ['JDBC sqlserver, last parameter', 'jdbc:sqlserver://h:1433;database=d;user=u;password=Tr0ub4dor3x', 'Tr0ub4dor3x'],
    ['JDBC sqlserver, middle parameter', 'jdbc:sqlserver://h:1433;user=u;password=Tr0ub4dor3x;encrypt=true', 'Tr0ub4dor3x'],
    ['JDBC postgresql query string', 'jdbc:postgresql://h:5432/db?user=u&password=Tr0ub4dor3x&ssl=true', 'Tr0ub4dor3x'],
    ['ODBC PWD=', 'Driver={ODBC Driver 18 for SQL Server};Server=h;UID=u;PWD=Tr0ub4dor3x;', 'Tr0ub4dor3x'],
    ['ODBC Pwd= in mixed case', 'DRIVER={ODBC};SERVER=h;UID=u;Pwd=Tr0ub4dor3x', 'Tr0ub4dor3x'],
    ['PASSWORD= in upper case', 'jdbc:sqlserver://h;user=u;PASSWORD=Tr0ub4dor3x', 'Tr0ub4dor3x'],
    ['a short literal', 'jdbc:sqlserver://h;user=u;password=a1', 'a1'],
    ['escaped quotes of a printed repr', "'PlainLoginModule required username=\\'svc\\' password=\\'Tr0ub4dor3x\\';'", 'Tr0ub4dor3x'],
  ])('reports %s', (_what, text, password) => {
    expect(scan(text)).toEqual([['connection-string-password', password]]);
  });

  it.each([
    ['Pwd={}', 'DRIVER={ODBC};SERVER=h;UID=u;Pwd={};'],
    ['an empty password before ;', 'jdbc:sqlserver://h;user=u;password=;encrypt=true'],
    ['an empty password at the end', 'jdbc:sqlserver://h;user=u;password='],
    ['{password}', 'jdbc:sqlserver://h;user=u;password={password}'],
    ['${DB_PW}', 'jdbc:sqlserver://h;user=u;password=${DB_PW}'],
    ['<password>', 'jdbc:sqlserver://h;user=u;password=<password>'],
    ['****', 'jdbc:sqlserver://h;user=u;password=****'],
    ['%s', 'jdbc:sqlserver://h;user=u;password=%s'],
    ['{{secrets/s/k}}', 'jdbc:sqlserver://h;user=u;password={{secrets/s/k}}'],
    ['changeme', 'jdbc:sqlserver://h;user=u;password=changeme'],
    ['a longer parameter name', 'jdbc:sqlserver://h;user=u;mypassword=Tr0ub4dor3x'],
    ['a format template in a printed repr', "'PlainLoginModule required username=\\'{}\\' password=\\'{}\\';'.format("],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('placeholders in fixed-prefix formats', () => {
  // The contract's placeholders (`xxx`, `YOUR_...`) are not credentials even behind a real prefix.
  it.each([
    ['an AWS key id of X', 'aws_access_key_id = AKIAXXXXXXXXXXXXXXXX'],
    ['a GitHub token of x', 'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['a Slack token of X', 'SLACK_BOT_TOKEN=xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['a Slack your-token-here', 'SLACK_BOT_TOKEN=xoxb-your-token-here'],
    ['an Azure account key of x', `AccountKey=${'x'.repeat(86)}==;`],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('overlapping matches', () => {
  it('keep one match per range: the AWS secret, not the URL password holding the same characters', () => {
    const found = detectors.scan(`s3a://${KEY_ID}:${SECRET}@bucket/p`);
    expect(found.map((m) => m.detectorId)).toEqual(['aws-access-key-id', 'aws-secret-access-key']);
    expect(found[1].redaction).toBe('REDACTED_AWS_SECRET_ACCESS_KEY');
  });

  it('name a typed credential where a catch-all matches the same characters', () => {
    const token = `ghp_${GH_BODY}`;
    expect(scan(`Server=db;User Id=sa;Password=${token};`)).toEqual([['github-classic-token', token]]);
    expect(scan(`https://user:${token}@github.com/org/repo.git`)).toEqual([['github-classic-token', token]]);
    // Alone, the catch-alls still report it.
    expect(scan('Server=db;User Id=sa;Password=Tr0ub4dor3x;')).toEqual([['connection-string-password', 'Tr0ub4dor3x']]);
  });

  it('keep the GCP service-account match over the PEM header inside it', () => {
    expect(scan(`{"private_key": "-----BEGIN PRIVATE KEY-----\\n${BODY}"}`).map(([id]) => id)).toEqual(['gcp-service-account']);
  });

  it('report several credentials of one text in order', () => {
    const text = `token=${DAPI} gh=ghp_${GH_BODY} url=postgresql://u:S3cr3tPassw0rd@h/db`;
    expect(scan(text)).toEqual([
      ['databricks-token', DAPI],
      ['github-classic-token', `ghp_${GH_BODY}`],
      ['url-credentials', 'S3cr3tPassw0rd'],
    ]);
  });
});

describe('notCredentials filters', () => {
  it.each([
    '',
    '   ',
    '<password>',
    '<your-token>',
    '{password}',
    '${PW}',
    '$DB_PASSWORD',
    '%s',
    '%(pw)s',
    'xxx',
    'XXXXXXXX',
    '***',
    '****',
    '•••••',
    'changeme',
    'CHANGE_ME',
    'YOUR_API_KEY',
    'your-token',
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'REDACTED',
    'REDACTED_AWS_ACCESS_KEY',
    '[REDACTED]',
    'password',
    'token_here',
    '...',
  ])('isPlaceholder(%j) is true', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });

  it.each(['Tr0ub4dor3x', 'S3cr3tPassw0rd', 'hunter2', 'password123', DAPI, SECRET, 'a'])('isPlaceholder(%j) is false', (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });

  it('isSecretReference', () => {
    for (const v of ['{{secrets/scope/key}}', '{{ secrets/prod/db-password }}', "secret('scope', 'key')", "SECRET('s','k')"]) {
      expect(isSecretReference(v), v).toBe(true);
    }
    for (const v of ['{{secrets}}', 'secrets/scope/key', '{password}', 'Tr0ub4dor3x', "secret('scope')"]) {
      expect(isSecretReference(v), v).toBe(false);
    }
  });

  it('isHexDigest: MD5, SHA-1, SHA-256 lengths in either case, nothing else', () => {
    for (const v of [
      '6f0c27e4b95a4d1f8e3bd7a0c1e59f24',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]) {
      expect(isHexDigest(v), v).toBe(true);
    }
    for (const v of ['da39a3ee5e6b4b0d3255bfef95601890afd8070', 'da39a3ee5e6b4b0d3255bfef95601890afd8070g', '4f608ca', SECRET, DAPI.slice(4) + 'ab']) {
      expect(isHexDigest(v), v).toBe(false);
    }
  });

  it('isUuid', () => {
    expect(isUuid('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(isUuid('123E4567-E89B-12D3-A456-426614174000')).toBe(true);
    expect(isUuid('123e4567e89b12d3a456426614174000')).toBe(false);
    expect(isUuid('123e4567-e89b-12d3-a456-42661417400')).toBe(false);
    expect(isUuid('x123e4567-e89b-12d3-a456-426614174000')).toBe(false);
  });

  it('isPathLike: absolute, home, relative, Windows, dbfs: and cloud URIs, and wordy relative paths', () => {
    for (const v of [
      '/dbfs/mnt/keys/service.json',
      '~/.aws/credentials',
      './data/x',
      '../x',
      'C:\\Users\\me\\key.pem',
      'dbfs:/FileStore/x',
      's3a://bucket/key',
      's3://bucket/key',
      'abfss://c@a.dfs.core.windows.net/p',
      'gs://bucket/p',
      'wasbs://c@a.blob.core.windows.net/p',
      'file:/tmp/x',
      'data/warehouse/customers/churn/model_v12',
      'mnt/RawData/Customers/ChurnModel/Feature',
    ]) {
      expect(isPathLike(v), v).toBe(true);
    }
    for (const v of ['Tr0ub4dor3x', 'a/b', 'q8VnTz/LkwTz7Wp/Rb5Xc9Mf1Hd4Gs6Jy0Ae8UiO', SECRET, SECRET_TWO_SLASHES]) {
      expect(isPathLike(v), v).toBe(false);
    }
  });

  it('isPathLike: random base64 with slashes is not path-like', () => {
    let withSlashes = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const key = randomBase64(seed * 104729, 40);
      if (key.startsWith('/') || key.split('/').length < 2) continue;
      withSlashes++;
      expect(isPathLike(key), key).toBe(false);
    }
    expect(withSlashes).toBeGreaterThan(100);
  });

  it('isDottedClassName', () => {
    for (const v of [
      'org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider',
      'com.amazonaws.auth.DefaultAWSCredentialsProviderChain',
      'fs.s3a.secret.key',
    ]) {
      expect(isDottedClassName(v), v).toBe(true);
    }
    for (const v of ['Tr0ub4dor3x', 'S3cr3t.Passw0rd', 'a.B', SECRET]) expect(isDottedClassName(v), v).toBe(false);
  });

  it('isUrlWithoutPassword', () => {
    for (const v of ['https://example.com:8443/path', 'https://example.com/?token=abc', 's3a://bucket/path', 'https://login.example.com/oauth']) {
      expect(isUrlWithoutPassword(v), v).toBe(true);
    }
    for (const v of ['postgresql://admin:S3cr3t@db/app', 'https://u:p@h', 'not a url', 'example.com/path']) {
      expect(isUrlWithoutPassword(v), v).toBe(false);
    }
  });

  it('isUrlWithoutPassword accepts a URL with a user but no password', () => {
    expect(isUrlWithoutPassword('https://user@example.com/path')).toBe(true);
    expect(isUrlWithoutPassword('ssh://git@github.com/org/repo.git')).toBe(true);
  });
});

describe('decodeUrlEscapes', () => {
  it.each([
    ['abc%2Fdef', 'abc/def'],
    ['abc%2fdef', 'abc/def'],
    ['abc%252Fdef', 'abc/def'],
    ['abc%252fdef', 'abc/def'],
    ['a%2Bb%2bc', 'a+b+c'],
    ['a%252Bb%252b', 'a+b+'],
    ['a%3Db%3d', 'a=b='],
    ['a%253D', 'a='],
    [SECRET.replace('/', '%2F').replace('+', '%252B'), SECRET],
  ])('decodes %j to %j', (input, output) => {
    expect(decodeUrlEscapes(input)).toBe(output);
  });

  it.each([
    ['other escapes', 'a%41b%20c%40'],
    ['a lone %25', '%25'],
    ['%2525 (not a / + = escape)', '%2525'],
    ['a triple-encoded slash (only once or twice is decoded)', '%25252F'],
    ['plain text', SECRET],
  ])('leaves %s alone', (_what, input) => {
    expect(decodeUrlEscapes(input)).toBe(input);
  });
});

describe('azure-shared-access-key', () => {
  const KEY = 'q3Vb7Lm2Xz9Rt4Kp8Wn1Yc6Hd5Jf0Gs2Ae7Uq9Wo4Zx='; // 44 characters, 32 bytes
  it('reports the key of an Event Hubs connection string', () => {
    expect(KEY).toHaveLength(44);
    expect(scan(`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${KEY};EntityPath=hub`)).toEqual([
      ['azure-shared-access-key', KEY],
    ]);
  });

  it.each([
    ['a placeholder', 'SharedAccessKey=<key>'],
    ['a key name only', 'SharedAccessKeyName=RootManageSharedAccessKey'],
    ['a longer base64 value', `SharedAccessKey=${KEY.slice(0, -1)}AAAA=`],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('slack-webhook', () => {
  const PATH = 'T0A1B2C3D/B0A1B2C3D4E/Zq8Lm2Xr9Tn4Kp7Wc1Yd6Hf3';
  it('reports the secret path of an incoming-webhook URL', () => {
    expect(scan(`requests.post("https://hooks.slack.com/services/${PATH}", json=msg)`)).toEqual([['slack-webhook', PATH]]);
  });

  it.each([
    ['the documented placeholder', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['a fill-in', 'https://hooks.slack.com/services/YOUR/WEBHOOK/URL'],
    ['the bare host', 'https://hooks.slack.com/services/'],
  ])('does not report %s', (_what, text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('checks every typed format shares', () => {
  it('drops a documentation sample whose random part has eight ascending characters', () => {
    expect(scan('api_key = "sk_live_51234567890abcdefghijklmnop"')).toEqual([]);
    expect(scan('api_key = "sk_live_51Hq8Zr2Lm7Xt4Kp9Wc3Yd6F"').map(([id]) => id)).toEqual(['stripe-secret-key']);
  });

  it('reports a GitHub token whose checksum fails as a warning, named so (the contract names tokens by shape)', () => {
    const found = detectors.scan('GITHUB_TOKEN=ghp_YDuP6XGGjayLE8vEfd1qHRJxQMNOGh0iLMlA');
    expect(found.map((m) => [m.detectorId, m.confidence, m.detectorName])).toEqual([['github-classic-token', 'medium', 'GitHub token (its checksum does not verify)']]);
    expect(detectors.scan('GITHUB_TOKEN=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').map((m) => m.confidence)).toEqual(['high']);
  });
});
