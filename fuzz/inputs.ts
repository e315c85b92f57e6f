// The inputs: seed notebooks (examples/, fuzz/seeds/, notebooks built like the tests build them,
// code snippets taken from the tests), Databricks source files, logs for `redact` and audit
// JSON lines for `audit`, each with credentials planted and then mutated. Every input is a
// function of (seed, iteration) only.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DupKeys, hugeString, mutateBytes, mutateCode, mutateJson, RawJson, serialize, BYTE_MUTATIONS } from './mutate';
import { PLANT_KINDS, plantCode, plantedOutput, plantLog, type PlantKind } from './plant';
import { Rng } from './prng';
import { eventLine, attach, run as runEvent, other, type EventDesc, type Shape } from '../test/auditLog';

export type Command = 'scan' | 'redact' | 'audit';
export type InputKind = 'scan-ipynb' | 'scan-py' | 'redact-log' | 'audit-jsonl';

export interface FuzzInput {
  readonly kind: InputKind;
  readonly command: Command;
  /** File name extension: .ipynb, .py, .log, .jsonl */
  readonly ext: string;
  readonly data: Buffer;
  /** What was done to the seed, for the reproducer. */
  readonly mutations: string[];
  /** redact in-process: the read chunk size (4 MiB as the CLI reads files, 64 KiB stdin, or odd sizes). */
  readonly chunk?: number;
}

export interface Limits {
  /** Largest depth for nesting mutations. */
  readonly deepMax: number;
  /** Largest huge string, in characters. */
  readonly hugeMax: number;
  /** Largest number of cells, log lines, audit events. */
  readonly countMax: number;
}

export const SHORT_LIMITS: Limits = { deepMax: 3000, hugeMax: 1_500_000, countMax: 600 };
export const LONG_LIMITS: Limits = { deepMax: 12_000, hugeMax: 6_000_000, countMax: 3000 };

// ---- seeds ----------------------------------------------------------------------------------------

const ROOT = join(__dirname_of(), '..');

function __dirname_of(): string {
  // Works from source (vitest) and from the bundle (fuzz/.build): both sit one folder below fuzz/ or in it.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return here.endsWith('.build') ? join(here, '..') : here;
}

export const BENIGN = [
  'import os\nimport json',
  'df = spark.read.table("sales")\ndisplay(df.limit(10))',
  'n = df.count()\nprint(n)',
  'rows = [r.id for r in df.collect() if r.id > 3]',
  'def add(a, b=2, *args, **kw):\n    """doc"""\n    return a + b\n\nprint(add(1))',
  'class Loader:\n    def __init__(self, url):\n        self.url = url\n\n    def run(self):\n        return self.url',
  'try:\n    x = 1 / 0\nexcept ZeroDivisionError as e:\n    print(e)\nfinally:\n    pass',
  'with open("/dbfs/tmp/x.txt") as f:\n    data = f.read()',
  'name = "world"\nmsg = f"hello {name!r:>10} {1 + 2}"\nprint(msg)',
  'async def fetch(s):\n    async with s.get("u") as r:\n        return await r.text()',
  'match cmd:\n    case {"op": "add", "x": x}:\n        print(x)\n    case _:\n        pass',
  'if (n := len(rows)) > 10:\n    print(n)',
  'squares = {k: v ** 2 for k, v in enumerate(range(10))}\nlam = lambda x: x * 2',
  '@decorator(arg=1)\ndef g() -> int:\n    yield from range(3)',
  'dbutils.widgets.text("env", "dev")\nenv = dbutils.widgets.get("env")',
  '%sql\nSELECT * FROM sales LIMIT 10',
  '%pip install requests==2.31',
  '%md\n# Notes\nNothing here',
  '%run ./shared/setup',
  '!ls /dbfs/tmp',
  'spark.conf.set("spark.sql.shuffle.partitions", "8")',
  'import logging\nlog = logging.getLogger(__name__)\nlog.info("started")',
  'x: dict[str, list[int]] = {}\nglobal_count = 0',
  'for i in range(3):\n    while True:\n        break\n    else:\n        continue',
];

