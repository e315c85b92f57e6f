// What the generated driver log hides: credentials that `nbguard redact` must remove, in the
// places they leak in real Spark logs (s3a://KEY:SECRET@bucket URIs in file scans and stack
// traces, printed configurations and environments, JDBC URLs, DSNs, PEM blocks printed by a
// notebook), and decoys it must leave alone (the AWS documentation key, SHA-1 digests, 40-char
// paths and class names, masked values and placeholders next to the words that make the
// redactor look closer). Each plant is a record of lines plus the ground truth for it.

import { ALNUM, BASE32, BASE64, DIGITS, Random, Weighted } from './random';
import { BUCKETS, s3Path, stackTrace, TABLES, type LogContext } from './sparkLog';
import { base62, crc32 } from '../../server/src/analysis/detectors/validators';

/** One ground-truth entry of a plant, relative to the record's first line. */
export interface PlantItem {
  /** Line index inside the record. */
  at: number;
  /** Lines covered (a PEM block spans many). */
  span: number;
  kind: string;
  /** Credentials: the texts that must be gone after redaction. Decoys: the texts that must survive. */
  values: string[];
  decoy: boolean;
}

export interface Plant {
  lines: string[];
  items: PlantItem[];
}

type PlantMaker = (c: LogContext) => Plant;

const line = (c: LogContext, level: string, logger: string, message: string) => `${c.clock.now()} ${level} ${logger}: ${message}`;
const one = (text: string, kind: string, values: string[], decoy = false): Plant => ({ lines: [text], items: [{ at: 0, span: 1, kind, values, decoy }] });

export function awsKeyId(r: Random): string {
  return `${r.chance(0.8) ? 'AKIA' : 'ASIA'}${r.chars(BASE32, 16)}`;
}

/** A random AWS secret access key: 40 base64 characters; `slash` forces at least one '/'. */
export function awsSecret(r: Random, slash: boolean): string {
  for (;;) {
    const s = r.chars(slash ? BASE64 : ALNUM, 40);
    if (slash ? s.includes('/') : true) return s;
  }
}

export type Encoding = 'plain' | '%2F' | '%2f' | '%252F' | '%252f';

/** The secret as it appears in a URI: '/' and '+' percent-encoded once or twice, in either case. */
export function encodeSecret(secret: string, enc: Encoding): string {
  if (enc === 'plain') return secret;
  const twice = enc.startsWith('%25');
  const lower = enc === '%2f' || enc === '%252f';
  const esc = (hex: string) => `%${twice ? '25' : ''}${lower ? hex.toLowerCase() : hex}`;
  return secret.replace(/[/+]/g, (ch) => esc(ch === '/' ? '2F' : '2B'));
}

function s3aUri(c: LogContext, enc: Encoding): Plant {
  const r = c.rng;
  const id = awsKeyId(r);
  const secret = encodeSecret(awsSecret(r, enc !== 'plain'), enc);
  const uri = `s3a://${id}:${secret}@${s3Path(r)}`;
  const kind = `s3a://ID:SECRET@ URI (${enc})`;
  const values = [id, secret];
  switch (r.int(3)) {
    case 0:
      return one(line(c, 'INFO', 'FileScanRDD', `Reading File path: ${uri}, range: 0-${r.range(1000000, 134217728)}, partition values: [empty row]`), kind, values);
    case 1:
      return one(line(c, 'INFO', 'InMemoryFileIndex', `Listing leaf files and directories in parallel under 1 paths. The first several paths are: ${uri.slice(0, uri.lastIndexOf('/'))}.`), kind, values);
    default: {
      const lines = stackTrace(c, `java.io.FileNotFoundException: No such file or directory: ${uri}`, 'java.io.IOException: Stream is closed!');
      return { lines, items: [{ at: 0, span: 1, kind, values, decoy: false }] };
    }
  }
}

const keyIdAlone: PlantMaker = (c) => {
  const id = awsKeyId(c.rng);
  return one(line(c, 'WARN', 'AWSCredentialProviderList', `Credentials from SimpleAWSCredentialsProvider with access key ${id} were rejected by ${c.rng.pick(BUCKETS)}: 403 Forbidden`), 'AWS access key id alone', [id]);
};

/** The notebook printed its Hadoop configuration, secret included (plain base64, '/' and '+' raw). */
const secretInConfig: PlantMaker = (c) => {
  const r = c.rng;
  const id = awsKeyId(r);
  const secret = awsSecret(r, r.chance(0.7));
  return one(`{'fs.s3a.access.key': '${id}', 'fs.s3a.secret.key': '${secret}', 'fs.s3a.endpoint': 's3.eu-west-1.amazonaws.com', 'fs.s3a.path.style.access': 'false'}`, 'AWS key pair in a printed config', [id, secret]);
};

