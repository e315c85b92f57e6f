// Filler for the generated cells: short clean statements (filters, aggregations, prints,
// comments, blank lines) that pad a cell to its target length without adding findings.

import type { NotebookScope } from './notebookScope';
import { COLUMNS, GROUPING, NUMERIC } from './vocabulary';

/** One clean statement (sometimes a comment or a blank line) over the DataFrames in scope. */
export function filler(scope: NotebookScope): string[] {
  const f = scope.frame();
  const sdf = scope.sdf();
  const num = scope.pick(NUMERIC);
  const grp = scope.pick(GROUPING);
  switch (scope.int(0, 13)) {
    case 0:
      return [`${f} = ${f}[${f}["${num}"] > ${scope.int(0, 50)}]`];
    case 1:
      return [`${scope.id('summary')} = ${f}.groupby("${grp}")["${num}"].agg(["sum", "mean", "count"])`];
    case 2:
      return [`${f}["${num}_eur"] = ${f}["${num}"] * fx_rate`];
    case 3:
      return [`# ${scope.pick(['drop rows without a customer id', 'keep the last 90 days only', 'TODO: move to the silver layer', 'same filter as the finance dashboard', 'dedupe on the business key'])}`];
    case 4:
      return [`print(f"{len(${f})} rows after filtering on ${grp}")`];
    case 5:
      return [`${scope.id('top')} = ${f}.sort_values("${num}", ascending=False).head(${scope.int(5, 50)})`];
    case 6:
      return [`${sdf} = ${sdf}.withColumn("${grp}_norm", F.lower(F.trim(F.col("${grp}"))))`];
    case 7:
      return [`${sdf} = ${sdf}.filter(F.col("${num}") >= ${scope.int(0, 100)})`];
    case 8:
      return [`${scope.id('counts')} = ${sdf}.groupBy("${grp}").agg(F.count("*").alias("n"), F.sum("${num}").alias("total"))`];
    case 9:
      return [''];
    case 10:
      return [`${f} = ${f}.drop_duplicates(subset=["${scope.pick(COLUMNS)}", "${grp}"])`];
    case 11:
      return [`${scope.id('n_rows')} = ${f}.shape[0]`];
    case 12:
      return [`${f}["${grp}"] = ${f}["${grp}"].fillna("unknown").astype("category")`];
    default:
      return [`logger.info("step done: %s rows", len(${f}))`];
  }
}

/** `lines` padded with filler to `target` lines, the filler before or after them. */
export function pad(scope: NotebookScope, lines: string[], target: number, where: 'before' | 'after' = 'after'): string[] {
  const extra: string[] = [];
  while (lines.length + extra.length < target) extra.push(...filler(scope));
  return where === 'before' ? [...extra, ...lines] : [...lines, ...extra];
}