const FLOWS = [
  'pw = dbutils.secrets.get("db", "password")',
  'url = f"jdbc:postgresql://db:5432/app?user=etl&password={pw}"',
  'print(url)',
  'print(pw)',
  'os.environ["DB_PASSWORD"] = pw',
  'spark.conf.set("fs.s3a.secret.key", pw)',
  'dbutils.notebook.run("child", 60, {"pw": pw})',
  'requests.get(f"https://api.example.com/x?token={pw}")',
  'logging.warning("pw=%s", pw)',
  'def wrap(x):\n    return "<" + x + ">"\n\nprint(wrap(pw))',
  'raise ValueError(pw)',
  'pw',
  'token = os.environ["API_TOKEN"]\nprint(token[:4])',
  'dbutils.fs.put("dbfs:/tmp/pw.txt", pw)',
  'spark.sql(f"SELECT * FROM t WHERE k = \'{pw}\'")',
  'dbutils.jobs.taskValues.set(key="pw", value=pw)',
];

let harvested: string[] | undefined;

/** Code strings from the tests (the notebooks the tests build): string literals that look like Python. */
export function testSnippets(): string[] {
  if (harvested) return harvested;
  const out = new Set<string>();
  try {
    const dir = join(ROOT, 'test');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.test.ts') && n !== 'fuzz.test.ts').sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/'((?:[^'\\\n]|\\.){6,800})'|`((?:[^`\\$]|\\.){6,2000})`/g)) {
        const raw = m[1] ?? m[2];
        if (!/dbutils|print\(|import |\w+ = |def |spark\.|os\.environ|requests\./.test(raw)) continue;
        try {
          out.add(JSON.parse(`"${raw.replace(/\\'/g, "'").replace(/\\`/g, '`').replace(/"/g, '\\"').replace(/\\\\"/g, '\\"')}"`));
        } catch {
          // not a plain literal
        }
      }
    }
  } catch {
    // no tests folder (an installed package): the built-in snippets will do
  }
  harvested = [...out];
  return harvested;
}

let fileSeeds: { name: string; text: string }[] | undefined;

/** examples/ and fuzz/seeds/: notebooks, Databricks sources, audit logs. */
export function fileSeedList(): { name: string; text: string }[] {
  if (fileSeeds) return fileSeeds;
  fileSeeds = [];
  for (const dir of ['examples', join('fuzz', 'seeds')]) {
    try {
      for (const f of readdirSync(join(ROOT, dir)).sort()) fileSeeds.push({ name: f, text: readFileSync(join(ROOT, dir, f), 'utf8') });
    } catch {
      // missing folder
    }
  }
  return fileSeeds;
}

function snippet(rng: Rng): string {
  const tests = testSnippets();
  return rng.weighted<() => string>([
    [4, () => rng.pick(BENIGN)],
    [3, () => rng.pick(FLOWS)],
    [3, () => (tests.length ? rng.pick(tests) : rng.pick(BENIGN))],
  ])();
}

interface Cell {
  source: string;
  type: 'code' | 'markdown' | 'raw';
  outputs: unknown[];
  count: number | null;
}

function plantKinds(rng: Rng): PlantKind[] {
  const kinds = PLANT_KINDS.filter(() => rng.chance(0.45));
  if (kinds.length === 0) kinds.push(rng.pick(PLANT_KINDS));
  return kinds;
}