const databricksToken: PlantMaker = (c) => {
  const r = c.rng;
  const token = `dapi${r.hex(32)}${r.chance(0.3) ? `-${r.range(1, 3)}` : ''}`;
  return r.chance(0.5)
    ? one(line(c, 'INFO', 'DatabricksApiClient', `GET https://adb-${r.range(1000000000000000, 9999999999999999)}.${r.range(1, 19)}.azuredatabricks.net/api/2.0/clusters/get headers={Authorization=Bearer ${token}, User-Agent=databricks-sdk-py/0.20.0}`), 'Databricks token', [token])
    : one(`DATABRICKS_HOST=https://dbc-${r.hex(8)}-${r.hex(4)}.cloud.databricks.com DATABRICKS_TOKEN=${token}`, 'Databricks token', [token]);
};

const githubToken: PlantMaker = (c) => {
  const r = c.rng;
  // A classic token's last six characters are the CRC-32 of the first thirty in base 62.
  const body = r.chars(ALNUM, 30);
  const token = `ghp_${body}${base62(crc32(body), 6)}`;
  return one(line(c, 'INFO', 'PythonDriverLocal', `Running pip install git+https://${token}@github.com/acme-data/etl-utils.git@v${r.range(1, 4)}.${r.range(0, 20)}.${r.range(0, 9)}`), 'GitHub token', [token]);
};

const slackToken: PlantMaker = (c) => {
  const r = c.rng;
  const token = `xoxb-${r.chars(DIGITS, 11)}-${r.chars(DIGITS, 13)}-${r.chars(ALNUM, 24)}`;
  return one(line(c, 'INFO', 'SlackAlerts', `posting job summary to #etl-alerts with token=${token}`), 'Slack token', [token]);
};

function password(r: Random): string {
  return r.chars(`${ALNUM}!#^*_-`, r.range(12, 22));
}

const postgresDsn: PlantMaker = (c) => {
  const r = c.rng;
  const pw = password(r);
  const scheme = r.pick(['postgresql', 'postgres', 'postgresql+psycopg2']);
  return one(line(c, 'INFO', 'SqlAlchemyEngine', `connecting to ${scheme}://etl_user:${pw}@pg-analytics.eu.acme-data.internal:5432/${r.pick(TABLES)} (pool_size=5)`), 'postgres://user:password@host DSN', [pw]);
};

const jdbcPassword: PlantMaker = (c) => {
  const r = c.rng;
  const pw = password(r);
  const url = r.chance(0.5)
    ? `jdbc:sqlserver://sql-prod.database.windows.net:1433;database=${r.pick(TABLES)};user=etl_loader;password=${pw};encrypt=true;loginTimeout=30`
    : `jdbc:postgresql://pg-analytics.eu.acme-data.internal:5432/warehouse?user=etl_loader&password=${pw}&ssl=true`;
  return one(line(c, 'INFO', 'JDBCRelation', `Number of partitions: ${r.range(1, 64)}, WHERE clauses of these partitions: "id" < 1000 , url: ${url}`), 'JDBC password= parameter', [pw]);
};

