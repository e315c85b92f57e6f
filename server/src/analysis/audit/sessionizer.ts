// Groups a stream of notebook events into sessions, the unit the analysis sees: a session of a
// notebook starts at each attachNotebook and holds the commands run until the next attach,
// ordered by time. Audit logs arrive roughly but not exactly in time order, so a session stays
// open until the log has moved `latenessMs` past the attach that ended it; only then is it
// handed on and forgotten. Memory is therefore the open sessions (bounded by the largest
// session times the notebooks active at once), never the whole file.

import type { AttachEvent, AuditEvent, CommandEvent } from './auditEvent';
import { MinHeap } from './minHeap';

export interface AuditCommand {
  readonly commandId: string;
  readonly text: string;
  readonly time: number;
  readonly seq: number;
}

export interface AuditSession {
  /** `<notebookId>@<attach time>`, prefixed with the workspace id when the log has one. */
  readonly id: string;
  readonly notebookId: string;
  readonly workspaceId?: string;
  readonly path?: string;
  readonly user?: string;
  /** Attach time; undefined when the log starts in the middle of the session. */
  readonly start?: number;
  /** In the order they ran. */
  readonly commands: readonly AuditCommand[];
}

interface OpenSession {
  readonly notebookId: string;
  readonly workspaceId?: string;
  /** -Infinity for the commands logged before the first attach the log holds. */
  readonly start: number;
  path?: string;
  user?: string;
  commands: AuditCommand[];
  closed: boolean;
}

interface NotebookState {
  /** Open sessions by start time. */
  sessions: OpenSession[];
  /** Start of the latest session already handed on (events before it are too late). */
  closedUpTo: number;
  /** True once any session was handed on (commands before every open session are then late). */
  anyClosed: boolean;
  lastPath?: string;
}

export interface SessionizerCounts {
  /** Events that arrived after their session had been handed on. */
  late: number;
}

export function sessionId(notebookId: string, workspaceId: string | undefined, start: number | undefined, firstCommand: number | undefined): string {
  const when = start !== undefined ? new Date(start).toISOString() : `unattached-${firstCommand !== undefined ? new Date(firstCommand).toISOString() : 'empty'}`;
  return `${workspaceId ? `${workspaceId}/` : ''}${notebookId}@${when}`;
}

interface Deadline {
  readonly deadline: number;
  readonly session: OpenSession;
  readonly key: string;
}

export class Sessionizer {
  private readonly notebooks = new Map<string, NotebookState>();
  private readonly deadlines = new MinHeap<Deadline>((d) => d.deadline);
  private watermark = -Infinity;
  readonly counts: SessionizerCounts = { late: 0 };

  constructor(
    private readonly emit: (session: AuditSession) => void,
    private readonly latenessMs: number,
  ) {}

  add(event: AuditEvent): void {
    let state = this.notebooks.get(event.notebookKey);
    if (!state) {
      state = { sessions: [], closedUpTo: -Infinity, anyClosed: false };
      this.notebooks.set(event.notebookKey, state);
    }
    if (event.path) state.lastPath = event.path;
    if (event.kind === 'attach') this.attach(state, event);
    else this.command(state, event);
    if (event.time > this.watermark) {
      this.watermark = event.time;
      this.closeExpired();
    }
  }

  /** Hands on every session still open (the end of the input). */
  finish(): void {
    for (const [key, state] of this.notebooks) {
      for (const s of state.sessions) this.close(key, state, s);
      state.sessions = [];
    }
    this.notebooks.clear();
  }

  private attach(state: NotebookState, event: AttachEvent): void {
    if (event.time <= state.closedUpTo) {
      this.counts.late++;
      return;
    }
    const sessions = state.sessions;
    let i = sessions.length;
    while (i > 0 && sessions[i - 1].start > event.time) i--;
    const previous = sessions[i - 1];
    if (previous && previous.start === event.time) {
      // The same attach logged twice.
      previous.path ??= event.path;
      return;
    }
    const session: OpenSession = {
      notebookId: event.notebookId,
      workspaceId: event.workspaceId,
      start: event.time,
      path: event.path,
      user: event.user,
      commands: [],
      closed: false,
    };
    if (previous) {
      // Commands logged before this attach arrived but run after it belong to the new session.
      session.commands = previous.commands.filter((c) => c.time >= event.time);
      if (session.commands.length > 0) previous.commands = previous.commands.filter((c) => c.time < event.time);
      if (previous.start === -Infinity && previous.commands.length === 0) {
        // The log did not start mid-session after all: the attach was only logged late.
        sessions.splice(--i, 1);
        previous.closed = true;
      } else this.deadlines.push({ deadline: event.time + this.latenessMs, session: previous, key: event.notebookKey });
    }
    sessions.splice(i, 0, session);
    if (i + 1 < sessions.length) {
      this.deadlines.push({ deadline: sessions[i + 1].start + this.latenessMs, session, key: event.notebookKey });
    }
  }

  private command(state: NotebookState, event: CommandEvent): void {
    const sessions = state.sessions;
    let i = sessions.length - 1;
    while (i >= 0 && sessions[i].start > event.time) i--;
    let session = sessions[i];
    if (!session) {
      if (state.anyClosed) {
        this.counts.late++;
        return;
      }
      // The log starts in the middle of a session: its commands still form one.
      session = { notebookId: event.notebookId, workspaceId: event.workspaceId, start: -Infinity, user: event.user, commands: [], closed: false };
      sessions.unshift(session);
      if (sessions.length > 1) this.deadlines.push({ deadline: sessions[1].start + this.latenessMs, session, key: event.notebookKey });
    }
    session.user ??= event.user;
    session.commands.push({ commandId: event.commandId, text: event.text, time: event.time, seq: event.seq });
  }

  private closeExpired(): void {
    while (this.deadlines.size > 0 && this.deadlines.peek()!.deadline < this.watermark) {
      const { session, key } = this.deadlines.pop()!;
      if (session.closed) continue;
      const state = this.notebooks.get(key);
      if (!state) continue;
      // Sessions close in start order: everything before this one closes with it.
      while (state.sessions.length > 0 && state.sessions[0].start <= session.start) {
        this.close(key, state, state.sessions.shift()!);
      }
    }
  }

  private close(_key: string, state: NotebookState, session: OpenSession): void {
    if (session.closed) return;
    session.closed = true;
    state.anyClosed = true;
    if (session.start > state.closedUpTo) state.closedUpTo = session.start;
    // Log delivery is at-least-once: the same command logged twice is one command.
    const commands = session.commands
      .sort((a, b) => a.time - b.time || a.seq - b.seq)
      .filter((c, i, all) => i === 0 || c.commandId !== all[i - 1].commandId || c.time !== all[i - 1].time || c.text !== all[i - 1].text);
    const start = session.start === -Infinity ? undefined : session.start;
    const path = session.path ?? state.lastPath;
    this.emit({
      id: sessionId(session.notebookId, session.workspaceId, start, commands[0]?.time),
      notebookId: session.notebookId,
      ...(session.workspaceId ? { workspaceId: session.workspaceId } : {}),
      ...(path ? { path } : {}),
      ...(session.user ? { user: session.user } : {}),
      ...(start !== undefined ? { start } : {}),
      commands,
    });
  }
}
