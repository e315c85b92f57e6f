// Builds Databricks notebook audit logs (JSON lines) for the `nbguard audit` tests from a compact
// description: a list of attaches and commands with times in seconds after a fixed base time.
// The same events can be written in both record shapes (legacy log delivery and rows of the
// system.access.audit table), shuffled within a time window, mixed with other services' events,
// or generated at scale from a seed. Everything is deterministic.

import { prng } from '../bench/generator/prng';

/** 2024-05-01T10:00:00.000Z: the time every event's `t` (seconds) is counted from. */
export const BASE = Date.UTC(2024, 4, 1, 10, 0, 0);

export interface AttachDesc {
  readonly kind: 'attach';
  readonly nb: string;
  /** Seconds after BASE. */
  readonly t: number;
  readonly path?: string;
  readonly user?: string;
  readonly workspace?: string;
}

export interface RunDesc {
  readonly kind: 'run';
  readonly nb: string;
  readonly t: number;
  readonly id: string;
  readonly text: string;
  readonly user?: string;
  readonly workspace?: string;
}

/** An event of another service or action: valid, and to be ignored. */
export interface OtherDesc {
  readonly kind: 'other';
  readonly t: number;
  readonly service: string;
  readonly action: string;
}

export type EventDesc = AttachDesc | RunDesc | OtherDesc;

export const DEFAULT_USER = 'ana@example.com';
export const DEFAULT_WORKSPACE = '1234567890';

export function attach(nb: string, t: number, path?: string, extra: Partial<AttachDesc> = {}): AttachDesc {
  return { kind: 'attach', nb, t, ...(path !== undefined ? { path } : {}), ...extra };
}

export function run(nb: string, t: number, id: string, text: string, extra: Partial<RunDesc> = {}): RunDesc {
  return { kind: 'run', nb, t, id, text, ...extra };
}

export function other(t: number, service = 'clusters', action = 'resize'): OtherDesc {
  return { kind: 'other', t, service, action };
}

export type Shape = 'legacy' | 'table';

export interface LineOptions {
  readonly shape?: Shape;
  /** Table rows: `iso` ("2024-05-01T10:00:00.000Z", the default) or `spark` ("2024-05-01 10:00:00"). */
  readonly tableTime?: 'iso' | 'spark';
  /** Table rows: request_params as a JSON string instead of an object. */
  readonly paramsAsString?: boolean;
  /** Leave the workspace id out of every record. */
  readonly noWorkspace?: boolean;
}

function isoTime(t: number, spark: boolean): string {
  const iso = new Date(BASE + t * 1000).toISOString();
  return spark ? iso.replace('T', ' ').replace(/\.\d+Z$/, '') : iso;
}

/** One event as one JSON line in the given shape. */
export function eventLine(e: EventDesc, options: LineOptions = {}): string {
  const shape = options.shape ?? 'legacy';
  let service = 'notebook';
  let action: string;
  let params: Record<string, unknown>;
  let user = DEFAULT_USER;
  let workspace = DEFAULT_WORKSPACE;
  if (e.kind === 'other') {
    service = e.service;
    action = e.action;
    params = { clusterId: '0501-abc', numWorkers: 4 };
  } else {
    user = e.user ?? user;
    workspace = e.workspace ?? workspace;
    if (e.kind === 'attach') {
      action = 'attachNotebook';
      params = { notebookId: e.nb, clusterId: '0501-abc', ...(e.path !== undefined ? { path: e.path } : {}) };
    } else {
      action = 'runCommand';
      params = { notebookId: e.nb, executionTime: 0.25, status: 'finished', commandId: e.id, commandText: e.text };
    }
  }
  const ws = options.noWorkspace ? {} : undefined;
  if (shape === 'legacy') {
    return JSON.stringify({
      version: '2.0',
      auditLevel: 'WORKSPACE_LEVEL',
      timestamp: BASE + e.t * 1000,
      ...(ws ?? { workspaceId: workspace }),
      serviceName: service,
      actionName: action,
      userIdentity: { email: user },
      sourceIPAddress: '10.0.0.1',
      requestParams: params,
      response: { statusCode: 200 },
    });
  }
  return JSON.stringify({
    account_id: 'acc-1',
    ...(ws ?? { workspace_id: workspace }),
    version: '2.0',
    event_time: isoTime(e.t, options.tableTime === 'spark'),
    event_date: '2024-05-01',
    source_ip_address: '10.0.0.1',
    user_identity: { email: user, subject_name: null },
    service_name: service,
    action_name: action,
    request_id: `req-${e.t}`,
    request_params: options.paramsAsString ? JSON.stringify(params) : params,
    response: { status_code: 200 },
  });
}

/** The events as a log file's text, one line each, in the order given. */
export function auditLog(events: readonly EventDesc[], options: LineOptions = {}): string {
  return events.map((e) => `${eventLine(e, options)}\n`).join('');
}

