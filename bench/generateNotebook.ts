// Deterministic generator of realistic data-engineering notebooks for the benchmark: imports,
// widgets, secrets read from dbutils.secrets.get / os.environ and used the legitimate way (JDBC
// options, HTTP headers, connector keywords), pandas and Spark transformations, plots, helper
// functions defined in one cell and called in later ones, loops, branches, dicts of options,
// mlflow logging, markdown cells, and a few planted leaks (print, logging, notebook.run
// arguments, a cell echo, a hardcoded password) spread through the notebook.
//
// The same (codeCells, seed) always gives the same text. Clean code follows the conventions of
// the labelled corpus (a DataFrame read with a credential is written to a table, never shown),
// so the number of findings should equal `plantedLeaks`.
//
// As a command (through the benchmark runner):
//   node bench/run.mjs generate --cells 300 [--seed 20240601] [--out notebook.ipynb]

import { writeFileSync } from 'node:fs';

export interface GenerateOptions {
  /** Number of code cells (markdown cells come on top). */
  readonly codeCells: number;
  readonly seed?: number;
}

export interface GeneratedNotebook {
  /** nbformat 4 JSON text. */
  readonly text: string;
  /** Document indices (counting markdown cells) of the code cells. */
  readonly codeCellIndices: number[];
  readonly codeCells: number;
  readonly markdownCells: number;
  /** Lines of code over all code cells. */
  readonly codeLines: number;
  /** Leaks and hardcoded credentials planted on purpose, by rule id. */
  readonly planted: Record<string, number>;
}

/** The seed of the benchmark's notebooks (and of the generate command). */
export const DEFAULT_SEED = 20240601;

/** mulberry32: small, fast, good enough for picking templates. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ['orders', 'customers', 'shipments', 'invoices', 'sessions', 'clicks', 'inventory', 'claims', 'payments', 'tickets', 'reviews', 'devices'];
const COLUMNS = ['customer_id', 'order_id', 'amount', 'region', 'status', 'created_at', 'quantity', 'unit_price', 'category', 'channel', 'country', 'plan', 'score', 'store_id', 'sku'];
const NUMERIC = ['amount', 'quantity', 'unit_price', 'score'];
const GROUPING = ['region', 'status', 'category', 'channel', 'country', 'plan', 'store_id'];
const SCOPES = ['sales-oltp', 'partner-tailwind', 'finance-dwh', 'ml-platform', 'vendor-s3', 'crm-sync', 'support-bot'];
const HOSTS = ['sqlreplica-01.orders.contoso-retail.internal', 'dwh.fin.acme-data.internal', 'pg-analytics.eu.acme-data.internal', 'mssql-crm.contoso.internal'];
const APIS = ['https://api.tailwind-partners.example/v2', 'https://crm.acme-data.internal/api', 'https://geo.weather-feed.example/v1', 'https://models.acme-ml.internal/api/v1'];
const ENV_KEYS = ['PARTNER_API_TOKEN', 'MODEL_REGISTRY_API_KEY', 'SLACK_BOT_TOKEN', 'CRM_CLIENT_SECRET', 'GEOCODER_API_KEY'];

/** A planted leak every LEAK_EVERY code cells, a hardcoded password every HARDCODED_EVERY. */
const LEAK_EVERY = 25;
const HARDCODED_EVERY = 150;

type SecretKind = 'password' | 'token';

interface Secret {
  readonly name: string;
  readonly kind: SecretKind;
  /** For passwords: the matching user and host variables. */
  readonly user?: string;
  readonly host?: string;
}

interface Helper {
  readonly name: string;
  readonly kind: 'frame' | 'fetch' | 'jdbc' | 'mask' | 'report' | 'partition';
}

class NotebookBuilder {
  private readonly r: () => number;
  private counter = 0;
  /** Clean pandas DataFrames (safe to display). */
  private readonly frames: string[] = [];
  /** Clean Spark DataFrames (safe to display). */
  private readonly sdfs: string[] = [];
  private readonly secrets: Secret[] = [];
  private readonly helpers: Helper[] = [];
  private readonly tables: string[] = [];
  readonly planted: Record<string, number> = {};

  constructor(seed: number) {
    this.r = prng(seed);
  }

