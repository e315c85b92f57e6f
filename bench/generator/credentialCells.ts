// Cell templates that read credentials and use them the legitimate way: secrets from
// dbutils.secrets.get / os.environ, JDBC reads (option by option or from a dict of options),
// paginated HTTP calls with a bearer header, and a Snowflake connector. None of them leaks; the
// DataFrames they read with a credential are written to tables, never shown.

import type { NotebookScope, SecretKind } from './notebookScope';
import { APIS, DOMAINS, ENV_KEYS, HOSTS, SCOPES } from './vocabulary';

/** One or two secrets read from the secret store or the environment (or one of the `only` kind). */
export function secretCell(scope: NotebookScope, only?: SecretKind): string[] {
  const out: string[] = [];
  const n = only ? 1 : scope.int(1, 2);
  for (let i = 0; i < n; i++) {
    if (only ? only === 'password' : scope.chance(0.55)) {
      const name = scope.id(scope.pick(['jdbc_password', 'db_password', 'warehouse_pw', 'loader_password']));
      const user = scope.id('db_user');
      const host = scope.id('db_host');
      out.push(`${host} = "${scope.pick(HOSTS)}"`);
      out.push(`${user} = "svc_${scope.pick(DOMAINS)}_loader"`);
      if (scope.chance(0.75)) out.push(`${name} = dbutils.secrets.get(scope="${scope.pick(SCOPES)}", key="${scope.pick(DOMAINS)}-loader-password")`);
      else out.push(`${name} = os.environ["${scope.pick(DOMAINS).toUpperCase()}_DB_PASSWORD"]`);
      scope.secrets.push({ name, kind: 'password', user, host });
    } else {
      const name = scope.id(scope.pick(['api_token', 'partner_token', 'registry_key', 'bot_token', 'client_secret']));
      const form = scope.int(0, 2);
      if (form === 0) out.push(`${name} = dbutils.secrets.get("${scope.pick(SCOPES)}", "api-token")`);
      else if (form === 1) out.push(`${name} = os.environ["${scope.pick(ENV_KEYS)}"]`);
      else out.push(`${name} = os.getenv("${scope.pick(ENV_KEYS)}", "")`);
      out.push(`assert len(${name}) > 0, "the ${name} secret is empty"`);
      scope.secrets.push({ name, kind: 'token' });
    }
  }
  out.push(`print("secrets loaded for", env)`);
  return out;
}

export function jdbcCell(scope: NotebookScope): string[] {
  const s = scope.secret('password');
  if (!s) return secretCell(scope);
  const url = scope.id('jdbc_url');
  const staged = scope.id('staged');
  const table = `bronze.${scope.pick(DOMAINS)}_${scope.counter}`;
  const lines = [
    `${url} = f"jdbc:sqlserver://{${s.host}}:1433;database=${scope.pick(DOMAINS)};encrypt=true"`,
    `query = f"(SELECT * FROM dbo.${scope.pick(DOMAINS)} WHERE CAST(updated_at AS date) = '{run_date}') AS src"`,
    `${staged} = (spark.read.format("jdbc")`,
    `    .option("url", ${url})`,
    `    .option("dbtable", query)`,
    `    .option("user", ${s.user})`,
    `    .option("password", ${s.name})`,
    `    .option("fetchsize", ${scope.pick([1000, 5000, 10000])})`,
    `    .load())`,
    `${staged}.write.format("delta").mode("overwrite").saveAsTable("${table}")`,
    `print(f"refreshed ${table} for {run_date}")`,
  ];
  scope.tables.push(table);
  return lines;
}

export function jdbcOptionsCell(scope: NotebookScope): string[] {
  const s = scope.secret('password');
  if (!s) return secretCell(scope);
  const opts = scope.id('jdbc_opts');
  const staged = scope.id('staged');
  const table = `bronze.${scope.pick(DOMAINS)}_${scope.counter}`;
  scope.tables.push(table);
  return [
    `${opts} = {`,
    `    "url": f"jdbc:postgresql://{${s.host}}:5432/analytics",`,
    `    "dbtable": "public.${scope.pick(DOMAINS)}",`,
    `    "user": ${s.user},`,
    `    "password": ${s.name},`,
    `    "fetchsize": "${scope.pick([1000, 5000, 10000])}",`,
    `}`,
    `${staged} = spark.read.format("jdbc").options(**${opts}).load()`,
    `${staged}.write.mode("append").saveAsTable("${table}")`,
    `print("appended to ${table}")`,
  ];
}

export function httpCell(scope: NotebookScope): string[] {
  const s = scope.secret('token');
  if (!s) return secretCell(scope);
  const records = scope.id('records');
  const df = scope.id('api_df');
  scope.frames.push(df);
  return [
    `API = "${scope.pick(APIS)}"`,
    `${records}, page = [], 1`,
    `while True:`,
    `    r = requests.get(`,
    `        f"{API}/${scope.pick(DOMAINS)}",`,
    `        headers={"Authorization": f"Bearer {${s.name}}"},`,
    `        params={"updated_since": run_date, "page": page},`,
    `        timeout=${scope.pick([30, 60, 120])},`,
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

export function connectorCell(scope: NotebookScope): string[] {
  const s = scope.secret('password');
  if (!s) return secretCell(scope);
  const conn = scope.id('conn');
  const df = scope.id('sf_df');
  return [
    `import snowflake.connector`,
    `${conn} = snowflake.connector.connect(`,
    `    account="acme-${scope.pick(['eu', 'us'])}1",`,
    `    user=${s.user},`,
    `    password=${s.name},`,
    `    warehouse="REPORTING_WH",`,
    `)`,
    `cur = ${conn}.cursor()`,
    `cur.execute("SELECT region, SUM(amount) FROM sales.orders GROUP BY region")`,
    `${df} = pd.DataFrame(cur.fetchall(), columns=["region", "amount"])`,
    `${df}.to_parquet("/dbfs/mnt/curated/snowflake_${scope.counter}.parquet")`,
    `cur.close()`,
    `print("exported", "snowflake_${scope.counter}")`,
  ];
}
