// Groups a stream of notebook events into sessions, the unit the analysis sees: a session of a
// notebook starts at each attachNotebook and holds the commands run until the next attach (or
// until the notebook has been idle for `idleMs`), ordered by time. Audit logs arrive roughly but
// not exactly in time order, so a session stays open until the log has moved `latenessMs` past
// its end; only then is it handed on and forgotten, and a notebook with nothing open is
// forgotten too. Memory is therefore the sessions of the notebooks active within the idle time
// (each bounded by the largest session), never the whole file.

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
  /**
   * The attach time. Sessions with no attach logged start at their first command, or at
   * -Infinity when the log starts in the middle of one (earlier commands may still arrive).
   */
  readonly start: number;
  readonly attached: boolean;
  path?: string;
  user?: string;
  commands: AuditCommand[];
  /** The time of the session's latest event (its attach or a command). */
  last: number;
  closed: boolean;
}

interface NotebookState {
  /** Open sessions by start time. */
  sessions: OpenSession[];
  /** Events before this time belong to sessions already handed on: they are late. */
  closedUntil: number;
  lastPath?: string;
}

export interface SessionizerCounts {
  /** Events that arrived after their session had been handed on. */
  late: number;
}

export interface SessionizerOptions {
  /** How far the log may run past a session's end before the session is handed on. */
  readonly latenessMs: number;
  /**
   * A session also ends after this long without an event of its notebook: the cluster has
   * terminated by then (the REPL state is gone), and memory stays bounded by the notebooks
   * active within this time, not by every notebook of the log.
   */
  readonly idleMs: number;
}

export function sessionId(notebookId: string, workspaceId: string | undefined, start: number | undefined, firstCommand: number | undefined): string {
  const when = start !== undefined ? new Date(start).toISOString() : `unattached-${firstCommand !== undefined ? new Date(firstCommand).toISOString() : 'empty'}`;
  return `${workspaceId ? `${workspaceId}/` : ''}${notebookId}@${when}`;
}

interface Deadline {
  readonly deadline: number;
  readonly key: string;
  /** The session to hand on, or undefined to forget the notebook if it has none open. */
  readonly session?: OpenSession;
}

export class Sessionizer {
  private readonly notebooks = new Map<string, NotebookState>();
  private readonly deadlines = new MinHeap<Deadline>((d) => d.deadline);
  private watermark = -Infinity;
  readonly counts: SessionizerCounts = { late: 0 };

  constructor(
    private readonly emit: (session: AuditSession) => void,
    private readonly options: SessionizerOptions,
  ) {}

  /** Open sessions across all notebooks (for tests and memory accounting). */
  get openSessions(): number {
    let n = 0;
    for (const state of this.notebooks.values()) n += state.sessions.length;
    return n;
  }

  /** Notebooks the sessionizer still remembers (open sessions or recent late-event windows). */
  get trackedNotebooks(): number {
    return this.notebooks.size;
  }

  add(event: AuditEvent): void {
    let state = this.notebooks.get(event.notebookKey);
    if (!state) {
      state = { sessions: [], closedUntil: -Infinity };
      this.notebooks.set(event.notebookKey, state);
    }
    if (event.path) state.lastPath = event.path;
    if (event.time < state.closedUntil) this.counts.late++;
    else if (event.kind === 'attach') this.attach(state, event);
    else this.command(state, event);
    if (event.time > this.watermark) {
      this.watermark = event.time;
      this.closeExpired();
    }
  }

  /** Hands on every session still open (the end of the input). */
  finish(): void {
    for (const state of this.notebooks.values()) {
      for (const s of state.sessions) this.close(state, s);
      state.sessions = [];
    }
    this.notebooks.clear();
  }

