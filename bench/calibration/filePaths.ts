// File-path windows: 40-character windows of the Unix, DBFS, Workspace and S3 paths that fill
// notebook outputs and Spark logs (partitioned tables, part files with their UUIDs, checkpoints,
// user home directories). Windows keep the punctuation (/ . - _ =) the paths have.

import { int, pick, randomBytes, window, type Rng } from './random';
import { CONTENT_WORDS } from './words';

const common = (rng: Rng) => pick(rng, CONTENT_WORDS);
const DOMAINS = ['orders', 'customers', 'shipments', 'invoices', 'sessions', 'clicks', 'inventory', 'claims', 'payments', 'events', 'features', 'models'];
const USERS = ['alice.smith', 'bob', 'jdoe', 'maria.garcia', 'svc-etl', 'wei.chen', 'ubuntu', 'spark'];
const BUCKETS = ['acme-datalake-prod', 'contoso-raw', 'ml-artifacts-eu', 'analytics-landing', 'logs-archive-2024'];

/** A UUID from the seeded stream (crypto.randomUUID is not seedable). */
function uuid(rng: Rng): string {
  const hex = Buffer.from(randomBytes(rng, 16)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function partition(rng: Rng): string {
  return rng() < 0.5
    ? `year=${int(rng, 2019, 2025)}/month=${pad(int(rng, 1, 12), 2)}/day=${pad(int(rng, 1, 28), 2)}`
    : `dt=${int(rng, 2019, 2025)}-${pad(int(rng, 1, 12), 2)}-${pad(int(rng, 1, 28), 2)}`;
}

function partFile(rng: Rng): string {
  return rng() < 0.6 ? `part-${pad(int(rng, 0, 199), 5)}-${uuid(rng)}-c000.snappy.parquet` : `${pick(rng, DOMAINS)}_${common(rng)}.${pick(rng, ['csv', 'json', 'parquet', 'delta', 'txt', 'py', 'log'])}`;
}

function pathText(rng: Rng): string {
  const domain = pick(rng, DOMAINS);
  switch (int(rng, 0, 5)) {
    case 0:
      return `dbfs:/mnt/${pick(rng, ['raw', 'bronze', 'silver', 'gold', 'landing'])}/${domain}/${partition(rng)}/${partFile(rng)}`;
    case 1:
      return `/dbfs/FileStore/tables/${common(rng)}_${domain}/${partFile(rng)}`;
    case 2:
      return `s3a://${pick(rng, BUCKETS)}/${domain}/${pick(rng, ['delta', 'checkpoints', 'tmp', 'exports'])}/${partition(rng)}/${partFile(rng)}`;
    case 3:
      return `/Workspace/Users/${pick(rng, USERS)}@${pick(rng, ['acme.com', 'contoso.io'])}/${common(rng)}_${domain}_${pick(rng, ['etl', 'report', 'features'])}`;
    case 4:
      return `/home/${pick(rng, USERS)}/projects/${common(rng)}-${domain}/src/${domain}/${common(rng)}_${pick(rng, ['utils', 'io', 'jobs', 'models'])}.py`;
    default:
      return `/local_disk0/spark-${uuid(rng)}/executor-${uuid(rng).slice(0, 8)}/blockmgr-${int(rng, 0, 99)}/${pad(int(rng, 0, 63), 2)}/shuffle_${int(rng, 0, 9)}_${int(rng, 0, 999)}_0.data`;
  }
}

/** A `length`-character window of a generated path (more segments appended until long enough). */
export function pathWindow(rng: Rng, length = 40): string {
  let text = pathText(rng);
  while (text.length < length) text += `/${common(rng)}`;
  return window(rng, text, length);
}
