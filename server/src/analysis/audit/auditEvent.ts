// One line of a Databricks audit log, read as the notebook event it holds. Two record shapes
// exist: legacy log delivery (serviceName, actionName, requestParams, timestamp in epoch ms)
// and rows exported from the system.access.audit table (service_name, action_name,
// request_params, event_time). Only notebook attachNotebook and runCommand events matter; every
// other line is counted, and a line that cannot be read is reported, never fatal.

import { describeJsonLineError } from '../notebook/jsonError';

export type AuditEvent = AttachEvent | CommandEvent;

interface EventBase {
  /** Workspace and notebook id joined: notebook ids are unique per workspace only. */
  readonly notebookKey: string;
  readonly notebookId: string;
  readonly workspaceId?: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** Position of the line in the input, to keep the input order between equal times. */
  readonly seq: number;
  readonly user?: string;
}

export interface AttachEvent extends EventBase {
  readonly kind: 'attach';
  readonly path?: string;
}

export interface CommandEvent extends EventBase {
  readonly kind: 'command';
  readonly commandId: string;
  readonly text: string;
  readonly path?: string;
}

export type ReadLine =
  | { readonly kind: 'event'; readonly event: AuditEvent }
  /** Valid, but not a notebook attach or command (other services and actions). */
  | { readonly kind: 'other' }
  | { readonly kind: 'malformed'; readonly reason: string };

const OTHER: ReadLine = { kind: 'other' };

/**
 * Reads an audit timestamp: epoch milliseconds (or seconds) as a number or numeric string, or
 * an ISO 8601 / Spark timestamp string ("2024-05-01 10:00:00.123" is taken as UTC).
 */
export function parseAuditTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? (value < 1e11 ? value * 1000 : value) : undefined;
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return parseAuditTime(Number(value));
  let iso = value.trim().replace(' ', 'T');
  if (/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A copy of `s` that shares no memory with the input. The strings JSON.parse returns may be
 * slices of the line, itself a slice of the megabyte readline decoded it from: an open session
 * keeping an id or a command text would keep that whole chunk alive, and a long log's open
 * sessions hundreds of megabytes. (V8 copies strings shorter than 13 characters anyway; the
 * concatenation is flattened into a string of its own before it is sliced.)
 */
function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? detached(value) : undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** request_params is a map in the table, an object in log delivery, sometimes a JSON string. */
function paramsOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function userOf(identity: unknown): string | undefined {
  if (identity === null || typeof identity !== 'object') return undefined;
  const id = identity as Record<string, unknown>;
  return text(id.email) ?? text(id.subjectName) ?? text(id.subject_name);
}

/** Where each record shape keeps the fields nbguard reads. */
const FIELDS = {
  legacy: { service: 'serviceName', action: 'actionName', params: 'requestParams', time: 'timestamp', workspace: 'workspaceId', user: 'userIdentity' },
  table: { service: 'service_name', action: 'action_name', params: 'request_params', time: 'event_time', workspace: 'workspace_id', user: 'user_identity' },
} as const;

/**
 * Reads one line. Lines that cannot hold a notebook event are recognised without parsing the
 * JSON (most of an audit log is other services), so a broken line among them is only caught
 * when it does not even look like a JSON object.
 */
export function readAuditLine(line: string, seq: number): ReadLine {
  const trimmed = line.trim();
  if (trimmed.length === 0) return OTHER;
  if (trimmed[0] !== '{' || trimmed[trimmed.length - 1] !== '}') return { kind: 'malformed', reason: 'not a JSON object' };
  if (!trimmed.includes('runCommand') && !trimmed.includes('attachNotebook')) return OTHER;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return { kind: 'malformed', reason: describeJsonLineError(line) };
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return { kind: 'malformed', reason: 'not a JSON object' };
  const f = record.service_name !== undefined || record.action_name !== undefined ? FIELDS.table : FIELDS.legacy;
  const action = record[f.action];
  if (record[f.service] !== 'notebook' || (action !== 'runCommand' && action !== 'attachNotebook')) return OTHER;
  const params = paramsOf(record[f.params]);
  if (!params) return { kind: 'malformed', reason: `${action} without ${f.params}` };
  const time = parseAuditTime(record[f.time]);
  if (time === undefined) return { kind: 'malformed', reason: `${action} without a readable ${f.time}` };
  const notebookId = text(params.notebookId) ?? text(params.notebook_id);
  if (!notebookId) return { kind: 'malformed', reason: `${action} without notebookId` };
  const workspaceId = text(record[f.workspace]);
  const user = userOf(record[f.user]);
  const base = {
    notebookKey: workspaceId ? `${workspaceId}/${notebookId}` : notebookId,
    notebookId,
    ...(workspaceId ? { workspaceId } : {}),
    time,
    seq,
    ...(user ? { user } : {}),
  };
  const path = text(params.path) ?? text(params.notebookPath);
  if (action === 'attachNotebook') return { kind: 'event', event: { kind: 'attach', ...base, ...(path ? { path } : {}) } };
  const commandText = params.commandText ?? params.command_text;
  if (typeof commandText !== 'string') return { kind: 'malformed', reason: 'runCommand without commandText' };
  const commandId = text(params.commandId) ?? text(params.command_id) ?? `line-${seq + 1}`;
  return { kind: 'event', event: { kind: 'command', ...base, commandId, text: detached(commandText), ...(path ? { path } : {}) } };
}