/** Cells with credentials planted: some benign cells, some flows, every planted kind in a cell of its own or inside another. */
function seedCells(rng: Rng, limits: Limits): Cell[] {
  const cells: Cell[] = [];
  const fromFile = rng.chance(0.3) ? cellsOfFileSeed(rng) : undefined;
  if (fromFile) cells.push(...fromFile);
  else {
    const n = rng.size(1, 14);
    for (let i = 0; i < n; i++) cells.push({ source: snippet(rng), type: rng.chance(0.1) ? 'markdown' : 'code', outputs: [], count: rng.chance(0.6) ? i + 1 : null });
  }
  for (const kind of plantKinds(rng)) {
    const code = plantCode(kind, rng);
    const outputs = plantedOutput(kind, rng);
    if (rng.chance(0.7) || cells.length === 0) cells.splice(rng.int(cells.length + 1), 0, { source: code, type: 'code', outputs, count: rng.chance(0.7) ? rng.int(40) : null });
    else {
      const c = rng.pick(cells);
      c.source = `${c.source}\n${code}`;
      c.outputs.push(...outputs);
    }
  }
  if (rng.chance(0.15)) {
    const n = rng.size(10, limits.countMax);
    for (let i = 0; i < n; i++) cells.push({ source: snippet(rng), type: 'code', outputs: [], count: rng.chance(0.5) ? rng.int(1000) : null });
  }
  return cells;
}

