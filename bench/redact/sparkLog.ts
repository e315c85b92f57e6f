// The ordinary content of a Spark driver log (Databricks runtime, log4j pattern
// `%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m`): task and stage scheduling, block manager and memory
// store messages, file scans of S3 and ABFS paths, generated code, shuffle fetches, Delta
// commits, S3 errors with request ids, multi-line Java stack traces with `Caused by:` chains,
// configuration dumps, and the notebook's own stdout. No credentials here (bench/redact/plants.ts
// adds those), but plenty that looks close: hex ids, UUIDs, SHA-1 digests, base64 request ids,
// class names, long paths, and lines that mention tokens, credentials and secrets.

import { Random, Weighted } from './random';

/** The log's clock: a timestamp string per second, advanced a few ms per record. */
export class LogClock {
  private ms = Date.UTC(2024, 2, 14, 9, 12, 33);
  private second = -1;
  private stamp = '';

  advance(rng: Random): void {
    this.ms += rng.int(40);
  }

  now(): string {
    const s = Math.floor(this.ms / 1000);
    if (s !== this.second) {
      this.second = s;
      const d = new Date(s * 1000);
      const p = (n: number) => String(n).padStart(2, '0');
      this.stamp = `${p(d.getUTCFullYear() % 100)}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    }
    return this.stamp;
  }
}

/** What a record generator gets: randomness, the clock and the running job/stage counters. */
export interface LogContext {
  rng: Random;
  clock: LogClock;
  state: { job: number; stage: number; tid: number; broadcast: number; rdd: number; delta: number };
}

export type RecordMaker = (c: LogContext) => string[];

export const BUCKETS = ['acme-datalake-prod', 'acme-raw-landing', 'contoso-retail-events', 'vendor-feeds-eu', 'ml-artifacts-prod', 'finance-dwh-exports'];
export const TABLES = ['events', 'orders', 'clickstream', 'sessions', 'invoices', 'shipments', 'payments', 'inventory_snapshots', 'customer_profiles'];
const STORAGE_ACCOUNTS = ['acmelake', 'contosoraw', 'finexports', 'mlplatformdev'];
const CONTAINERS = ['bronze', 'silver', 'gold', 'landing', 'checkpoints'];
const OPS = ['save', 'count', 'collect', 'toPandas', 'saveAsTable', 'showString', 'foreachBatch', 'insertInto'];
const CALLERS = ['NativeMethodAccessorImpl.java:0', 'command-4123456789012345:12', 'DeltaLog.scala:412', 'SQLExecution.scala:143'];

export function s3Path(rng: Random): string {
  const t = rng.pick(TABLES);
  return `${rng.pick(BUCKETS)}/${t}/event_date=2024-0${rng.range(1, 3)}-${String(rng.range(1, 28)).padStart(2, '0')}/part-${String(rng.int(200)).padStart(5, '0')}-${rng.uuid()}-c000.snappy.parquet`;
}

function abfsPath(rng: Random): string {
  return `abfss://${rng.pick(CONTAINERS)}@${rng.pick(STORAGE_ACCOUNTS)}.dfs.core.windows.net/${rng.pick(TABLES)}/_delta_log/${String(rng.int(3000)).padStart(20, '0')}.json`;
}

function size(rng: Random): string {
  return `${(rng.next() * 900 + 1).toFixed(1)} ${rng.pick(['KiB', 'KiB', 'MiB', 'B'])}`;
}

function host(rng: Random): string {
  return `${rng.ip()}:${rng.range(33000, 46000)}`;
}

const line = (c: LogContext, level: string, logger: string, message: string) => `${c.clock.now()} ${level} ${logger}: ${message}`;

const startTask: RecordMaker = (c) => {
  const s = c.state;
  const part = c.rng.int(200);
  return [line(c, 'INFO', 'TaskSetManager', `Starting task ${part}.0 in stage ${s.stage}.0 (TID ${++s.tid}) (${c.rng.ip()}, executor ${c.rng.range(0, 15)}, partition ${part}, ${c.rng.pick(['PROCESS_LOCAL', 'NODE_LOCAL', 'ANY'])}, ${c.rng.range(4000, 12000)} bytes) `)];
};

const finishTask: RecordMaker = (c) => {
  const s = c.state;
  return [line(c, 'INFO', 'TaskSetManager', `Finished task ${c.rng.int(200)}.0 in stage ${s.stage}.0 (TID ${Math.max(0, s.tid - c.rng.int(8))}) in ${c.rng.range(80, 9000)} ms on ${c.rng.ip()} (executor ${c.rng.range(0, 15)}) (${c.rng.range(1, 200)}/200)`)];
};

const blockManager: RecordMaker = (c) => {
  const r = c.rng;
  const s = c.state;
  switch (r.int(4)) {
    case 0:
      return [line(c, 'INFO', 'BlockManagerInfo', `Added broadcast_${s.broadcast}_piece0 in memory on ${host(r)} (size: ${size(r)}, free: ${(r.next() * 8 + 1).toFixed(1)} GiB)`)];
    case 1:
      return [line(c, 'INFO', 'BlockManagerInfo', `Removed broadcast_${Math.max(0, s.broadcast - r.range(1, 9))}_piece0 on ${host(r)} in memory (size: ${size(r)}, free: ${(r.next() * 8 + 1).toFixed(1)} GiB)`)];
    case 2:
      return [line(c, 'INFO', 'BlockManagerInfo', `Added rdd_${s.rdd}_${r.int(200)} in memory on ${host(r)} (size: ${size(r)}, free: ${(r.next() * 8 + 1).toFixed(1)} GiB)`)];
    default:
      return [line(c, 'INFO', 'BlockManagerInfo', `Added taskresult_${Math.max(0, s.tid - r.int(8))} in memory on ${host(r)} (size: ${size(r)}, free: ${(r.next() * 8 + 1).toFixed(1)} GiB)`)];
  }
};

const memoryStore: RecordMaker = (c) => {
  const b = ++c.state.broadcast;
  return [
    line(c, 'INFO', 'MemoryStore', `Block broadcast_${b} stored as values in memory (estimated size ${size(c.rng)}, free ${(c.rng.next() * 8 + 1).toFixed(1)} GiB)`),
    line(c, 'INFO', 'MemoryStore', `Block broadcast_${b}_piece0 stored as bytes in memory (estimated size ${size(c.rng)}, free ${(c.rng.next() * 8 + 1).toFixed(1)} GiB)`),
    line(c, 'INFO', 'SparkContext', `Created broadcast ${b} from ${c.rng.pick(OPS)} at ${c.rng.pick(CALLERS)}`),
  ];
};

const fileScan: RecordMaker = (c) => {
  const r = c.rng;
  const start = r.int(8) * 134217728;
  return [line(c, 'INFO', 'FileScanRDD', `Reading File path: s3a://${s3Path(r)}, range: ${start}-${start + r.range(1000000, 134217728)}, partition values: [${r.range(19700, 19800)}]`)];
};

const codegen: RecordMaker = (c) => [line(c, 'INFO', 'CodeGenerator', `Code generated in ${(c.rng.next() * 60 + 2).toFixed(6)} ms`)];

const dagScheduler: RecordMaker = (c) => {
  const r = c.rng;
  const s = c.state;
  const job = ++s.job;
  const stage = (s.stage += 2);
  const rdd = (s.rdd += r.range(3, 12));
  const op = r.pick(OPS);
  const at = r.pick(CALLERS);
  const parts = r.pick([1, 8, 200, 200, 400]);
  return [
    line(c, 'INFO', 'DAGScheduler', `Got job ${job} (${op} at ${at}) with ${parts} output partitions`),
    line(c, 'INFO', 'DAGScheduler', `Final stage: ResultStage ${stage} (${op} at ${at})`),
    line(c, 'INFO', 'DAGScheduler', `Parents of final stage: List(ShuffleMapStage ${stage - 1})`),
    line(c, 'INFO', 'DAGScheduler', 'Missing parents: List()'),
    line(c, 'INFO', 'DAGScheduler', `Submitting ResultStage ${stage} (MapPartitionsRDD[${rdd}] at ${op} at ${at}), which has no missing parents`),
    line(c, 'INFO', 'DAGScheduler', `Submitting ${parts} missing tasks from ResultStage ${stage} (MapPartitionsRDD[${rdd}] at ${op} at ${at}) (first 15 tasks are for partitions Vector(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14))`),
    line(c, 'INFO', 'TaskSchedulerImpl', `Adding task set ${stage}.0 with ${parts} tasks resource profile 0`),
  ];
};

const jobDone: RecordMaker = (c) => {
  const s = c.state;
  return [
    line(c, 'INFO', 'DAGScheduler', `ResultStage ${s.stage} (${c.rng.pick(OPS)} at ${c.rng.pick(CALLERS)}) finished in ${(c.rng.next() * 90).toFixed(3)} s`),
    line(c, 'INFO', 'DAGScheduler', `Job ${s.job} is finished. Cancelling potential speculative or zombie tasks for this job`),
    line(c, 'INFO', 'TaskSchedulerImpl', `Killing all running tasks in stage ${s.stage}: Stage finished`),
    line(c, 'INFO', 'DAGScheduler', `Job ${s.job} finished: ${c.rng.pick(OPS)} at ${c.rng.pick(CALLERS)}, took ${(c.rng.next() * 90).toFixed(6)} s`),
  ];
};

const shuffleFetch: RecordMaker = (c) => {
  const r = c.rng;
  const n = r.range(10, 400);
  const local = r.int(n);
  return [line(c, 'INFO', 'ShuffleBlockFetcherIterator', `Getting ${n} (${size(r)}) non-empty blocks including ${local} (${size(r)}) local and 0 (0.0 B) host-local and 0 (0.0 B) push-merged-local and ${n - local} (${size(r)}) remote blocks`)];
};

const cleaner: RecordMaker = (c) => [line(c, 'INFO', 'ContextCleaner', c.rng.chance(0.7) ? `Cleaned accumulator ${c.rng.range(100, 99999)}` : `Cleaned shuffle ${c.rng.range(1, 900)}`)];

const filters: RecordMaker = (c) => {
  const col = c.rng.pick(['event_date', 'customer_id', 'region', 'status', 'amount']);
  return [
    line(c, 'INFO', 'FileSourceStrategy', `Pushed Filters: IsNotNull(${col}),GreaterThanOrEqual(${col},2024-03-01)`),
    line(c, 'INFO', 'FileSourceStrategy', `Post-Scan Filters: isnotnull(${col}#${c.rng.range(100, 9999)}),(${col}#${c.rng.range(100, 9999)} >= 2024-03-01)`),
    line(c, 'INFO', 'FileSourceScanExec', 'Planning scan with bin packing, max size: 134217728 bytes, open cost is considered as scanning 4194304 bytes.'),
  ];
};

const abfs: RecordMaker = (c) => [line(c, 'INFO', 'AzureBlobFileSystem', `Opening ${abfsPath(c.rng)} for read, clientRequestId=${c.rng.uuid()}`)];

const delta: RecordMaker = (c) => {
  const r = c.rng;
  const v = ++c.state.delta;
  const path = `s3a://${r.pick(BUCKETS)}/${r.pick(TABLES)}`;
  return [
    line(c, 'INFO', 'OptimisticTransaction', `[tableId=${r.uuid().slice(0, 8)},txnId=${r.uuid().slice(0, 8)}] Committed delta #${v} to ${path}/_delta_log`),
    line(c, 'INFO', 'DeltaLog', `Updated snapshot to version ${v}, checksum ${r.hex(40)}, table ${path}`),
  ];
};

/** An S3 error response id: 76 base64 characters, like the real ones. */
function extendedRequestId(r: Random): string {
  return `${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 75)}=`;
}

const s3Request: RecordMaker = (c) => [
  line(c, 'INFO', 'S3AFileSystem', `getFileStatus(s3a://${s3Path(c.rng)}): request ${c.rng.hex(16).toUpperCase()}, extended request id ${extendedRequestId(c.rng)}`),
];

const progress: RecordMaker = (c) => {
  const r = c.rng;
  return r.chance(0.5)
    ? [line(c, 'INFO', 'ProgressReporter$', `Reporting partial results for running commands: ${r.range(1700000000, 1719999999)}${r.range(100, 999)}_${r.hex(19).replace(/[a-f]/g, '7')}_${r.hex(32)}`)]
    : [line(c, 'INFO', 'DriverCorral', `DBFS health check ok; cluster ${r.range(1000, 9999)}-${r.range(100000, 999999)}-${r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 8)}, usage ${(r.next() * 100).toFixed(1)}%`)];
};

/** Lines that hit the redactor's trigger words (token, credential, secret, password) but hold no credential. */
const securityNoise: RecordMaker = (c) => {
  const r = c.rng;
  switch (r.int(6)) {
    case 0:
      return [line(c, 'INFO', 'HadoopDelegationTokenManager', `Scheduling renewal in ${(r.next() * 24).toFixed(1)} h.`)];
    case 1:
      return [line(c, 'INFO', 'AWSCredentialProviderList', 'Using credentials from com.databricks.backend.daemon.driver.credentials.CredentialScopeS3TokenProvider')];
    case 2:
      return [line(c, 'INFO', 'SecretManagerClient', `Fetched secret metadata for scope ${r.pick(['etl', 'ml-platform', 'vendor-s3', 'finance'])} (${r.range(1, 40)} keys) in ${r.range(3, 90)} ms`)];
    case 3:
      return [line(c, 'INFO', 'SecurityManager', 'SecurityManager: authentication enabled; ui acls disabled; users with view permissions: root; groups with view permissions: EMPTY; users with modify permissions: root; groups with modify permissions: EMPTY; RPC SSL disabled')];
    case 4:
      return [line(c, 'WARN', 'DatabricksTokenProvider', `Token for workspace ${r.range(1000000000, 9999999999)} expires in ${r.range(1, 59)} min, refreshing (request ${r.uuid()})`)];
    default:
      return [line(c, 'INFO', 'JDBCRDD', `closed connection; password authentication succeeded for user etl_loader on ${r.pick(['pg-analytics.eu.acme-data.internal', 'sql-prod.database.windows.net'])}`)];
  }
};

const FRAMES = [
  'org.apache.hadoop.fs.s3a.S3AInputStream.reopen(S3AInputStream.java:226)',
  'org.apache.hadoop.fs.s3a.S3AInputStream.lambda$lazySeek$1(S3AInputStream.java:373)',
  'org.apache.hadoop.fs.s3a.Invoker.retryUntranslated(Invoker.java:468)',
  'org.apache.hadoop.fs.s3a.S3AFileSystem.getFileStatus(S3AFileSystem.java:3341)',
  'org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.nextIterator(FileScanRDD.scala:245)',
  'org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:116)',
  'org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage1.processNext(Unknown Source)',
  'org.apache.spark.sql.execution.BufferedRowIterator.hasNext(BufferedRowIterator.java:43)',
  'org.apache.spark.sql.execution.WholeStageCodegenExec$$anon$1.hasNext(WholeStageCodegenExec.scala:760)',
  'org.apache.spark.shuffle.sort.BypassMergeSortShuffleWriter.write(BypassMergeSortShuffleWriter.java:140)',
  'org.apache.spark.scheduler.ShuffleMapTask.runTask(ShuffleMapTask.scala:59)',
  'org.apache.spark.scheduler.ResultTask.runTask(ResultTask.scala:90)',
  'org.apache.spark.scheduler.Task.run(Task.scala:141)',
  'org.apache.spark.executor.Executor$TaskRunner.$anonfun$run$4(Executor.scala:620)',
  'org.apache.spark.util.Utils$.tryWithSafeFinally(Utils.scala:1526)',
  'org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:623)',
  'com.databricks.sql.io.FileReadException.<init>(FileReadException.java:25)',
  'com.databricks.backend.daemon.driver.DriverLocal.execute(DriverLocal.scala:1038)',
  'com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1879)',
  'com.amazonaws.services.s3.AmazonS3Client.invoke(AmazonS3Client.java:5227)',
  'java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1149)',
  'java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:624)',
  'java.lang.Thread.run(Thread.java:750)',
];

/** `n` consecutive frames of a plausible Java stack, each `\tat ...`. */
export function frames(r: Random, n: number): string[] {
  const start = r.int(FRAMES.length - n);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`\tat ${FRAMES[(start + i) % FRAMES.length]}`);
  return out;
}

/** A failed task with its stack trace and a `Caused by:` chain. */
export function stackTrace(c: LogContext, headline: string, cause: string): string[] {
  const r = c.rng;
  const s = c.state;
  return [
    line(c, 'WARN', 'TaskSetManager', `Lost task ${r.int(200)}.0 in stage ${s.stage}.0 (TID ${s.tid}) (${r.ip()} executor ${r.range(0, 15)}): ${headline}`),
    ...frames(r, r.range(6, 14)),
    `Caused by: ${cause}`,
    ...frames(r, r.range(3, 8)),
    `\t... ${r.range(12, 40)} more`,
    '',
  ];
}

const failure: RecordMaker = (c) => {
  const r = c.rng;
  const path = `s3a://${s3Path(r)}`;
  switch (r.int(3)) {
    case 0:
      return stackTrace(
        c,
        `com.databricks.sql.io.FileReadException: Error while reading file ${path}.`,
        `com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: ${r.hex(16).toUpperCase()}; S3 Extended Request ID: ${extendedRequestId(r)}; Proxy: null), S3 Extended Request ID: ${extendedRequestId(r)}`,
      );
    case 1:
      return stackTrace(c, `java.io.FileNotFoundException: No such file or directory: ${path}`, `java.io.IOException: Stream is closed! (attempt ${r.range(1, 4)} of 4)`);
    default:
      return stackTrace(
        c,
        `org.apache.spark.SparkException: Job aborted due to stage failure: Task ${r.int(200)} in stage ${c.state.stage}.0 failed 4 times`,
        `java.lang.OutOfMemoryError: GC overhead limit exceeded (executor ${r.range(0, 15)}, container_${r.range(1600000000, 1799999999)}_${r.hex(4)}_01_${String(r.int(999999)).padStart(6, '0')})`,
      );
  }
};

/** A configuration dump as a user prints it from the notebook, secrets already masked by Spark. */
const configDump: RecordMaker = (c) => {
  const r = c.rng;
  const conf: Record<string, string> = {
    'spark.app.name': 'Databricks Shell',
    'spark.databricks.clusterUsageTags.clusterId': `${r.range(1000, 9999)}-${r.range(100000, 999999)}-${r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 8)}`,
    'spark.databricks.clusterUsageTags.sparkVersion': '14.3.x-scala2.12',
    'spark.driver.host': r.ip(),
    'spark.executor.memory': `${r.range(8, 64)}g`,
    'spark.sql.shuffle.partitions': String(r.pick([200, 400, 800])),
    'spark.hadoop.fs.s3a.aws.credentials.provider': 'com.databricks.backend.daemon.driver.credentials.CredentialScopeS3TokenProvider',
    'spark.hadoop.fs.s3a.secret.key': '*********(redacted)',
    'spark.hadoop.fs.azure.account.oauth2.client.secret': '*********(redacted)',
    'spark.databricks.workspaceUrl': `adb-${r.range(1000000000000000, 9999999999999999)}.${r.range(1, 19)}.azuredatabricks.net`,
    'spark.sql.warehouse.dir': `s3a://${r.pick(BUCKETS)}/warehouse`,
    'spark.databricks.delta.preview.enabled': 'true',
    'spark.databricks.io.cache.enabled': 'true',
    'spark.executor.extraJavaOptions': '-XX:+UseG1GC -XX:ReservedCodeCacheSize=512m -Djava.io.tmpdir=/local_disk0/tmp',
  };
  return [`${c.clock.now()} INFO DriverDaemon: Spark configuration: ${JSON.stringify(conf)}`];
};

/** The notebook's own stdout in the driver log, without a log4j prefix. */
const stdout: RecordMaker = (c) => {
  const r = c.rng;
  switch (r.int(3)) {
    case 0:
      return [`rows written: ${r.range(1000, 9999999)} to ${r.pick(TABLES)} in ${(r.next() * 300).toFixed(2)} s`];
    case 1:
      return [`+----------+--------+-----------+`, `|event_date|  region|      total|`, `+----------+--------+-----------+`, `|2024-03-${String(r.range(1, 28)).padStart(2, '0')}|${r.pick(['    emea', '    amer', '    apac'])}|${String(r.range(1000, 99999999)).padStart(11)}|`, `+----------+--------+-----------+`];
    default:
      return [`model version ${r.range(1, 40)} registered, run_id=${r.hex(32)}, git commit ${r.hex(40)}`];
  }
};

/** The record kinds and their weights: tasks and block manager chatter dominate, as in real logs. */
export const ORDINARY = new Weighted<RecordMaker>([
  [22, startTask],
  [22, finishTask],
  [9, blockManager],
  [3, memoryStore],
  [10, fileScan],
  [5, codegen],
  [1.2, dagScheduler],
  [1.2, jobDone],
  [3, shuffleFetch],
  [4, cleaner],
  [1, filters],
  [2, abfs],
  [1.5, delta],
  [1, s3Request],
  [2, progress],
  [1.5, securityNoise],
  [0.6, failure],
  [0.02, configDump],
  [1, stdout],
]);