/** The benchmarks' seeded generator: the same numbers for the same seed. */
export const rng = prng;

/** The events sorted by time (stable). */
export function byTime<T extends { t: number }>(events: readonly T[]): T[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map(({ e }) => e);
}

/**
 * The events in a shuffled file order where no event is logged more than `windowSeconds` after
 * a later event: each is ordered by its time plus a random delay below the window. With a
 * window shorter than --lateness, no event can arrive after its session was closed.
 */
export function jitter<T extends { t: number }>(events: readonly T[], windowSeconds: number, seed: number): T[] {
  const next = rng(seed);
  return events
    .map((e) => ({ e, key: e.t + next() * windowSeconds }))
    .sort((a, b) => a.key - b.key)
    .map(({ e }) => e);
}

/** The secrets planted by the generated logs: none of them may be printed in full. */
export const AWS_KEY_ID = 'AKIAQ3EGRSTUVWXYZ234';
export const AWS_SECRET_KEY = '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';
export const DATABRICKS_TOKEN = 'dapi0123456789abcdef0123456789abcdef';

/** Command texts of the generated sessions, by what they do. */
export const SNIPPETS = {
  benign: ['import os', 'df = spark.read.table("sales")', 'display(df.limit(10))', 'n = df.count()\nprint(n)', 'rows = [r.id for r in df.collect()]'],
  source: ['pw = dbutils.secrets.get("db", "password")'],
  derive: ['url = f"jdbc:postgresql://db:5432/app?password={pw}"'],
  printPw: ['print(pw)'],
  printUrl: ['print(url)'],
  childRun: ['dbutils.notebook.run("child", 60, {"pw": pw})'],
  hardcoded: [`key_id = "${AWS_KEY_ID}"`],
  sql: ['%sql SELECT * FROM sales LIMIT 10'],
  md: ['%md # Notes\nNothing to see'],
  pip: ['%pip install requests\nimport requests'],
} as const;

export interface GeneratedLog {
  readonly events: EventDesc[];
  /** How many sessions (attaches) the log holds. */
  readonly sessions: number;
}

/**
 * A log of many notebooks, each attached several times, with commands drawn from SNIPPETS
 * (some sessions leak, some do not, some read the secret and print it only after a re-attach).
 * Notebooks run at overlapping times, so their events interleave in the log; other services'
 * events are mixed in. Events are in time order; use `jitter` to shuffle them.
 */
export function generateLog(seed: number, notebooks = 40): GeneratedLog {
  const next = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const events: EventDesc[] = [];
  let sessions = 0;
  let commandNo = 0;
  for (let n = 0; n < notebooks; n++) {
    const nb = String(1000 + n);
    // Two workspaces that reuse notebook ids: the same id in another workspace is another notebook.
    const workspace = n % 10 === 9 ? '999' : DEFAULT_WORKSPACE;
    const nbId = n % 10 === 9 ? String(1000 + n - 9) : nb;
    const path = n % 7 === 3 ? undefined : `/Users/user${n % 5}@example.com/project ${n}/etl`;
    const user = `user${n % 5}@example.com`;
    let t = Math.floor(next() * 1800);
    const count = 2 + Math.floor(next() * 3);
    for (let s = 0; s < count; s++) {
      events.push(attach(nbId, t, path, { user, workspace }));
      sessions++;
      t += 5 + Math.floor(next() * 20);
      const plan: string[] = [];
      const kind = next();
      if (kind < 0.2) plan.push('source', 'benign', 'printPw');
      else if (kind < 0.35) plan.push('source', 'derive', 'benign', 'printUrl');
      else if (kind < 0.45) plan.push('source', 'childRun');
      else if (kind < 0.55) plan.push('hardcoded', 'benign');
      else if (kind < 0.65) plan.push('source', 'sql', 'md');
      else if (kind < 0.72) plan.push('pip', 'printPw'); // reads nothing: pw is from another session, if any
      else plan.push('benign', 'benign');
      const extra = Math.floor(next() * 3);
      for (let i = 0; i < extra; i++) plan.splice(Math.floor(next() * (plan.length + 1)), 0, 'benign');
      for (const what of plan) {
        commandNo++;
        events.push(run(nbId, t, `cmd-${String(commandNo).padStart(5, '0')}`, pick(SNIPPETS[what as keyof typeof SNIPPETS]), { user, workspace }));
        t += 3 + Math.floor(next() * 90);
      }
      // The next attach is a while later (sometimes hours: the notebook was idle).
      t += 60 + Math.floor(next() * (next() < 0.2 ? 14_400 : 1_200));
    }
  }
  for (let i = 0; i < 30; i++) events.push(other(Math.floor(next() * 20_000)));
  return { events: byTime(events), sessions };
}
