// Cell templates for the ordinary data work between the credentials: pandas loads and
// aggregations, Spark window queries written to Delta, plots, a read-options dict and loop,
// branches over groups, and mlflow logging. All clean, over the DataFrames already in scope.

import type { NotebookScope } from './notebookScope';
import { COLUMNS, DOMAINS, GROUPING, NUMERIC } from './vocabulary';

export function pandasLoadCell(scope: NotebookScope): string[] {
  const df = scope.id(`${scope.pick(DOMAINS)}_df`);
  const path = `/dbfs/mnt/${scope.pick(['raw', 'landing', 'curated'])}/${scope.pick(DOMAINS)}/`;
  const lines = scope.chance(0.5)
    ? [`${df} = pd.read_parquet("${path}")`]
    : [`${df} = pd.read_csv("${path}export.csv", parse_dates=["created_at"], dtype={"store_id": "string"})`];
  lines.push(`${df} = ${df}.rename(columns=str.lower)`);
  lines.push(`print(${df}.shape)`);
  scope.frames.push(df);
  return lines;
}

export function pandasTransformCell(scope: NotebookScope): string[] {
  const f = scope.frame();
  const out = scope.id('agg');
  const grp = scope.pick(GROUPING);
  const num = scope.pick(NUMERIC);
  const lines = [
    `${out} = (`,
    `    ${f}.assign(month=${f}["created_at"].dt.to_period("M"))`,
    `    .groupby(["month", "${grp}"], observed=True)`,
    `    .agg(total=("${num}", "sum"), n=("${scope.pick(COLUMNS)}", "count"))`,
    `    .reset_index()`,
    `)`,
  ];
  if (scope.chance(0.5)) {
    const other = scope.frame();
    lines.push(`${out} = ${out}.merge(${other}[["${grp}"]].drop_duplicates(), on="${grp}", how="left")`);
  }
  lines.push(`${out}["share"] = ${out}["total"] / ${out}["total"].sum()`);
  scope.frames.push(out);
  lines.push(scope.chance(0.5) ? `${out}.head(${scope.int(5, 20)})` : `display(${out})`);
  return lines;
}

export function sparkCell(scope: NotebookScope): string[] {
  const src = scope.tables.length > 0 && scope.chance(0.6) ? `spark.table("${scope.pick(scope.tables)}")` : scope.sdf();
  const out = scope.id('sdf');
  const grp = scope.pick(GROUPING);
  const num = scope.pick(NUMERIC);
  scope.sdfs.push(out);
  return [
    `w = Window.partitionBy("${grp}").orderBy(F.desc("${num}"))`,
    `${out} = (${src}`,
    `    .withColumn("rank", F.row_number().over(w))`,
    `    .filter(F.col("rank") <= ${scope.int(3, 20)})`,
    `    .withColumn("ingest_date", F.lit(run_date).cast("date"))`,
    `    .select("${grp}", "${num}", "rank", "ingest_date"))`,
    `${out}.write.format("delta").mode("overwrite").option("replaceWhere", f"ingest_date = '{run_date}'").saveAsTable("silver.${scope.pick(DOMAINS)}_top")`,
    `display(${out}.limit(${scope.int(10, 100)}))`,
  ];
}

export function plotCell(scope: NotebookScope): string[] {
  const f = scope.frame();
  const grp = scope.pick(GROUPING);
  const num = scope.pick(NUMERIC);
  return [
    `fig, axes = plt.subplots(1, 2, figsize=(${scope.int(8, 14)}, 4))`,
    `${f}.groupby("${grp}", observed=True)["${num}"].mean().plot.bar(ax=axes[0], title="${num} by ${grp}")`,
    `${f}["${num}"].plot.hist(bins=${scope.int(10, 60)}, ax=axes[1])`,
    `axes[1].set_xlabel("${num}")`,
    `plt.tight_layout()`,
    `plt.show()`,
  ];
}

export function optionsLoopCell(scope: NotebookScope): string[] {
  const opts = scope.id('read_opts');
  const out = scope.id('csv_sdf');
  scope.sdfs.push(out);
  return [
    `${opts} = {`,
    `    "header": "true",`,
    `    "inferSchema": "${scope.pick(['true', 'false'])}",`,
    `    "delimiter": "${scope.pick([',', ';', '|'])}",`,
    `    "mode": "${scope.pick(['PERMISSIVE', 'DROPMALFORMED'])}",`,
    `}`,
    `for key, value in ${opts}.items():`,
    `    print(f"option {key}={value}")`,
    `${out} = spark.read.options(**${opts}).csv("/mnt/landing/${scope.pick(DOMAINS)}/{run_date}/".format(run_date=run_date))`,
    `if ${out}.rdd.isEmpty():`,
    `    logger.warning("no files for %s", run_date)`,
    `else:`,
    `    ${out} = ${out}.dropDuplicates(["${scope.pick(COLUMNS)}"])`,
    `    print(${out}.count(), "rows")`,
  ];
}

export function branchCell(scope: NotebookScope): string[] {
  const f = scope.frame();
  const num = scope.pick(NUMERIC);
  const grp = scope.pick(GROUPING);
  const res = scope.id('results');
  return [
    `${res} = {}`,
    `for key, part in ${f}.groupby("${grp}", observed=True):`,
    `    if len(part) < ${scope.int(10, 200)}:`,
    `        continue`,
    `    try:`,
    `        stats = part["${num}"].describe()`,
    `    except KeyError as exc:`,
    `        logger.error("missing column for %s: %s", key, exc)`,
    `        continue`,
    `    if stats["mean"] > ${scope.int(10, 500)}:`,
    `        label = "high"`,
    `    elif stats["mean"] > ${scope.int(1, 9)}:`,
    `        label = "medium"`,
    `    else:`,
    `        label = "low"`,
    `    ${res}[key] = {"label": label, "n": int(stats["count"])}`,
    `print(json.dumps(${res}, indent=2, default=str))`,
  ];
}

export function mlflowCell(scope: NotebookScope): string[] {
  const f = scope.frame();
  const params = scope.id('params');
  return [
    `${params} = {`,
    `    "learning_rate": ${scope.pick([0.01, 0.05, 0.1])},`,
    `    "max_depth": ${scope.int(3, 10)},`,
    `    "n_estimators": ${scope.int(100, 800)},`,
    `}`,
    `with mlflow.start_run(run_name="${scope.pick(DOMAINS)}-baseline") as run:`,
    `    mlflow.log_params(${params})`,
    `    mlflow.log_metric("rows", len(${f}))`,
    `    mlflow.log_metric("mean_amount", float(${f}["amount"].mean()))`,
    `print("run id:", run.info.run_id)`,
  ];
}