/** A private key the notebook printed (a service-account file, a deploy key): BEGIN, body, END lines. */
const privateKey: PlantMaker = (c) => {
  const r = c.rng;
  // Real keys start with the DER (or openssh-key-v1) header, which is what some scanners check.
  const [type, magic, width] = r.pick<[string, string, number]>([
    ['RSA ', 'MIIEowIBAAKCAQEA', 64],
    ['', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ', 64],
    ['EC ', 'MHcCAQEEI', 64],
    ['OPENSSH ', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAA', 70],
  ]);
  const body: string[] = [];
  const n = r.range(8, 25);
  for (let i = 0; i < n; i++) {
    const text = r.chars(BASE64, i === n - 1 ? r.range(8, 60) : width);
    body.push(i === 0 ? magic + text.slice(magic.length) : text);
  }
  const lines = [`-----BEGIN ${type}PRIVATE KEY-----`, ...body, `-----END ${type}PRIVATE KEY-----`];
  return { lines: [`deploy key loaded from /dbfs/FileStore/keys/deploy_${r.hex(6)}:`, ...lines], items: [{ at: 1, span: lines.length, kind: 'PEM private key (multi-line)', values: body, decoy: false }] };
};

export const CREDENTIALS = new Weighted<PlantMaker>([
  [2, keyIdAlone],
  [3, (c) => s3aUri(c, 'plain')],
  [2, (c) => s3aUri(c, '%2F')],
  [1, (c) => s3aUri(c, '%2f')],
  [2, (c) => s3aUri(c, '%252F')],
  [1, (c) => s3aUri(c, '%252f')],
  [1.5, secretInConfig],
  [2, databricksToken],
  [1, githubToken],
  [1, slackToken],
  [1.5, postgresDsn],
  [1.5, jdbcPassword],
  [0.5, privateKey],
]);

// ---- decoys ----

const EXAMPLE_ID = 'AKIAIOSFODNN7EXAMPLE';
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const exampleKey: PlantMaker = (c) => {
  const r = c.rng;
  if (r.chance(0.5)) return one(line(c, 'WARN', 'S3AFileSystem', `fs.s3a.access.key is the documentation example ${EXAMPLE_ID}; requests will fail with 403`), 'AWS documentation key (EXAMPLE)', [EXAMPLE_ID], true);
  const secret = encodeSecret(EXAMPLE_SECRET, '%2F');
  return one(line(c, 'INFO', 'FileScanRDD', `Reading File path: s3a://${EXAMPLE_ID}:${secret}@${s3Path(r)}, range: 0-4096, partition values: [empty row]`), 'AWS documentation key (EXAMPLE)', [EXAMPLE_ID, secret], true);
};

const sha1NearSecret: PlantMaker = (c) => {
  const r = c.rng;
  const digest = r.chance(0.8) ? r.hex(40) : r.hex(40).toUpperCase();
  return one(line(c, 'INFO', 'SecretManagerClient', `secret scope ${r.pick(['etl', 'vendor-s3', 'finance'])} synced, token cache etag ${digest}`), 'SHA-1 digest next to "secret"/"token"', [digest], true);
};

/** A 40-character path of letters, digits and '/', the aws-secret regex's alphabet. */
function path40(r: Random): string {
  const prefix = r.pick(['/databricks/driver/secrets/', '/dbfs/mnt/credentials/', '/local/disk0/tmp/secretstore/']);
  const words = ['warehouse', 'orders', 'vendor', 'finance', 'landing', 'exports', 'daily'];
  let rest = '';
  while (prefix.length + rest.length < 40) rest += (rest ? '/' : '') + r.pick(words);
  rest = rest.slice(0, 40 - prefix.length);
  if (rest.endsWith('/')) rest = `${rest.slice(0, -1)}${r.int(10)}`;
  return prefix + rest;
}

const pathNearSecret: PlantMaker = (c) => {
  const p = path40(c.rng);
  return one(line(c, 'INFO', 'SecretManagerClient', `loading secret file ${p} (mode 0600)`), '40-char path next to "secret"', [p], true);
};

const CLASS_NAMES_40 = ['org/apache/spark/sql/execution/SparkPlan', 'org/apache/spark/sql/execution/UnionExec', 'org/apache/spark/sql/execution/RangeExec'];

const classNameNearCredential: PlantMaker = (c) => {
  const name = c.rng.pick(CLASS_NAMES_40);
  return one(line(c, 'ERROR', 'Utils', `Uncaught exception in credential refresher thread: java.lang.NoClassDefFoundError: ${name}`), '40-char class name next to "credential"', [name], true);
};

const maskedPassword: PlantMaker = (c) => {
  const r = c.rng;
  const v = r.pick(['<redacted>', '*********(redacted)', '${JDBC_PASSWORD}', '{{secrets/jdbc/password}}', '[REDACTED]']);
  return one(line(c, 'INFO', 'JDBCRelation', `url: jdbc:sqlserver://sql-prod.database.windows.net:1433;database=${r.pick(TABLES)};user=etl_loader;password=${v};encrypt=true`), 'masked/placeholder password=', [`password=${v}`], true);
};

const placeholderDsn: PlantMaker = (c) => {
  const v = c.rng.pick(['<password>', '${PGPASSWORD}', '****']);
  return one(line(c, 'INFO', 'SqlAlchemyEngine', `connecting to postgresql://etl_user:${v}@pg-analytics.eu.acme-data.internal:5432/warehouse`), 'placeholder DSN password', [`etl_user:${v}@`], true);
};

const placeholderToken: PlantMaker = (c) => {
  const v = c.rng.pick([`ghp_${'x'.repeat(36)}`, `xoxb-${'x'.repeat(10)}-${'x'.repeat(13)}`, 'token=<your-token>']);
  return one(line(c, 'WARN', 'PythonDriverLocal', `ignoring template credential ${v} from job parameters`), 'placeholder token (xxxx)', [v], true);
};

export const DECOYS = new Weighted<PlantMaker>([
  [2, exampleKey],
  [2, sha1NearSecret],
  [1.5, pathNearSecret],
  [1.5, classNameNearCredential],
  [2, maskedPassword],
  [1, placeholderDsn],
  [1, placeholderToken],
]);
