// Cell templates for helper functions defined in one cell and called in later ones (group
// summaries, paginated fetches, JDBC reads, value masking, reports, date partitions), so that the
// analysis has to follow data across cells and through function calls.

import { pandasTransformCell } from './dataCells';
import type { NotebookScope } from './notebookScope';
import { APIS, COLUMNS, DOMAINS, GROUPING } from './vocabulary';

export function helperDefCell(scope: NotebookScope): string[] {
  const lines: string[] = [];
  const n = scope.int(1, 3);
  for (let i = 0; i < n; i++) {
    if (i > 0) lines.push('', '');
    const kind = scope.pick(['frame', 'frame', 'fetch', 'jdbc', 'mask', 'report', 'partition'] as const);
    const name = scope.id(
      { frame: 'summarize', fetch: 'fetch_pages', jdbc: 'read_jdbc_table', mask: 'mask_value', report: 'report_counts', partition: 'partition_dates' }[kind],
    );
    scope.helpers.push({ name, kind });
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
          `            f"${scope.pick(APIS)}/{endpoint}",`,
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
          `    url = f"jdbc:sqlserver://{host}:1433;database=${scope.pick(DOMAINS)};encrypt=true"`,
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

export function helperCallCell(scope: NotebookScope): string[] {
  const lines: string[] = [];
  const frameHelper = scope.helper('frame');
  const f = scope.frame();
  if (frameHelper) {
    const out = scope.id('by_group');
    scope.frames.push(out);
    lines.push(`${out} = ${frameHelper.name}(${f}, "${scope.pick(GROUPING)}", top=${scope.int(5, 25)})`);
  }
  const fetch = scope.helper('fetch');
  const token = scope.secret('token');
  if (fetch && token) {
    const rows = scope.id('rows');
    const df = scope.id('fetched_df');
    scope.frames.push(df);
    lines.push(`${rows} = ${fetch.name}(${token.name}, "${scope.pick(DOMAINS)}")`, `${df} = pd.DataFrame(${rows})`, `print(len(${df}), "rows fetched")`);
  }
  const jdbc = scope.helper('jdbc');
  const pw = scope.secret('password');
  if (jdbc && pw && scope.chance(0.6)) {
    const staged = scope.id('staged');
    const table = `bronze.${scope.pick(DOMAINS)}_${scope.counter}`;
    scope.tables.push(table);
    lines.push(`${staged} = ${jdbc.name}(${pw.host}, "dbo.${scope.pick(DOMAINS)}", ${pw.user}, ${pw.name})`, `${staged}.write.mode("overwrite").saveAsTable("${table}")`);
  }
  const mask = scope.helper('mask');
  const anySecret = scope.secret();
  if (mask && anySecret && scope.chance(0.5)) lines.push(`print("using credential", ${mask.name}(${anySecret.name}))`);
  const report = scope.helper('report');
  if (report) lines.push(`${report.name}(${f}, ["${scope.pick(COLUMNS)}", "${scope.pick(COLUMNS)}"])`);
  const partition = scope.helper('partition');
  if (partition) {
    const days = scope.id('days');
    lines.push(`${days} = ${partition.name}(date.fromisoformat(run_date), ${scope.int(3, 30)})`, `for d in ${days}:`, `    print("backfill", d)`);
  }
  if (lines.length === 0) return pandasTransformCell(scope);
  return lines;
}
