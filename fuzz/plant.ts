// The credentials the fuzzer plants, where it plants them, and how to tell whether a planted
// credential survived the mutations intact (so that the tool must still treat it as one).
//
// None of these is a real credential. They are shaped to pass nbguard's detectors (no EXAMPLE,
// enough entropy), and they appear nowhere else in the repository.

import type { Rng } from './prng';

export const AWS_KEY_ID = 'AKIAR7TZ3QW5MXK2LPDN';
export const AWS_SECRET = 'k3Jr8Tg5Fd0Sa/Ye+Uc7Wqh7Kp2Qw9Zx4Vb6Nm1L';
export const DAPI_TOKEN = 'dapic4f1a9e07b3d58e2f6a1c9d04b7e3f28';
// A classic token with its CRC-32 checksum (the last six characters), as real ones have.
export const GITHUB_TOKEN = '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';
export const URL_PASSWORD = 'Vq7xLm2Rz9Tw4Kp8';
export const DB_URL = `postgresql://etl_loader:${URL_PASSWORD}@pg.internal:5432/sales`;
/** The value `dbutils.secrets.get` returned, as a stored output shows it after `print(tok)`. */
export const PRINTED_TOKEN = 'dapi9b2e7d41c6f08a35e1d4b9c72f0a6e13';
export const PEM_BODY = [
  'MIIEpAIBAAKCAQEAwq7Jf2Zk9LmT3vXy8RnB1cD4eF6gH0iJ5kL7mN9oP2qR4sT6',
  'uV8wX0yZ1aB3cD5eF7gH9iJ2kL4mN6oP8qR0sT3uV5wX7yZ9aB1cD3eF5gH7iJ9',
  'kL2mN4oP6qR8sT0uV2wX4yZ6aB8cD0eF2gH4iJ6kL8mN0oP3qR5sT7uV9wX1yZ3',
];
export const PEM_BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
export const PEM_END = '-----END RSA PRIVATE KEY-----';
export const PEM = [PEM_BEGIN, ...PEM_BODY, PEM_END].join('\n');

export interface Planted {
  readonly id: string;
  readonly value: string;
}

/** Every planted credential: none may ever be printed in full. */
export const PLANTED: readonly Planted[] = [
  { id: 'aws-key-id', value: AWS_KEY_ID },
  { id: 'aws-secret', value: AWS_SECRET },
  { id: 'dapi', value: DAPI_TOKEN },
  { id: 'ghp', value: GITHUB_TOKEN },
  { id: 'url-password', value: URL_PASSWORD },
  { id: 'printed-dbutils-secret', value: PRINTED_TOKEN },
  ...PEM_BODY.map((value, i) => ({ id: `pem-line-${i + 1}`, value })),
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A line break as it may appear in the inputs: real, CRLF, JSON-escaped, or between ipynb source list items. */
const BREAK = String.raw`(?:\r?\n|\\r\\n|\\n)(?:",\s*")?`;

/** A line break in the input's text: real, or JSON-escaped inside a notebook. */
const LINE_BREAK = /\r?\n|\\n/;

const PEM_PREFIX = PEM_BODY.map((_, i) => new RegExp(esc(PEM_BEGIN) + BREAK + PEM_BODY.slice(0, i + 1).map(esc).join(BREAK) + `(?![A-Za-z0-9+/])`));

/** Where a planted credential stands whole in a context its detector accepts: the start offsets. */
function intactAt(id: string, t: string): number[] {
  const all = (re: RegExp) => [...t.matchAll(re)].map((m) => m.index!);
  switch (id) {
    case 'aws-key-id':
      return all(new RegExp(`(?<![A-Z0-9])${AWS_KEY_ID}(?![A-Z0-9])`, 'g'));
    case 'aws-secret':
      // A secret key is only a secret key next to its key id or a credential word (the detector's context).
      return all(new RegExp(`(?<![A-Za-z0-9+/%])${esc(AWS_SECRET)}(?![A-Za-z0-9+/=%])`, 'g')).filter((start) => {
        const end = start + AWS_SECRET.length;
        // Only within the line: redact reads line by line, and a notebook's code comes as lines too.
        const line = (a: number, b: number) => t.slice(a, b).split(LINE_BREAK);
        const before = line(Math.max(0, start - 200), start).pop() ?? '';
        const after = line(end, end + 200)[0] ?? '';
        return (
          new RegExp(`(?<![A-Z0-9])${AWS_KEY_ID}(?![A-Z0-9])`).test(before + AWS_SECRET + after) ||
          /secret|credential|token|fs\.s3a/i.test(before.slice(-60)) ||
          (t[start - 1] === ':' && t[end] === '@')
        );
      });
    case 'dapi':
      return all(new RegExp(`(?<![A-Za-z0-9])${DAPI_TOKEN}(?![A-Za-z0-9])`, 'g'));
    case 'printed-dbutils-secret':
      return all(new RegExp(`(?<![A-Za-z0-9])${PRINTED_TOKEN}(?![A-Za-z0-9])`, 'g'));
    case 'ghp':
      return all(new RegExp(`(?<![A-Za-z0-9_])${GITHUB_TOKEN}(?![A-Za-z0-9_])`, 'g'));
    case 'url-password':
      return all(new RegExp(`\\b[A-Za-z][A-Za-z0-9+.-]{1,30}://etl_loader:${URL_PASSWORD}@pg\\.internal`, 'g'));
    default: {
      const i = Number(id.replace('pem-line-', '')) - 1;
      // where the body line itself starts, at the end of the match
      return [...t.matchAll(new RegExp(PEM_PREFIX[i].source, 'g'))].map((m) => m.index! + m[0].length - PEM_BODY[i].length);
    }
  }
}

function positions(text: string, value: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) out.push(i);
  return out;
}

