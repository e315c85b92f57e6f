// The sessions of `nbguard audit`'s inputs, one at a time as each completes: audit events are
// read line by line and cut into sessions by the Sessionizer; with --sessions the lines already
// are sessions. What is counted on the way (lines, other events, malformed and late lines, input
// files that cannot be read) goes into the summary and the error list.

import { readAuditLine } from '../../analysis/audit/auditEvent';
import { sessionFromLine } from '../../analysis/audit/sessionLines';
import { Sessionizer, type AuditSession } from '../../analysis/audit/sessionizer';
import type { AuditSummary } from './auditSummary';
import { InputReadError, inputLines } from './inputLines';

export interface ReadOptions {
  /** The inputs are session JSON lines, not audit events. */
  readonly sessions: boolean;
  readonly latenessMinutes: number;
  /** A session also ends after this many minutes without an event of its notebook. */
  readonly idleMinutes: number;
}

export async function* readSessions(
  inputs: readonly string[],
  options: ReadOptions,
  summary: AuditSummary,
  errors: { file: string; message: string }[],
): AsyncGenerator<AuditSession> {
  const ready: AuditSession[] = [];
  const sessionizer = new Sessionizer((s) => ready.push(s), { latenessMs: options.latenessMinutes * 60_000, idleMs: options.idleMinutes * 60_000 });
  let seq = 0;
  for (const file of inputs) {
    try {
      for await (const line of inputLines(file)) {
        summary.lines++;
        if (options.sessions) {
          if (line.text.trim().length === 0) continue;
          const session = sessionFromLine(line.text);
          if ('malformed' in session) summary.addMalformed({ file, line: line.lineNumber, reason: session.malformed });
          else yield session;
          continue;
        }
        const read = readAuditLine(line.text, seq++);
        if (read.kind === 'other') summary.otherEvents++;
        else if (read.kind === 'malformed') summary.addMalformed({ file, line: line.lineNumber, reason: read.reason });
        else sessionizer.add(read.event);
        while (ready.length > 0) yield ready.shift()!;
      }
    } catch (error) {
      if (!(error instanceof InputReadError)) throw error;
      errors.push({ file: error.file, message: error.message });
    }
  }
  sessionizer.finish();
  while (ready.length > 0) yield ready.shift()!;
  summary.lateEvents = sessionizer.counts.late;
}