  private attach(state: NotebookState, event: AttachEvent): void {
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
      attached: true,
      path: event.path,
      user: event.user,
      commands: [],
      last: event.time,
      closed: false,
    };
    if (previous) {
      // Commands logged before this attach arrived but run after it belong to the new session.
      session.commands = previous.commands.filter((c) => c.time >= event.time);
      if (session.commands.length > 0) {
        previous.commands = previous.commands.filter((c) => c.time < event.time);
        session.last = session.commands.reduce((latest, c) => Math.max(latest, c.time), session.last);
      }
      if (!previous.attached && previous.commands.length === 0) {
        // The log did not start mid-session after all: the attach was only logged late.
        sessions.splice(--i, 1);
        previous.closed = true;
      }
    }
    sessions.splice(i, 0, session);
    this.schedule(event.notebookKey, session);
    if (i > 0) this.schedule(event.notebookKey, sessions[i - 1]); // its end moved earlier
  }

  private command(state: NotebookState, event: CommandEvent): void {
    const sessions = state.sessions;
    let i = sessions.length - 1;
    while (i >= 0 && sessions[i].start > event.time) i--;
    let session = sessions[i];
    if (!session || event.time >= session.last + this.options.idleMs) {
      // No attach before it in what is open (the log starts mid-session), or the notebook ran
      // again after its session went idle with no attach logged: its commands form a session.
      session = {
        notebookId: event.notebookId,
        workspaceId: event.workspaceId,
        start: session ? event.time : -Infinity,
        attached: false,
        user: event.user,
        commands: [],
        last: event.time,
        closed: false,
      };
      sessions.splice(i + 1, 0, session);
      this.schedule(event.notebookKey, session);
      if (i >= 0) this.schedule(event.notebookKey, sessions[i]);
    }
    session.user ??= event.user;
    if (event.time > session.last) session.last = event.time;
    session.commands.push({ commandId: event.commandId, text: event.text, time: event.time, seq: event.seq });
  }

  /**
   * When a session ends: `lateness` after the next attach of its notebook, or after it has
   * been idle (counted from its latest event); `until` is where the events it owns stop.
   */
  private endOf(state: NotebookState, session: OpenSession): { due: number; until: number } {
    const { latenessMs, idleMs } = this.options;
    const next = state.sessions[state.sessions.indexOf(session) + 1];
    const until = Math.min(next ? next.start : Infinity, session.last + idleMs);
    return { due: until + latenessMs, until };
  }

  private schedule(key: string, session: OpenSession): void {
    const state = this.notebooks.get(key);
    if (state) this.deadlines.push({ deadline: this.endOf(state, session).due, key, session });
  }

  private closeExpired(): void {
    while (this.deadlines.size > 0 && this.deadlines.peek()!.deadline < this.watermark) {
      const { key, session } = this.deadlines.pop()!;
      const state = this.notebooks.get(key);
      if (!state) continue;
      if (!session) {
        // Nothing of the notebook is open and its late events are past: forget it.
        if (state.sessions.length === 0 && this.forgetAt(state) < this.watermark) this.notebooks.delete(key);
        continue;
      }
      if (session.closed) continue;
      const { due, until } = this.endOf(state, session);
      if (due >= this.watermark) {
        // The session had events since this deadline was set: look again later.
        this.deadlines.push({ deadline: due, key, session });
        continue;
      }
      // Sessions end in start order: the ones before this one end with it.
      while (state.sessions.length > 0 && state.sessions[0].start <= session.start) this.close(state, state.sessions.shift()!);
      if (until > state.closedUntil) state.closedUntil = until;
      if (state.sessions.length === 0) this.deadlines.push({ deadline: this.forgetAt(state), key });
    }
  }

  /**
   * When a notebook with nothing open is forgotten: an idle time after late events stopped
   * counting, so an event even later than that starts a session of its own instead of being
   * counted late (it is still analysed).
   */
  private forgetAt(state: NotebookState): number {
    return state.closedUntil + this.options.latenessMs + this.options.idleMs;
  }

  private close(state: NotebookState, session: OpenSession): void {
    if (session.closed) return;
    session.closed = true;
    // Log delivery is at-least-once: the same command logged twice is one command.
    const commands = session.commands
      .sort((a, b) => a.time - b.time || a.seq - b.seq)
      .filter((c, i, all) => i === 0 || c.commandId !== all[i - 1].commandId || c.time !== all[i - 1].time || c.text !== all[i - 1].text);
    // The deadline heap may still hold this session until its latest deadline passes (hours
    // of log time with the idle timeout): it must not hold the commands too.
    session.commands = [];
    const start = session.attached ? session.start : undefined;
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