  // ---- random helpers

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }
  private chance(p: number): boolean {
    return this.r() < p;
  }
  private id(base: string): string {
    return `${base}_${++this.counter}`;
  }
  private plant(rule: string): void {
    this.planted[rule] = (this.planted[rule] ?? 0) + 1;
  }
  private frame(): string {
    return this.frames.length > 0 ? this.pick(this.frames.slice(-12)) : 'raw_df';
  }
  private sdf(): string {
    return this.sdfs.length > 0 ? this.pick(this.sdfs.slice(-12)) : 'base_sdf';
  }
  private helper(kind: Helper['kind']): Helper | undefined {
    const hs = this.helpers.filter((h) => h.kind === kind);
    return hs.length > 0 ? this.pick(hs) : undefined;
  }
  private secret(kind?: SecretKind): Secret | undefined {
    const ss = kind ? this.secrets.filter((s) => s.kind === kind) : this.secrets;
    return ss.length > 0 ? this.pick(ss) : undefined;
  }
  /** Cell length: 5-40 lines, mostly 8-20. */
  private targetLength(): number {
    const u = this.r();
    if (u < 0.15) return this.int(5, 7);
    if (u < 0.75) return this.int(8, 20);
    if (u < 0.95) return this.int(21, 32);
    return this.int(33, 40);
  }

  // ---- fixed cells

  setupCells(): string[][] {
    return [
      [
        'import os',
        'import json',
        'import logging',
        'from datetime import date, datetime, timedelta',
        '',
        'import numpy as np',
        'import pandas as pd',
        'import matplotlib.pyplot as plt',
        'import mlflow',
        'import requests',
        'import pyspark.sql.functions as F',
        'from pyspark.sql import Window',
      ],
      [
        'dbutils.widgets.text("run_date", "")',
        'dbutils.widgets.dropdown("env", "prod", ["dev", "staging", "prod"])',
        'run_date = dbutils.widgets.get("run_date") or str(date.today() - timedelta(days=1))',
        'env = dbutils.widgets.get("env")',
        'logger = logging.getLogger("nightly_pipeline")',
        'pd.set_option("display.max_columns", 40)',
        'RANDOM_STATE = 42',
        'fx_rate = 1.08',
        'print(f"run_date={run_date} env={env}")',
      ],
      [
        'raw_df = pd.read_parquet("/dbfs/mnt/raw/orders/2024/")',
        'raw_df["created_at"] = pd.to_datetime(raw_df["created_at"])',
        'raw_df = raw_df.dropna(subset=["customer_id"])',
        'base_sdf = spark.table("bronze.orders").filter(F.col("ingest_date") == run_date)',
        'print(f"{len(raw_df)} rows loaded for {run_date}")',
        'raw_df.head()',
      ],
      this.pad(this.secretCell('password'), 5),
      this.pad(this.secretCell('token'), 5),
    ];
  }

  // ---- filler: clean statements that pad a cell to its target length

  private filler(): string[] {
    const f = this.frame();
    const s = this.sdf();
    const num = this.pick(NUMERIC);
    const grp = this.pick(GROUPING);
    switch (this.int(0, 13)) {
      case 0:
        return [`${f} = ${f}[${f}["${num}"] > ${this.int(0, 50)}]`];
      case 1:
        return [`${this.id('summary')} = ${f}.groupby("${grp}")["${num}"].agg(["sum", "mean", "count"])`];
      case 2:
        return [`${f}["${num}_eur"] = ${f}["${num}"] * fx_rate`];
      case 3:
        return [`# ${this.pick(['drop rows without a customer id', 'keep the last 90 days only', 'TODO: move to the silver layer', 'same filter as the finance dashboard', 'dedupe on the business key'])}`];
      case 4:
        return [`print(f"{len(${f})} rows after filtering on ${grp}")`];
      case 5:
        return [`${this.id('top')} = ${f}.sort_values("${num}", ascending=False).head(${this.int(5, 50)})`];
      case 6:
        return [`${s} = ${s}.withColumn("${grp}_norm", F.lower(F.trim(F.col("${grp}"))))`];
      case 7:
        return [`${s} = ${s}.filter(F.col("${num}") >= ${this.int(0, 100)})`];
      case 8:
        return [`${this.id('counts')} = ${s}.groupBy("${grp}").agg(F.count("*").alias("n"), F.sum("${num}").alias("total"))`];
      case 9:
        return [''];
      case 10:
        return [`${f} = ${f}.drop_duplicates(subset=["${this.pick(COLUMNS)}", "${grp}"])`];
      case 11:
        return [`${this.id('n_rows')} = ${f}.shape[0]`];
      case 12:
        return [`${f}["${grp}"] = ${f}["${grp}"].fillna("unknown").astype("category")`];
      default:
        return [`logger.info("step done: %s rows", len(${f}))`];
    }
  }

  private pad(lines: string[], target: number, where: 'before' | 'after' = 'after'): string[] {
    const extra: string[] = [];
    while (lines.length + extra.length < target) extra.push(...this.filler());
    return where === 'before' ? [...extra, ...lines] : [...lines, ...extra];
  }

  // ---- cell templates; each returns the cell's lines

  private secretCell(only?: SecretKind): string[] {
    const out: string[] = [];
    const n = only ? 1 : this.int(1, 2);
    for (let i = 0; i < n; i++) {
      if (only ? only === 'password' : this.chance(0.55)) {
        const name = this.id(this.pick(['jdbc_password', 'db_password', 'warehouse_pw', 'loader_password']));
        const user = this.id('db_user');
        const host = this.id('db_host');
        out.push(`${host} = "${this.pick(HOSTS)}"`);
        out.push(`${user} = "svc_${this.pick(DOMAINS)}_loader"`);
        if (this.chance(0.75)) out.push(`${name} = dbutils.secrets.get(scope="${this.pick(SCOPES)}", key="${this.pick(DOMAINS)}-loader-password")`);
        else out.push(`${name} = os.environ["${this.pick(DOMAINS).toUpperCase()}_DB_PASSWORD"]`);
        this.secrets.push({ name, kind: 'password', user, host });
      } else {
        const name = this.id(this.pick(['api_token', 'partner_token', 'registry_key', 'bot_token', 'client_secret']));
        const form = this.int(0, 2);
        if (form === 0) out.push(`${name} = dbutils.secrets.get("${this.pick(SCOPES)}", "api-token")`);
        else if (form === 1) out.push(`${name} = os.environ["${this.pick(ENV_KEYS)}"]`);
        else out.push(`${name} = os.getenv("${this.pick(ENV_KEYS)}", "")`);
        out.push(`assert len(${name}) > 0, "the ${name} secret is empty"`);
        this.secrets.push({ name, kind: 'token' });
      }
    }
    out.push(`print("secrets loaded for", env)`);
    return out;
  }

  private jdbcCell(): string[] {
    const s = this.secret('password');
    if (!s) return this.secretCell();
    const url = this.id('jdbc_url');
    const staged = this.id('staged');
    const table = `bronze.${this.pick(DOMAINS)}_${this.counter}`;
    const lines = [
      `${url} = f"jdbc:sqlserver://{${s.host}}:1433;database=${this.pick(DOMAINS)};encrypt=true"`,
      `query = f"(SELECT * FROM dbo.${this.pick(DOMAINS)} WHERE CAST(updated_at AS date) = '{run_date}') AS src"`,
      `${staged} = (spark.read.format("jdbc")`,
      `    .option("url", ${url})`,
      `    .option("dbtable", query)`,
      `    .option("user", ${s.user})`,
      `    .option("password", ${s.name})`,
      `    .option("fetchsize", ${this.pick([1000, 5000, 10000])})`,
      `    .load())`,
      `${staged}.write.format("delta").mode("overwrite").saveAsTable("${table}")`,
      `print(f"refreshed ${table} for {run_date}")`,
    ];
    this.tables.push(table);
    return lines;
  }

  private jdbcOptionsCell(): string[] {
    const s = this.secret('password');
    if (!s) return this.secretCell();
    const opts = this.id('jdbc_opts');
    const staged = this.id('staged');
    const table = `bronze.${this.pick(DOMAINS)}_${this.counter}`;
    this.tables.push(table);
    return [
      `${opts} = {`,
      `    "url": f"jdbc:postgresql://{${s.host}}:5432/analytics",`,
      `    "dbtable": "public.${this.pick(DOMAINS)}",`,
      `    "user": ${s.user},`,
      `    "password": ${s.name},`,
      `    "fetchsize": "${this.pick([1000, 5000, 10000])}",`,
      `}`,
      `${staged} = spark.read.format("jdbc").options(**${opts}).load()`,
      `${staged}.write.mode("append").saveAsTable("${table}")`,
      `print("appended to ${table}")`,
    ];
  }

  private httpCell(): string[] {
    const s = this.secret('token');
    if (!s) return this.secretCell();
    const records = this.id('records');
    const df = this.id('api_df');
    this.frames.push(df);
    return [
      `API = "${this.pick(APIS)}"`,
      `${records}, page = [], 1`,
      `while True:`,
      `    r = requests.get(`,
      `        f"{API}/${this.pick(DOMAINS)}",`,
      `        headers={"Authorization": f"Bearer {${s.name}}"},`,
      `        params={"updated_since": run_date, "page": page},`,
      `        timeout=${this.pick([30, 60, 120])},`,
      `    )`,
      `    r.raise_for_status()`,
      `    batch = r.json()["data"]`,
      `    if not batch:`,
      `        break`,
      `    ${records}.extend(batch)`,
      `    page += 1`,
      `${df} = pd.DataFrame(${records})`,
      `print(f"fetched {len(${records})} records in {page - 1} pages")`,
    ];
  }

  private pandasLoadCell(): string[] {
    const df = this.id(`${this.pick(DOMAINS)}_df`);
    const path = `/dbfs/mnt/${this.pick(['raw', 'landing', 'curated'])}/${this.pick(DOMAINS)}/`;
    const lines = this.chance(0.5)
      ? [`${df} = pd.read_parquet("${path}")`]
      : [`${df} = pd.read_csv("${path}export.csv", parse_dates=["created_at"], dtype={"store_id": "string"})`];
    lines.push(`${df} = ${df}.rename(columns=str.lower)`);
    lines.push(`print(${df}.shape)`);
    this.frames.push(df);
    return lines;
  }

  private pandasTransformCell(): string[] {
    const f = this.frame();
    const out = this.id('agg');
    const grp = this.pick(GROUPING);
    const num = this.pick(NUMERIC);
    const lines = [
      `${out} = (`,
      `    ${f}.assign(month=${f}["created_at"].dt.to_period("M"))`,
      `    .groupby(["month", "${grp}"], observed=True)`,
      `    .agg(total=("${num}", "sum"), n=("${this.pick(COLUMNS)}", "count"))`,
      `    .reset_index()`,
      `)`,
    ];
    if (this.chance(0.5)) {
      const other = this.frame();
      lines.push(`${out} = ${out}.merge(${other}[["${grp}"]].drop_duplicates(), on="${grp}", how="left")`);
    }
    lines.push(`${out}["share"] = ${out}["total"] / ${out}["total"].sum()`);
    this.frames.push(out);
    lines.push(this.chance(0.5) ? `${out}.head(${this.int(5, 20)})` : `display(${out})`);
    return lines;
  }

  private sparkCell(): string[] {
    const src = this.tables.length > 0 && this.chance(0.6) ? `spark.table("${this.pick(this.tables)}")` : this.sdf();
    const out = this.id('sdf');
    const grp = this.pick(GROUPING);
    const num = this.pick(NUMERIC);
    this.sdfs.push(out);
    return [
      `w = Window.partitionBy("${grp}").orderBy(F.desc("${num}"))`,
      `${out} = (${src}`,
      `    .withColumn("rank", F.row_number().over(w))`,
      `    .filter(F.col("rank") <= ${this.int(3, 20)})`,
      `    .withColumn("ingest_date", F.lit(run_date).cast("date"))`,
      `    .select("${grp}", "${num}", "rank", "ingest_date"))`,
      `${out}.write.format("delta").mode("overwrite").option("replaceWhere", f"ingest_date = '{run_date}'").saveAsTable("silver.${this.pick(DOMAINS)}_top")`,
      `display(${out}.limit(${this.int(10, 100)}))`,
    ];
  }

  private plotCell(): string[] {
    const f = this.frame();
    const grp = this.pick(GROUPING);
    const num = this.pick(NUMERIC);
    return [
      `fig, axes = plt.subplots(1, 2, figsize=(${this.int(8, 14)}, 4))`,
      `${f}.groupby("${grp}", observed=True)["${num}"].mean().plot.bar(ax=axes[0], title="${num} by ${grp}")`,
      `${f}["${num}"].plot.hist(bins=${this.int(10, 60)}, ax=axes[1])`,
      `axes[1].set_xlabel("${num}")`,
      `plt.tight_layout()`,
      `plt.show()`,
    ];
  }

  private helperDefCell(): string[] {
    const lines: string[] = [];
    const n = this.int(1, 3);
    for (let i = 0; i < n; i++) {
      if (i > 0) lines.push('', '');
      const kind = this.pick(['frame', 'frame', 'fetch', 'jdbc', 'mask', 'report', 'partition'] as const);
      const name = this.id(
        { frame: 'summarize', fetch: 'fetch_pages', jdbc: 'read_jdbc_table', mask: 'mask_value', report: 'report_counts', partition: 'partition_dates' }[kind],
      );
      this.helpers.push({ name, kind });
      switch (kind) {
        case 'frame':
          lines.push(
            `def ${name}(frame, by, top=10):`,
            `    """Totals per group, largest first."""`,
            `    out = frame.groupby(by, observed=True).agg(total=("amount", "sum"), n=("order_id", "count"))`,
            `    if top:`,
            `        out = out.sort_values("total", ascending=False).head(top)`,
            `    return out.reset_index()`,
          );
          break;
        case 'fetch':
          lines.push(
            `def ${name}(api_token, endpoint, page_size=500):`,
            `    rows, page = [], 1`,
            `    while True:`,
            `        resp = requests.get(`,
            `            f"${this.pick(APIS)}/{endpoint}",`,
            `            headers={"Authorization": f"Bearer {api_token}"},`,
            `            params={"page": page, "page_size": page_size},`,
            `            timeout=60,`,
            `        )`,
            `        if resp.status_code == 429:`,
            `            continue`,
            `        resp.raise_for_status()`,
            `        data = resp.json().get("items", [])`,
            `        if not data:`,
            `            break`,
            `        rows.extend(data)`,
            `        page += 1`,
            `    print(f"{endpoint}: {len(rows)} rows")`,
            `    return rows`,
          );
          break;
        case 'jdbc':
          lines.push(
            `def ${name}(host, table, user, password):`,
            `    url = f"jdbc:sqlserver://{host}:1433;database=${this.pick(DOMAINS)};encrypt=true"`,
            `    return (spark.read.format("jdbc")`,
            `            .option("url", url)`,
            `            .option("dbtable", table)`,
            `            .option("user", user)`,
            `            .option("password", password)`,
            `            .load())`,
          );
          break;
        case 'mask':
          lines.push(`def ${name}(value, keep=4):`, `    if not value:`, `        return ""`, `    return value[:keep] + "*" * max(len(value) - keep, 0)`);
          break;
        case 'report':
          lines.push(
            `def ${name}(frame, columns):`,
            `    for col in columns:`,
            `        missing = frame[col].isna().mean()`,
            `        if missing > 0.2:`,
            `            logger.warning("%s is %.0f%% empty", col, missing * 100)`,
            `        elif missing > 0:`,
            `            print(f"{col}: {missing:.1%} missing")`,
            `        else:`,
            `            print(f"{col}: complete")`,
          );
          break;
        case 'partition':
          lines.push(
            `def ${name}(start, days):`,
            `    out = []`,
            `    for i in range(days):`,
            `        d = start + timedelta(days=i)`,
            `        if d.weekday() < 5:`,
            `            out.append(d.isoformat())`,
            `    return out`,
          );
          break;
      }
    }
    return lines;
  }

  private helperCallCell(): string[] {
    const lines: string[] = [];
    const frameHelper = this.helper('frame');
    const f = this.frame();
    if (frameHelper) {
      const out = this.id('by_group');
      this.frames.push(out);
      lines.push(`${out} = ${frameHelper.name}(${f}, "${this.pick(GROUPING)}", top=${this.int(5, 25)})`);
    }
    const fetch = this.helper('fetch');
    const token = this.secret('token');
    if (fetch && token) {
      const rows = this.id('rows');
      const df = this.id('fetched_df');
      this.frames.push(df);
      lines.push(`${rows} = ${fetch.name}(${token.name}, "${this.pick(DOMAINS)}")`, `${df} = pd.DataFrame(${rows})`, `print(len(${df}), "rows fetched")`);
    }
    const jdbc = this.helper('jdbc');
    const pw = this.secret('password');
    if (jdbc && pw && this.chance(0.6)) {
      const staged = this.id('staged');
      const table = `bronze.${this.pick(DOMAINS)}_${this.counter}`;
      this.tables.push(table);
      lines.push(`${staged} = ${jdbc.name}(${pw.host}, "dbo.${this.pick(DOMAINS)}", ${pw.user}, ${pw.name})`, `${staged}.write.mode("overwrite").saveAsTable("${table}")`);
    }
    const mask = this.helper('mask');
    const anySecret = this.secret();
    if (mask && anySecret && this.chance(0.5)) lines.push(`print("using credential", ${mask.name}(${anySecret.name}))`);
    const report = this.helper('report');
    if (report) lines.push(`${report.name}(${f}, ["${this.pick(COLUMNS)}", "${this.pick(COLUMNS)}"])`);
    const partition = this.helper('partition');
    if (partition) {
      const days = this.id('days');
      lines.push(`${days} = ${partition.name}(date.fromisoformat(run_date), ${this.int(3, 30)})`, `for d in ${days}:`, `    print("backfill", d)`);
    }
    if (lines.length === 0) return this.pandasTransformCell();
    return lines;
  }

  private optionsLoopCell(): string[] {
    const opts = this.id('read_opts');
    const out = this.id('csv_sdf');
    this.sdfs.push(out);
    return [
      `${opts} = {`,
      `    "header": "true",`,
      `    "inferSchema": "${this.pick(['true', 'false'])}",`,
      `    "delimiter": "${this.pick([',', ';', '|'])}",`,
      `    "mode": "${this.pick(['PERMISSIVE', 'DROPMALFORMED'])}",`,
      `}`,
      `for key, value in ${opts}.items():`,
      `    print(f"option {key}={value}")`,
      `${out} = spark.read.options(**${opts}).csv("/mnt/landing/${this.pick(DOMAINS)}/{run_date}/".format(run_date=run_date))`,
      `if ${out}.rdd.isEmpty():`,
      `    logger.warning("no files for %s", run_date)`,
      `else:`,
      `    ${out} = ${out}.dropDuplicates(["${this.pick(COLUMNS)}"])`,
      `    print(${out}.count(), "rows")`,
    ];
  }

  private branchCell(): string[] {
    const f = this.frame();
    const num = this.pick(NUMERIC);
    const grp = this.pick(GROUPING);
    const res = this.id('results');
    return [
      `${res} = {}`,
      `for key, part in ${f}.groupby("${grp}", observed=True):`,
      `    if len(part) < ${this.int(10, 200)}:`,
      `        continue`,
      `    try:`,
      `        stats = part["${num}"].describe()`,
      `    except KeyError as exc:`,
      `        logger.error("missing column for %s: %s", key, exc)`,
      `        continue`,
      `    if stats["mean"] > ${this.int(10, 500)}:`,
      `        label = "high"`,
      `    elif stats["mean"] > ${this.int(1, 9)}:`,
      `        label = "medium"`,
      `    else:`,
      `        label = "low"`,
      `    ${res}[key] = {"label": label, "n": int(stats["count"])}`,
      `print(json.dumps(${res}, indent=2, default=str))`,
    ];
  }

  private mlflowCell(): string[] {
    const f = this.frame();
    const params = this.id('params');
    return [
      `${params} = {`,
      `    "learning_rate": ${this.pick([0.01, 0.05, 0.1])},`,
      `    "max_depth": ${this.int(3, 10)},`,
      `    "n_estimators": ${this.int(100, 800)},`,
      `}`,
      `with mlflow.start_run(run_name="${this.pick(DOMAINS)}-baseline") as run:`,
      `    mlflow.log_params(${params})`,
      `    mlflow.log_metric("rows", len(${f}))`,
      `    mlflow.log_metric("mean_amount", float(${f}["amount"].mean()))`,
      `print("run id:", run.info.run_id)`,
    ];
  }

  private connectorCell(): string[] {
    const s = this.secret('password');
    if (!s) return this.secretCell();
    const conn = this.id('conn');
    const df = this.id('sf_df');
    return [
      `import snowflake.connector`,
      `${conn} = snowflake.connector.connect(`,
      `    account="acme-${this.pick(['eu', 'us'])}1",`,
      `    user=${s.user},`,
      `    password=${s.name},`,
      `    warehouse="REPORTING_WH",`,
      `)`,
      `cur = ${conn}.cursor()`,
      `cur.execute("SELECT region, SUM(amount) FROM sales.orders GROUP BY region")`,
      `${df} = pd.DataFrame(cur.fetchall(), columns=["region", "amount"])`,
      `${df}.to_parquet("/dbfs/mnt/curated/snowflake_${this.counter}.parquet")`,
      `cur.close()`,
      `print("exported", "snowflake_${this.counter}")`,
    ];
  }

  /** A leak: the only place where the generated code means to report something. */
  private leakLines(): string[] {
    const s = this.secret();
    if (!s) return [];
    switch (this.int(0, 4)) {
      case 0:
        this.plant('NBG101');
        return [`print(f"connecting to the service with {${s.name}}")`];
      case 1:
        this.plant('NBG101');
        return [`logger.info("retrying with credential %s", ${s.name})`];
      case 2:
        this.plant('NBG102');
        return [`dbutils.notebook.run("./child_${this.pick(DOMAINS)}", 600, {"run_date": run_date, "secret": ${s.name}})`, `print("child notebook finished")`];
      case 3:
        this.plant('NBG101');
        return [`logging.warning(f"auth failed for token {${s.name}}")`];
      default: {
        if (s.kind !== 'password') {
          this.plant('NBG101');
          return [`print("token:", ${s.name})`];
        }
        const url = this.id('debug_url');
        this.plant('NBG101');
        return [`${url} = f"jdbc:sqlserver://{${s.host}}:1433;user={${s.user}};password={${s.name}}"`, url];
      }
    }
  }

  private hardcodedLines(): string[] {
    const chars = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let value = '';
    for (let i = 0; i < 18; i++) value += chars[this.int(0, chars.length - 1)];
    this.plant('NBG201');
    const name = this.id('legacy_password');
    return [`${name} = "${value}"  # old loader account, see ticket`, `print("legacy account configured")`];
  }

  /** One code cell; `k` is its position among the code cells (decides the planted leaks). */
  codeCell(k: number): string[] {
    const target = this.targetLength();
    const templates: [number, () => string[]][] = [
      [6, () => this.secretCell()],
      [7, () => this.jdbcCell()],
      [4, () => this.jdbcOptionsCell()],
      [6, () => this.httpCell()],
      [10, () => this.pandasLoadCell()],
      [14, () => this.pandasTransformCell()],
      [10, () => this.sparkCell()],
      [7, () => this.plotCell()],
      [8, () => this.helperDefCell()],
      [10, () => this.helperCallCell()],
      [5, () => this.optionsLoopCell()],
      [6, () => this.branchCell()],
      [4, () => this.mlflowCell()],
      [3, () => this.connectorCell()],
    ];
    const total = templates.reduce((n, [w]) => n + w, 0);
    let u = this.r() * total;
    let body: string[] = [];
    for (const [w, make] of templates) {
      u -= w;
      if (u < 0) {
        body = make();
        break;
      }
    }
    // A few leaks spread through the notebook (one code cell in 25), and rarer hardcoded ones.
    if (k % LEAK_EVERY === LEAK_EVERY >> 1) body = [...this.pad(body, target - 2), ...this.leakLines()];
    else if (k % HARDCODED_EVERY === HARDCODED_EVERY >> 1) body = [...this.pad(body, target - 2), ...this.hardcodedLines()];
    else body = this.pad(body, target, this.chance(0.3) ? 'before' : 'after');
    // Do not end on a bare blank/comment line.
    while (body.length > 1 && /^(\s*|#.*)$/.test(body[body.length - 1])) body.pop();
    return body;
  }

  markdownCell(): string {
    const title = this.pick(['Load', 'Clean up', 'Features', 'Publish', 'Checks', 'Backfill', 'Exploration', 'Export']);
    const domain = this.pick(DOMAINS);
    return this.chance(0.5)
      ? `## ${title}: ${domain}`
      : `### ${title} ${domain}\n\nThe ${domain} extract is refreshed nightly by the \`${domain}_ingest\` job.\nNumbers below are for \`run_date\` only; re-run the cell after changing the widget.`;
  }

  wantsMarkdown(): boolean {
    return this.chance(0.18);
  }
}

function sourceLines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p)).filter((p) => p !== '');
}

