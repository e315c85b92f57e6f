// What one notebook session runs, command by command: the cells of the benchmark's notebook
// generator (bench/generator/), so the command texts look like the cells of the analysis
// benchmark's notebooks. A session starts as the generated notebooks do (imports, widgets, the
// raw load, a password and a token read from the secret store), then runs generated code cells,
// with now and then a magic command (%md with the generator's markdown, %sql, %pip) and, at
// a small rate, a planted finding:
//
// - a leak of a secret read in the setup commands (the generator's leakLines: print, logging,
//   dbutils.notebook.run arguments, an echoed JDBC URL): NBG101 / NBG102;
// - a hardcoded password (the generator's hardcodedLines): NBG201;
// - the secret set in Spark configuration (spark.conf.set of a storage account key): NBG301;
// - a pasted AWS access key pair handed to boto3: NBG201 twice.
//
// Every choice draws from the session's NotebookScope, so a (seed, length) pair always gives the
// same commands.

import { codeCell, markdownCell } from '../generator/cellPicker';
import { NotebookScope } from '../generator/notebookScope';
import { setupCells } from '../generator/setupCells';
import { DOMAINS } from '../generator/vocabulary';
import { LOG_SHAPE } from './config';

export type CommandKind = 'setup' | 'code' | 'md' | 'sql' | 'pip';

export interface ScriptCommand {
  readonly text: string;
  readonly kind: CommandKind;
  /** Findings planted in this command, by rule id. */
  readonly planted: Readonly<Record<string, number>>;
}

/** codeCell's planted-leak positions (plantedLeaks.ts): k % 25 === 12 leaks, k % 150 === 75 hardcodes. */
const K_CLEAN = 0;
const K_LEAK = 12;
const K_HARDCODED = 75;

const PIP = ['great-expectations==0.18.8', 'snowflake-connector-python==3.7.0', 'xgboost==2.0.3', 'openpyxl', 'delta-sharing', 'azure-storage-blob==12.19.0'];
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class SessionScript {
  private readonly scope: NotebookScope;
  private readonly setup: string[][];
  private position = 0;

  constructor(
    seed: number,
    /** Commands in the session, setup included. */
    readonly length: number,
  ) {
    this.scope = new NotebookScope(seed);
    this.setup = setupCells(this.scope);
  }

  get done(): boolean {
    return this.position >= this.length;
  }

  next(): ScriptCommand {
    const k = this.position++;
    if (k < this.setup.length) return { text: this.setup[k].join('\n'), kind: 'setup', planted: {} };
    const s = this.scope;
    const u = s.random();
    const shape = LOG_SHAPE;
    if (u < shape.markdown) return { text: `%md\n${markdownCell(s)}`, kind: 'md', planted: {} };
    if (u < shape.markdown + shape.sql) return { text: this.sql(), kind: 'sql', planted: {} };
    if (u < shape.markdown + shape.sql + shape.pip) return { text: `%pip install ${s.pick(PIP)}`, kind: 'pip', planted: {} };
    return this.code();
  }

  private sql(): string {
    const s = this.scope;
    const table = s.tables.length > 0 ? s.pick(s.tables) : `bronze.${s.pick(DOMAINS)}`;
    return [`%sql`, `SELECT ${s.pick(['region', 'status', 'channel', 'country'])}, count(*) AS n`, `FROM ${table}`, `WHERE ingest_date = current_date() - 1`, `GROUP BY 1`, `ORDER BY n DESC`].join('\n');
  }

  private code(): ScriptCommand {
    const s = this.scope;
    const before = { ...s.planted };
    const u = s.random();
    const shape = LOG_SHAPE;
    let lines: string[];
    const extra: Record<string, number> = {};
    if (u < shape.leak) lines = codeCell(s, K_LEAK);
    else if (u < shape.leak + shape.hardcodedPassword) lines = codeCell(s, K_HARDCODED);
    else if (u < shape.leak + shape.hardcodedPassword + shape.sparkConf) {
      const secret = s.secret('token') ?? s.secret();
      lines = codeCell(s, K_CLEAN);
      if (secret) {
        lines = [...lines, `spark.conf.set("fs.azure.account.key.${s.pick(DOMAINS)}lake${s.int(1, 9)}.dfs.core.windows.net", ${secret.name})`, `print("storage configured")`];
        extra.NBG301 = 1;
      }
    } else if (u < shape.leak + shape.hardcodedPassword + shape.sparkConf + shape.awsKeys) {
      let keyId = 'AKIA';
      for (let i = 0; i < 16; i++) keyId += BASE32[s.int(0, 31)];
      let secretKey = '';
      for (let i = 0; i < 40; i++) secretKey += BASE64[s.int(0, 63)];
      const id = s.id('aws_access_key_id');
      const key = s.id('aws_secret_access_key');
      lines = [
        ...codeCell(s, K_CLEAN),
        'import boto3',
        `${id} = "${keyId}"`,
        `${key} = "${secretKey}"`,
        `s3 = boto3.client("s3", aws_access_key_id=${id}, aws_secret_access_key=${key})`,
        `s3.download_file("acme-${s.pick(DOMAINS)}-exports", "latest/export.csv", "/tmp/export.csv")`,
      ];
      extra.NBG201 = 2;
    } else lines = codeCell(s, K_CLEAN);
    const planted: Record<string, number> = { ...extra };
    for (const [rule, n] of Object.entries(s.planted)) {
      const added = n - (before[rule] ?? 0);
      if (added > 0) planted[rule] = (planted[rule] ?? 0) + added;
    }
    return { text: lines.join('\n'), kind: 'code', planted };
  }
}
