// The audit events nbguard skips: everything that is not a notebook attachNotebook or
// runCommand. Real audit logs are mostly these (cluster, account, job, DBFS, secret, Unity
// Catalog, SQL warehouse, repo and MLflow events, and the notebook service's other actions),
// so they are generated with their real shapes and sizes: skipping them must stay cheap.

import { DOMAINS } from '../generator/vocabulary';
import { DIGITS, Weighted } from '../redact/random';
import type { AuditWorld, User } from './auditWorld';

type OtherEvent = (w: AuditWorld, time: number, user: User) => Record<string, unknown>;

function dbfsPath(w: AuditWorld): string {
  const r = w.rng;
  return `dbfs:/${r.pick(['mnt/raw', 'mnt/curated', 'FileStore/tables', 'tmp', 'user/hive/warehouse', 'databricks-results'])}/${r.pick(DOMAINS)}/${r.range(2023, 2024)}/${String(r.range(1, 12)).padStart(2, '0')}/part-${String(r.int(200)).padStart(5, '0')}-${r.uuid()}.c000.snappy.parquet`;
}

const EVENTS = new Weighted<OtherEvent>([
  // Unity Catalog: by far the most frequent in a UC workspace.
  [22, (w, t, u) => w.record(t, u, 'unityCatalog', w.rng.pick(['getTable', 'getTable', 'generateTemporaryTableCredential', 'getCatalog', 'listTables']), { full_name_arg: w.rng.pick(w.tables), workspace_id: w.orgId, metastore_id: w.metastore, ...(w.rng.chance(0.5) ? { operation: 'READ' } : {}) }, { statusCode: 200, result: null })],
  [14, (w, t, u) => w.record(t, u, 'dbfs', w.rng.pick(['getStatus', 'list', 'read', 'mkdirs', 'create', 'addBlock', 'close']), { path: dbfsPath(w), ...(w.rng.chance(0.3) ? { recursive: 'false', overwrite: 'true' } : {}) })],
  [10, (w, t, u) => {
    const c = w.cluster();
    return w.record(t, u, 'clusters', w.rng.pick(['create', 'edit', 'start', 'restart', 'resize', 'delete']), {
      cluster_id: c.id,
      cluster_name: c.name,
      spark_version: w.sparkVersion(),
      node_type_id: w.nodeType(),
      driver_node_type_id: w.nodeType(),
      autoscale: JSON.stringify({ min_workers: w.rng.range(1, 2), max_workers: w.rng.range(4, 16) }),
      autotermination_minutes: String(w.rng.pick([30, 60, 120])),
      spark_conf: JSON.stringify({ 'spark.databricks.delta.preview.enabled': 'true', 'spark.sql.shuffle.partitions': String(w.rng.pick([64, 200, 400])) }),
      custom_tags: JSON.stringify({ team: w.rng.pick(DOMAINS), cost_center: `CC-${w.rng.chars(DIGITS, 4)}` }),
      data_security_mode: w.rng.pick(['USER_ISOLATION', 'SINGLE_USER']),
    });
  }],
  [10, (w, t, u) => {
    const r = w.rng;
    const job = r.pick(w.jobs);
    return w.record(t, u, 'jobs', r.pick(['runStart', 'runSucceeded', 'runFailed', 'runNow', 'submitRun']), {
      jobId: String(job),
      runId: String(r.range(10 ** 14, 10 ** 15 - 1)),
      idInJob: String(r.range(1, 90000)),
      jobClusterType: r.pick(['new', 'existing', 'job_cluster']),
      jobTaskType: r.pick(['NOTEBOOK_TASK', 'SPARK_PYTHON_TASK', 'SQL_TASK']),
      jobTerminalState: r.pick(['', 'SUCCESS', 'FAILED']),
      taskKey: `${r.pick(DOMAINS)}_${r.pick(['ingest', 'transform', 'publish'])}`,
      multitaskParentRunId: String(r.range(10 ** 14, 10 ** 15 - 1)),
      orgId: w.orgId,
    });
  }],
  [8, (w, t, u) => w.record(t, u, 'accounts', w.rng.pick(['tokenLogin', 'tokenLogin', 'login', 'aadBrowserLogin', 'logout']), { user: u.email, tokenId: w.rng.hex(64), authenticationMethod: w.rng.pick(['API_INT_PAT_TOKEN', 'BROWSER', 'OAUTH']) })],
  [7, (w, t, u) => w.record(t, u, 'databrickssql', w.rng.pick(['commandSubmit', 'commandFinish']), { warehouseId: w.rng.hex(16), commandId: w.rng.uuid(), commandText: `SELECT ${w.rng.pick(['region', 'status', 'channel'])}, count(*) AS n, sum(amount) AS total FROM ${w.rng.pick(w.tables)} WHERE ingest_date >= current_date() - INTERVAL ${w.rng.range(1, 30)} DAYS GROUP BY 1 ORDER BY 3 DESC LIMIT 100` })],
  [6, (w, t, u) => w.record(t, u, 'secrets', w.rng.pick(['getSecret', 'getSecret', 'listSecrets', 'listScopes']), { scope: w.rng.pick(['sales-oltp', 'partner-tailwind', 'finance-dwh', 'ml-platform']), key: `${w.rng.pick(DOMAINS)}-loader-password` })],
  [5, (w, t, u) => {
    const r = w.rng;
    const nb = String(r.range(10 ** 14, 10 ** 15 - 1));
    return w.record(t, u, 'notebook', r.pick(['detachNotebook', 'createNotebook', 'modifyNotebook', 'takeNotebookSnapshot', 'renameNotebook']), { notebookId: nb, path: `/Users/${u.email}/${r.pick(DOMAINS)}/scratch_${nb.slice(-4)}`, clusterId: w.cluster().id });
  }],
  [5, (w, t, u) => w.record(t, u, 'sqlPermissions', w.rng.pick(['requestPermissions', 'getSecurables', 'changeSecurableOwner']), { securable: `TABLE \`${w.rng.pick(w.tables).replace(/\./g, '`.`')}\``, principal: u.email, actionTypes: '["SELECT","MODIFY"]' }, { statusCode: w.rng.chance(0.1) ? 403 : 200 })],
  [4, (w, t, u) => w.record(t, u, 'mlflowExperiment', w.rng.pick(['getExperiment', 'logMetric', 'createRun', 'updateRun']), { experimentId: w.rng.chars(DIGITS, 16), runId: w.rng.hex(32), path: `/Users/${u.email}/experiments/${w.rng.pick(DOMAINS)}_model` })],
  [3, (w, t, u) => w.record(t, u, 'repos', w.rng.pick(['getRepo', 'updateRepo', 'pull', 'checkoutBranch']), { id: w.rng.chars(DIGITS, 16), path: `/Repos/${u.email}/${w.rng.pick(DOMAINS)}-pipelines`, branch: w.rng.pick(['main', 'develop', 'feature/backfill']) })],
  [3, (w, t, u) => w.record(t, u, 'workspace', w.rng.pick(['workspaceFilesystemRead', 'getRoleAssignment', 'fileCreate', 'mkdirs']), { path: `/Workspace/Shared/${w.rng.pick(DOMAINS)}/${w.rng.hex(8)}`, workspaceId: w.orgId })],
  [3, (w, t, u) => w.record(t, u, 'clusterLibraries', w.rng.pick(['getAllLibraryStatuses', 'installLibraries']), { cluster_id: w.cluster().id, libraries: JSON.stringify([{ pypi: { package: w.rng.pick(['great-expectations==0.18.8', 'snowflake-connector-python==3.7.0', 'xgboost==2.0.3']) } }]) })],
]);

/** One event of another service (or another notebook action), as a record object. */
export function otherEvent(w: AuditWorld, time: number): Record<string, unknown> {
  return EVENTS.pick(w.rng)(w, time, w.user());
}