/** Generates a notebook with `codeCells` code cells (and some markdown cells). */
export function generateNotebook(options: GenerateOptions): GeneratedNotebook {
  const b = new NotebookBuilder(options.seed ?? DEFAULT_SEED);
  const cells: Record<string, unknown>[] = [];
  const codeCellIndices: number[] = [];
  let codeLines = 0;
  let markdownCells = 0;
  const addMarkdown = (source: string) => {
    cells.push({ cell_type: 'markdown', id: `md-${cells.length}`, metadata: {}, source: sourceLines(source) });
    markdownCells++;
  };
  const addCode = (lines: string[]) => {
    codeCellIndices.push(cells.length);
    codeLines += lines.length;
    cells.push({ cell_type: 'code', id: `code-${cells.length}`, metadata: {}, execution_count: null, outputs: [], source: sourceLines(lines.join('\n')) });
  };
  addMarkdown(`# Nightly pipeline (generated, ${options.codeCells} code cells)\n\nLoads the sources, builds the silver tables and publishes the reports.`);
  const setup = b.setupCells().slice(0, options.codeCells);
  for (const c of setup) addCode(c);
  while (codeCellIndices.length < options.codeCells) {
    if (b.wantsMarkdown()) addMarkdown(b.markdownCell());
    addCode(b.codeCell(codeCellIndices.length));
  }
  const text = JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' },
        language_info: { name: 'python', version: '3.11' },
      },
      cells,
    },
    null,
    1,
  );
  return { text, codeCellIndices, codeCells: codeCellIndices.length, markdownCells, codeLines, planted: { ...b.planted } };
}

