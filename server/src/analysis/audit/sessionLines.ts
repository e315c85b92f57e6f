// Session JSON lines: the hand-over format between a sessionizing step (nbguard's own, or the
// Spark SQL step of docs/scale.md) and nbguard running as a stateless filter over them
// (`nbguard audit --sessions -`). One session per line:
//   {"session": "...", "notebookId": "...", "path": "...", "workspaceId": "...", "user": "...",
//    "commands": [{"commandId": "...", "commandText": "...", "timestamp": ...}, ...]}
// Only notebookId and commands are required; timestamps are epoch ms or ISO strings, and the
// commands are put in time order here, so the producer need not sort them.

import { describeJsonLineError } from '../notebook/jsonError';
import { parseAuditTime } from './auditEvent';
import { sessionId, type AuditCommand, type AuditSession } from './sessionizer';

export function sessionToLine(session: AuditSession): string {
  return JSON.stringify({
    session: session.id,
    notebookId: session.notebookId,
    ...(session.workspaceId ? { workspaceId: session.workspaceId } : {}),
    ...(session.path ? { path: session.path } : {}),
    ...(session.user ? { user: session.user } : {}),
    ...(session.start !== undefined ? { start: new Date(session.start).toISOString() } : {}),
    commands: session.commands.map((c) => ({ commandId: c.commandId, commandText: c.text, timestamp: c.time })),
  });
}

function optionalText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Reads one session line, or says why it is not one. */
export function sessionFromLine(line: string): AuditSession | { malformed: string } {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { malformed: describeJsonLineError(line) };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { malformed: 'not a JSON object' };
  const notebookId = optionalText(data.notebookId);
  if (!notebookId) return { malformed: 'no notebookId' };
  if (!Array.isArray(data.commands)) return { malformed: 'no commands list' };
  const commands: AuditCommand[] = [];
  for (const [seq, raw] of (data.commands as unknown[]).entries()) {
    const c = raw as Record<string, unknown> | null;
    if (c === null || typeof c !== 'object' || typeof c.commandText !== 'string') return { malformed: `commands[${seq}] has no commandText` };
    const time = c.timestamp === undefined ? 0 : parseAuditTime(c.timestamp);
    if (time === undefined) return { malformed: `commands[${seq}] has an unreadable timestamp` };
    commands.push({ commandId: optionalText(c.commandId) ?? `#${seq}`, text: c.commandText, time, seq });
  }
  commands.sort((a, b) => a.time - b.time || a.seq - b.seq);
  const workspaceId = optionalText(data.workspaceId);
  const start = data.start === undefined ? undefined : parseAuditTime(data.start);
  const path = optionalText(data.path);
  const user = optionalText(data.user);
  return {
    id: optionalText(data.session) ?? sessionId(notebookId, workspaceId, start, commands[0]?.time),
    notebookId,
    ...(workspaceId ? { workspaceId } : {}),
    ...(path ? { path } : {}),
    ...(user ? { user } : {}),
    ...(start !== undefined ? { start } : {}),
    commands,
  };
}