/** The cells of a seed file (an .ipynb or a Databricks .py from examples/ or fuzz/seeds/). */
function cellsOfFileSeed(rng: Rng): Cell[] | undefined {
  const seeds = fileSeedList().filter((s) => s.name.endsWith('.ipynb') || s.name.endsWith('.py'));
  if (seeds.length === 0) return undefined;
  const s = rng.pick(seeds);
  if (s.name.endsWith('.ipynb')) {
    try {
      const nb = JSON.parse(s.text) as { cells: { cell_type: string; source: string | string[]; outputs?: unknown[]; execution_count?: number | null }[] };
      return nb.cells.map((c) => ({
        source: Array.isArray(c.source) ? c.source.join('') : c.source,
        type: (c.cell_type === 'markdown' || c.cell_type === 'raw' ? c.cell_type : 'code') as Cell['type'],
        outputs: c.outputs ?? [],
        count: c.execution_count ?? null,
      }));
    } catch {
      return undefined;
    }
  }
  return s.text
    .replace(/^# Databricks notebook source\n/, '')
    .split(/\n# COMMAND -+\n/)
    .map((source) => ({ source: source.trim(), type: 'code' as const, outputs: [], count: null }));
}

// ---- notebooks --------------------------------------------------------------------------------

function extraOutput(rng: Rng, limits: Limits): unknown {
  return rng.pick<() => unknown>([
    () => ({ output_type: 'stream', name: 'stdout', text: ['line 1\n', 'line 2\n'] }),
    () => ({ output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': ['42'], 'text/html': ['<b>42</b>'] } }),
    () => ({ output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk', 'application/json': { a: [1, 2, { b: 'c' }] } } }),
    () => ({ output_type: 'error', ename: 'KeyError', evalue: "'x'", traceback: ['\u001b[0;31mKeyError\u001b[0m', "KeyError: 'x'"] }),
    () => ({ output_type: 'stream', name: 'stdout', text: hugeString(rng, rng.size(1000, limits.hugeMax)) }),
    () => ({ output_type: 'display_data', metadata: {}, data: { 'application/json': deepJsonValue(rng, rng.size(10, limits.deepMax)) } }),
  ])();
}

function deepJsonValue(rng: Rng, depth: number): RawJson {
  return new RawJson(rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '0' + '}'.repeat(depth));
}

function sourceValue(rng: Rng, source: string): string | string[] {
  if (rng.chance(0.5)) return source;
  return source.split(/(?<=\n)/);
}

function notebookJson(rng: Rng, cells: Cell[], limits: Limits): unknown {
  return {
    nbformat: rng.chance(0.95) ? 4 : rng.pick([3, 5, '4']),
    nbformat_minor: rng.pick([2, 4, 5]),
    metadata: rng.pick([
      { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' }, language_info: { name: 'python' } },
      { 'application/vnd.databricks.v1+notebook': { language: 'python', notebookName: 'etl' } },
      {},
    ]),
    cells: cells.map((c) =>
      c.type === 'code'
        ? { cell_type: 'code', metadata: {}, source: sourceValue(rng, c.source), execution_count: c.count, outputs: rng.chance(0.1) ? [...c.outputs, extraOutput(rng, limits)] : c.outputs }
        : { cell_type: c.type, metadata: {}, source: sourceValue(rng, c.source) },
    ),
  };
}

function mutateCells(rng: Rng, cells: Cell[], limits: Limits, mutations: string[]): void {
  const n = rng.weighted([[3, 0], [4, 1], [2, 2], [1, 4]]);
  for (let i = 0; i < n && cells.length > 0; i++) {
    const c = rng.pick(cells);
    const m = mutateCode(rng, c.source, limits.deepMax);
    c.source = m.code;
    mutations.push(`code:${m.what}`);
  }
  if (rng.chance(0.05)) {
    // many cells
    const k = rng.size(50, limits.countMax * 3);
    for (let i = 0; i < k; i++) cells.push({ ...rng.pick(cells), outputs: [] });
    mutations.push(`code:many-cells(${cells.length})`);
  }
}

function byteMutations(rng: Rng, data: Buffer, mutations: string[], p: number): Buffer {
  let out = data;
  while (rng.chance(p)) {
    const m = mutateBytes(rng, out);
    out = m.buf;
    mutations.push(`bytes:${m.what}`);
    p /= 2;
  }
  return out;
}

export function ipynbInput(rng: Rng, limits: Limits): FuzzInput {
  const mutations: string[] = [];
  const cells = seedCells(rng, limits);
  mutateCells(rng, cells, limits, mutations);
  let root = notebookJson(rng, cells, limits);
  const jsonOps = rng.weighted([[5, 0], [3, 1], [1, 2], [1, 4]]);
  for (let i = 0; i < jsonOps; i++) {
    const m = mutateJson(rng, root, limits);
    root = m.root;
    mutations.push(`json:${m.what}`);
  }
  const text = serialize(root, rng.chance(0.5));
  const data = byteMutations(rng, Buffer.from(text, 'utf8'), mutations, 0.12);
  return { kind: 'scan-ipynb', command: 'scan', ext: '.ipynb', data, mutations };
}

export function pyInput(rng: Rng, limits: Limits): FuzzInput {
  const mutations: string[] = [];
  const cells = seedCells(rng, limits).filter((c) => c.type === 'code');
  mutateCells(rng, cells, limits, mutations);
  const style = rng.weighted([[6, 'databricks'], [2, 'percent'], [1, 'plain']] as const);
  mutations.push(`py:${style}`);
  let text: string;
  if (style === 'databricks') {
    const sep = rng.chance(0.9) ? '\n\n# COMMAND ----------\n\n' : rng.pick(['\n# COMMAND ----------\n', '\n# COMMAND --\n', '\n#COMMAND ----------\n', '\r\n# COMMAND ----------\r\n']);
    const body = cells.map((c) => (c.source.startsWith('%') && rng.chance(0.8) ? c.source.split('\n').map((l) => `# MAGIC ${l}`).join('\n') : c.source)).join(sep);
    text = `${rng.chance(0.95) ? '# Databricks notebook source\n' : ''}${body}\n`;
  } else if (style === 'percent') {
    text = cells.map((c) => `# %%\n${c.source}`).join('\n\n');
  } else {
    text = cells.map((c) => c.source).join('\n');
  }
  const data = byteMutations(rng, Buffer.from(text, 'utf8'), mutations, 0.12);
  return { kind: 'scan-py', command: 'scan', ext: '.py', data, mutations };
}

// ---- logs ------------------------------------------------------------------------------------------

export function logLine(rng: Rng): string {
  const ts = `24/05/${String(1 + rng.int(28)).padStart(2, '0')} ${String(rng.int(24)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}`;
  return rng.pick<() => string>([
    () => `${ts} INFO TaskSetManager: Finished task ${rng.int(200)}.0 in stage ${rng.int(50)}.0 (TID ${rng.int(9999)}) in ${rng.int(5000)} ms on 10.0.${rng.int(255)}.${rng.int(255)} (executor ${rng.int(8)}) (${rng.int(200)}/200)`,
    () => `${ts} INFO FileScanRDD: Reading File path: s3a://bucket/events/dt=2024-05-0${1 + rng.int(9)}/part-0000${rng.int(9)}.snappy.parquet, range: 0-134217728`,
    () => `${ts} WARN DAGScheduler: Broadcasting large task binary with size ${rng.int(9000)} KiB`,
    () => `\tat org.apache.spark.sql.execution.datasources.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:${rng.int(500)})`,
    () => `${ts} ERROR Executor: Exception in task ${rng.int(99)}.0 in stage ${rng.int(9)}.0 (TID ${rng.int(999)})`,
    () => `java.lang.NullPointerException: Cannot invoke "String.length()" because "<local${rng.int(9)}>" is null`,
    () => `password=<redacted> token=[REDACTED] secret=**** url=postgresql://user:{password}@host/db`,
    () => `Caused by: java.io.IOException: Connection reset by peer`,
    () => '',
    () => `caf\u00e9 \u00fcber line ${rng.int(100)}`,
    () => `{"level": "info", "msg": "rows=${rng.int(1e6)}", "ts": ${1714557600 + rng.int(1e5)}}`,
  ])();
}

export function logInput(rng: Rng, limits: Limits): FuzzInput {
  const mutations: string[] = [];
  const lines: string[] = [];
  const n = rng.size(1, limits.countMax);
  for (let i = 0; i < n; i++) lines.push(logLine(rng));
  for (const kind of plantKinds(rng)) {
    const k = rng.weighted([[8, 1], [2, 3], [1, rng.size(10, 2500)]]);
    for (let i = 0; i < k; i++) {
      const planted = plantLog(kind, rng);
      if (rng.chance(0.7) || lines.length === 0) lines.splice(rng.int(lines.length + 1), 0, planted);
      else {
        const j = rng.int(lines.length);
        lines[j] = `${lines[j]} ${planted}`;
      }
    }
  }
  const special = rng.weighted<() => void>([
    [10, () => undefined],
    [1, () => {
      // many PEM blocks on one line, as a JSON log holds them
      const k = rng.size(2, 6000);
      lines.splice(rng.int(lines.length + 1), 0, Array.from({ length: k }, () => `{"k": "${plantLog('pem', rng).replaceAll('\n', '\\n')}"}`).join(' '));
      mutations.push(`log:pem-one-line(${k})`);
    }],
    [1, () => {
      // a lone BEGIN line: a key cut off, then an ordinary log
      lines.splice(rng.int(lines.length + 1), 0, rng.pick(['-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----', 'key: -----BEGIN OPENSSH PRIVATE KEY-----']));
      mutations.push('log:lone-begin');
    }],
    [1, () => {
      // a long line, with a credential somewhere (often right across the 1 MiB read boundary)
      const len = rng.size(10_000, limits.hugeMax);
      const planted = plantLog(rng.pick(['aws', 'dapi', 'ghp', 'url', 'dbutils'] as PlantKind[]), rng).replaceAll('\n', ' ');
      const at = rng.chance(0.5) ? Math.max(0, (1 << 20) - rng.int(planted.length + 8)) : rng.int(len);
      const filler = rng.pick(['a', 'x ', 'ab,', '0']);
      const pad = filler.repeat(Math.ceil(len / filler.length));
      lines.splice(rng.int(lines.length + 1), 0, `${pad.slice(0, at)} ${planted} ${pad.slice(at, len)}`);
      mutations.push(`log:long-line(${len}@${at})`);
    }],
  ]);
  special();
  let text = lines.join('\n') + (rng.chance(0.8) ? '\n' : '');
  if (rng.chance(0.2)) {
    text = text.replaceAll('\n', '\r\n');
    mutations.push('log:crlf');
  }
  let data: Buffer = Buffer.from(text, 'utf8');
  data = byteMutations(rng, data, mutations, 0.35);
  const chunk = rng.weighted([[4, 4 << 20], [3, 65536], [2, rng.size(1, 70_000)], [1, (1 << 20) + rng.int(64) - 32]]);
  return { kind: 'redact-log', command: 'redact', ext: '.log', data, mutations, chunk };
}

// ---- audit logs -----------------------------------------------------------------------------------

export function auditInput(rng: Rng, limits: Limits): FuzzInput {
  const mutations: string[] = [];
  const events: EventDesc[] = [];
  const notebooks = rng.size(1, 6);
  let t = 0;
  let cmd = 0;
  for (let nb = 0; nb < notebooks; nb++) {
    const sessions = rng.size(1, 4);
    for (let s = 0; s < sessions; s++) {
      t += rng.int(100);
      if (rng.chance(0.95)) events.push(attach(String(100 + nb), t, rng.chance(0.8) ? `/Users/ana@example.com/nb${nb}` : undefined));
      const cells = seedCells(rng, { ...limits, countMax: Math.min(limits.countMax, 60) }).filter((c) => c.type === 'code');
      mutateCells(rng, cells, { ...limits, countMax: Math.min(limits.countMax, 60) }, mutations);
      for (const c of cells) {
        t += 1 + rng.int(30);
        events.push(runEvent(String(100 + nb), t, `cmd-${cmd++}`, c.source));
      }
      t += rng.chance(0.2) ? 50_000 : rng.int(1000);
    }
  }
  for (let i = 0; i < rng.int(4); i++) events.push(other(rng.int(t + 1)));
  events.sort((a, b) => a.t - b.t);
  if (rng.chance(0.3)) {
    // out of order, within and beyond the lateness window
    for (let i = 0; i < rng.size(1, 10); i++) {
      const a = rng.int(events.length);
      const b = rng.int(events.length);
      [events[a], events[b]] = [events[b], events[a]];
    }
    mutations.push('audit:reorder');
  }
  const shape: Shape = rng.chance(0.5) ? 'legacy' : 'table';
  mutations.push(`audit:${shape}`);
  const lines = events.map((e) => eventLine(e, { shape, paramsAsString: shape === 'table' && rng.chance(0.3), tableTime: rng.chance(0.2) ? 'spark' : 'iso' }));
  const example = fileSeedList().filter((f) => f.name.endsWith('.jsonl'));
  if (example.length && rng.chance(0.25)) {
    // the example audit log, its sessions interleaved with the planted ones
    const extra = rng.pick(example).text.split('\n').filter((l) => l.trim());
    for (const l of extra) lines.splice(rng.int(lines.length + 1), 0, l);
    mutations.push('audit:with-example-log');
  }
  const jsonOps = rng.weighted([[4, 0], [3, 1], [2, 3], [1, 8]]);
  for (let i = 0; i < jsonOps && lines.length > 0; i++) {
    const j = rng.int(lines.length);
    let root: unknown;
    try {
      root = JSON.parse(lines[j]);
    } catch {
      continue; // a line of the example log that is malformed on purpose
    }
    // commandText mutations are code-level; here the record itself
    const m = mutateJson(rng, root, { deepMax: limits.deepMax, hugeMax: Math.min(limits.hugeMax, 2_000_000) });
    root = m.root;
    lines[j] = serialize(root).replaceAll('\n', ' ');
    mutations.push(`json:${m.what}`);
  }
  if (rng.chance(0.15)) {
    lines.splice(rng.int(lines.length + 1), 0, rng.pick(['', 'not json', '{', '[1,2]', 'null', '{"serviceName": "notebook"}', '\u0000\u0001', '{"a":'.repeat(5000)]));
    mutations.push('audit:garbage-line');
  }
  if (rng.chance(0.1)) {
    const j = rng.int(lines.length);
    for (let i = 0; i < rng.size(1, 50); i++) lines.splice(j, 0, lines[j]);
    mutations.push('audit:duplicate-lines');
  }
  let data: Buffer = Buffer.from(lines.join(rng.chance(0.1) ? '\r\n' : '\n') + '\n', 'utf8');
  data = byteMutations(rng, data, mutations, 0.15);
  return { kind: 'audit-jsonl', command: 'audit', ext: '.jsonl', data, mutations };
}

export { BYTE_MUTATIONS, DupKeys };