/** nbformat 4 JSON text of a generated notebook. */
export function generateNotebookText(codeCells: number, seed = DEFAULT_SEED): string {
  return generateNotebook({ codeCells, seed }).text;
}

/**
 * A realistic one-line edit of a cell's source: a number changed on one line (a limit, a
 * threshold, a timeout), a string literal extended (a column or table name being typed), or a
 * new statement appended at the end. Deterministic for a given `r`.
 */
export function editCell(source: string, r: () => number): string {
  const lines = source.split('\n');
  const candidates = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '' && !l.trim().startsWith('#'));
  const mode = r();
  if (mode < 0.4) {
    const withNumber = candidates.filter(({ l }) => /(?<![\w.])\d+(?![\w.])/.test(l));
    if (withNumber.length > 0) {
      const { l, i } = withNumber[Math.floor(r() * withNumber.length)];
      lines[i] = l.replace(/(?<![\w.])(\d+)(?![\w.])/, (_m, d: string) => String(Number(d) + 1 + Math.floor(r() * 9)));
      return lines.join('\n');
    }
  }
  if (mode < 0.75) {
    const withString = candidates.filter(({ l }) => /"[a-z_]+"/.test(l));
    if (withString.length > 0) {
      const { l, i } = withString[Math.floor(r() * withString.length)];
      lines[i] = l.replace(/"([a-z_]+)"/, (_m, s: string) => `"${s}_v2"`);
      return lines.join('\n');
    }
  }
  const additions = ['print("checkpoint")', 'logger.info("cell finished for %s", run_date)', 'assert run_date, "run_date is empty"', 'plt.close("all")'];
  return `${source}\n${additions[Math.floor(r() * additions.length)]}`;
}

/** `generate --cells N [--seed S] [--out file]`: writes the notebook (stdout without --out). */
export function generateCommand(args: readonly string[]): void {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const cells = Number(value('--cells') ?? 300);
  const seed = Number(value('--seed') ?? DEFAULT_SEED);
  if (!Number.isInteger(cells) || cells < 1) throw new Error('--cells must be a positive integer');
  const nb = generateNotebook({ codeCells: cells, seed });
  const out = value('--out');
  if (out) {
    writeFileSync(out, nb.text);
    console.error(`${out}: ${nb.codeCells} code cells, ${nb.markdownCells} markdown cells, ${nb.codeLines} lines of code, planted ${JSON.stringify(nb.planted)}`);
  } else process.stdout.write(nb.text);
}