/** JSON string escapes undone, so that a notebook's code reads as the reports show it. */
function unescapeJson(text: string): string {
  return text.replace(/\\n",\s*"/g, '\\n').replace(/\\(["\\/nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

const CONTEXT = 10;

/** The text around a copy, within its line: before, NUL, after. */
function contextAt(text: string, at: number, length: number): string {
  const before = text.slice(Math.max(0, at - CONTEXT), at).split(/\r?\n/).pop()!;
  const after = text.slice(at + length, at + length + CONTEXT).split(/\r?\n/)[0];
  return `${before}\u0000${after}`;
}

/** Two surroundings agree where both are known (a line end or the end of a command cuts one short). */
function sameContext(a: string, b: string): boolean {
  const [ab, aa] = a.split('\u0000');
  const [bb, ba] = b.split('\u0000');
  const before = ab.endsWith(bb) || bb.endsWith(ab);
  const after = aa.startsWith(ba) || ba.startsWith(aa);
  return before && after;
}

export interface PlantedInInput extends Planted {
  /** Start offsets (in the input's latin1 text) of the copies that stand whole in their context. */
  readonly intactAt: readonly number[];
  /** The surroundings of the other copies, cut from their context: an output may echo those. */
  readonly strayContexts: ReadonlySet<string>;
}

/**
 * The planted credentials that are still whole, in a context where nbguard's detectors accept
 * them, somewhere in the input: the ones no output may show. A credential the mutations cut or
 * moved out of its context is no longer one, and is not checked.
 */
export function intactSecrets(input: string): PlantedInInput[] {
  const out: PlantedInInput[] = [];
  const plain = input.includes('\\') ? unescapeJson(input) : input;
  for (const p of PLANTED) {
    if (!input.includes(p.value)) continue;
    const intact = intactAt(p.id, input);
    if (intact.length === 0) continue;
    const whole = new Set(intactAt(p.id, plain));
    const strayContexts = new Set(positions(plain, p.value).filter((at) => !whole.has(at)).map((at) => contextAt(plain, at, p.value.length)));
    out.push({ ...p, intactAt: intact, strayContexts });
  }
  return out;
}

/**
 * The copies of a credential in an output that are leaks: those not standing in the
 * surroundings of one of the input's stray (cut) copies, which a code frame may legitimately echo.
 */
export function leakedCopies(output: string, s: PlantedInInput): number {
  if (!output.includes(s.value)) return 0;
  const plain = output.includes('\\') ? unescapeJson(output) : output;
  const strays = [...s.strayContexts];
  return positions(plain, s.value).filter((at) => {
    const c = contextAt(plain, at, s.value.length);
    // a code frame's line (`  12 | ...`) echoing a stray copy that begins a line of code
    if (strays.length > 0 && /\d+ \| \s*$/.test(c.split('\u0000')[0])) return false;
    return !strays.some((x) => sameContext(x, c));
  }).length;
}

/**
 * Redact keeps lines: a line of the output leaks when it holds more copies of a credential than
 * the same line of the input has copies that are not intact.
 */
export function leakedLines(input: string, output: string, s: PlantedInInput): number[] {
  const inLines = input.split('\n');
  const outLines = output.split('\n');
  if (inLines.length !== outLines.length) return positions(output, s.value).length > positions(input, s.value).length - s.intactAt.length ? [0] : [];
  const lineStarts: number[] = [];
  let offset = 0;
  for (const l of inLines) {
    lineStarts.push(offset);
    offset += l.length + 1;
  }
  const intactPerLine = new Map<number, number>();
  for (const at of s.intactAt) {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    intactPerLine.set(lo, (intactPerLine.get(lo) ?? 0) + 1);
  }
  const leaked: number[] = [];
  for (const [line, intact] of intactPerLine) {
    const copies = positions(outLines[line], s.value).length;
    if (copies > positions(inLines[line], s.value).length - intact) leaked.push(line);
  }
  return leaked;
}

/** A value masked for reports: the first and last four characters. */
export function mask(value: string): string {
  return value.length <= 8 ? '*'.repeat(value.length) : `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

/** Text with every planted credential masked: for failure excerpts. */
export function maskAll(text: string): string {
  let out = text;
  for (const p of PLANTED) out = out.split(p.value).join(mask(p.value));
  return out;
}

/** Does the line carry planted material (a piece of a credential, a PEM line): redact may change it. */
export function carriesSecretMaterial(line: string): boolean {
  if (/PRIVATE KEY|REDACTED/.test(line)) return true;
  if (/^[\s"']*[A-Za-z0-9+/=]{16,}[\s"',\\n]*$/.test(line)) return true; // a PEM body line, or a piece of one
  for (const p of PLANTED) {
    for (let i = 0; i + 8 <= p.value.length; i += 4) if (line.includes(p.value.slice(i, i + 8))) return true;
    if (line.includes(p.value.slice(-8))) return true;
  }
  return false;
}

// ---- where the credentials are planted -----------------------------------------------------

export type PlantKind = 'aws' | 'dapi' | 'ghp' | 'pem' | 'url' | 'dbutils';
export const PLANT_KINDS: readonly PlantKind[] = ['aws', 'dapi', 'ghp', 'pem', 'url', 'dbutils'];

/** Python code that plants one credential (the dbutils flow plants none in the code: its value is in the output). */
export function plantCode(kind: PlantKind, rng: Rng): string {
  switch (kind) {
    case 'aws':
      return rng.pick([
        `aws_access_key_id = "${AWS_KEY_ID}"\naws_secret_access_key = "${AWS_SECRET}"`,
        `s3 = boto3.client("s3", aws_access_key_id="${AWS_KEY_ID}", aws_secret_access_key="${AWS_SECRET}")`,
        `spark.conf.set("fs.s3a.access.key", "${AWS_KEY_ID}")\nspark.conf.set("fs.s3a.secret.key", "${AWS_SECRET}")`,
        `df = spark.read.parquet("s3a://${AWS_KEY_ID}:${AWS_SECRET}@vendor-bucket/landing/")`,
      ]);
    case 'dapi':
      return rng.pick([
        `DATABRICKS_TOKEN = "${DAPI_TOKEN}"\nheaders = {"Authorization": f"Bearer {DATABRICKS_TOKEN}"}`,
        `# the old token was ${DAPI_TOKEN}\nx = 1`,
        `requests.get("https://adb-1.azuredatabricks.net/api/2.0/clusters/list", headers={"Authorization": "Bearer ${DAPI_TOKEN}"})`,
      ]);
    case 'ghp':
      return rng.pick([
        `GITHUB_TOKEN = "${GITHUB_TOKEN}"`,
        `headers = {"Authorization": "token ${GITHUB_TOKEN}"}\nprint(headers)`,
        `os.environ["GITHUB_TOKEN"] = "${GITHUB_TOKEN}"`,
      ]);
    case 'pem':
      return rng.pick([`KEY = """${PEM}"""\nprint(KEY)`, `key = "${PEM.replaceAll('\n', '\\n')}"`, `with open("/tmp/id_rsa", "w") as f:\n    f.write("""${PEM}""")`]);
    case 'url':
      return rng.pick([
        `engine = create_engine("${DB_URL}")`,
        `url = "${DB_URL}"\nprint(url)`,
        `df = spark.read.format("jdbc").option("url", "${DB_URL}").load()`,
      ]);
    case 'dbutils':
      return rng.pick([
        `tok = dbutils.secrets.get("prod", "api-token")\nprint(tok)`,
        `tok = dbutils.secrets.get(scope="prod", key="api-token")\nprint(f"token: {tok}")`,
        `import logging\ntok = dbutils.secrets.get("prod", "api-token")\nlogging.warning("using %s", tok)\nprint(tok)`,
      ]);
  }
}

/** The stored output of a planted cell: the dbutils flow printed the secret's value. */
export function plantedOutput(kind: PlantKind, rng: Rng): unknown[] {
  if (kind === 'dbutils') {
    return [rng.pick([
      { output_type: 'stream', name: 'stdout', text: [`${PRINTED_TOKEN}\n`] },
      { output_type: 'stream', name: 'stdout', text: `token: ${PRINTED_TOKEN}\n` },
      { output_type: 'stream', name: 'stderr', text: [`WARNING:root:using ${PRINTED_TOKEN}\n`] },
    ])];
  }
  if (kind === 'pem' && rng.chance(0.5)) return [{ output_type: 'stream', name: 'stdout', text: `${PEM}\n` }];
  if (kind === 'ghp' && rng.chance(0.5)) return [{ output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/plain': [`{'Authorization': 'token ${GITHUB_TOKEN}'}`] } }];
  if (kind === 'url' && rng.chance(0.5)) {
    return [{ output_type: 'error', ename: 'OperationalError', evalue: `could not connect to ${DB_URL}`, traceback: ['Traceback (most recent call last)', `OperationalError: could not connect to ${DB_URL}`] }];
  }
  return [];
}

/** Log lines that carry one credential, as Spark drivers, shells and HTTP clients print them. */
export function plantLog(kind: PlantKind, rng: Rng): string {
  switch (kind) {
    case 'aws':
      return rng.pick([
        `24/05/01 10:00:01 INFO FileScanRDD: Reading File path: s3a://${AWS_KEY_ID}:${AWS_SECRET}@vendor-bucket/landing/part-0001.parquet, range: 0-1024`,
        `export AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\nexport AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
        `spark.hadoop.fs.s3a.access.key ${AWS_KEY_ID} spark.hadoop.fs.s3a.secret.key ${AWS_SECRET}`,
        `{"aws_access_key_id": "${AWS_KEY_ID}", "aws_secret_access_key": "${AWS_SECRET}"}`,
      ]);
    case 'dapi':
      return rng.pick([`curl -H "Authorization: Bearer ${DAPI_TOKEN}" https://adb-1.azuredatabricks.net/api/2.0/jobs/list`, `DATABRICKS_TOKEN=${DAPI_TOKEN}`]);
    case 'ghp':
      return rng.pick([`remote: https://${GITHUB_TOKEN}@github.com/acme/etl.git`, `GITHUB_TOKEN=${GITHUB_TOKEN}`]);
    case 'pem':
      return rng.pick([PEM, `{"private_key": "${PEM.replaceAll('\n', '\\n')}\\n", "client_email": "svc@acme.iam"}`]);
    case 'url':
      return rng.pick([`ERROR Connection refused: ${DB_URL}`, `jdbc url=${DB_URL} retries=3`]);
    case 'dbutils':
      return rng.pick([`${PRINTED_TOKEN}`, `token: ${PRINTED_TOKEN}`, `WARNING:root:using ${PRINTED_TOKEN}`]);
  }
}
