// The sessionizer's memory: what it holds open follows the notebooks active within the idle
// time, not the length of the log. A month of logs read in one process must not keep the last
// session of every notebook ever attached.

import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../server/src/analysis/audit/auditEvent';
import { Sessionizer, type AuditSession } from '../server/src/analysis/audit/sessionizer';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function attachEvent(nb: number, time: number, seq: number): AuditEvent {
  return { kind: 'attach', notebookKey: `w/${nb}`, notebookId: String(nb), workspaceId: 'w', time, seq, path: `/nb/${nb}` };
}

function commandEvent(nb: number, time: number, seq: number, text: string): AuditEvent {
  return { kind: 'command', notebookKey: `w/${nb}`, notebookId: String(nb), workspaceId: 'w', time, seq, commandId: `c${seq}`, text };
}

describe('Sessionizer memory', () => {
  it('holds only the notebooks active within the idle time, however many the log has', () => {
    const emitted: AuditSession[] = [];
    const sessionizer = new Sessionizer((s) => emitted.push(s), { latenessMs: HOUR, idleMs: 12 * HOUR });
    let seq = 0;
    let mostOpen = 0;
    // 3,000 notebooks over ~62 days, a new one every 30 minutes, each attached once and run for
    // ten minutes: a month-long log where no notebook is ever attached again.
    for (let nb = 0; nb < 3000; nb++) {
      const t0 = nb * 30 * MINUTE;
      sessionizer.add(attachEvent(nb, t0, seq++));
      for (let k = 1; k <= 10; k++) sessionizer.add(commandEvent(nb, t0 + k * MINUTE, seq++, `x${k} = ${k}`));
      mostOpen = Math.max(mostOpen, sessionizer.openSessions);
    }
    // Idle 12 h + lateness 1 h at one notebook per 30 minutes: about 26 open at a time.
    expect(mostOpen).toBeLessThanOrEqual(28);
    // A notebook is remembered an idle time after its late events stop counting: about 52.
    expect(sessionizer.trackedNotebooks).toBeLessThanOrEqual(56);
    sessionizer.finish();
    expect(emitted).toHaveLength(3000);
    expect(emitted.every((s) => s.commands.length === 10 && s.start !== undefined)).toBe(true);
  });

  it('counts an event for a session already handed on as late, and takes a later one as a new session', () => {
    const emitted: AuditSession[] = [];
    const sessionizer = new Sessionizer((s) => emitted.push(s), { latenessMs: HOUR, idleMs: 2 * HOUR });
    sessionizer.add(attachEvent(1, 0, 0));
    sessionizer.add(commandEvent(1, MINUTE, 1, 'a = 1'));
    sessionizer.add(attachEvent(2, 4 * HOUR, 2)); // the log moves on: notebook 1 idle past 2 h + 1 h
    expect(emitted.map((s) => s.id)).toEqual(['w/1@1970-01-01T00:00:00.000Z']);
    sessionizer.add(commandEvent(1, 30 * MINUTE, 3, 'b = 2')); // ran in the closed session
    expect(sessionizer.counts.late).toBe(1);
    sessionizer.add(commandEvent(1, 4 * HOUR + MINUTE, 4, 'c = 3')); // the notebook ran again, no attach logged
    sessionizer.finish();
    expect(emitted.map((s) => `${s.id}: ${s.commands.map((c) => c.text).join('; ')}`)).toEqual([
      'w/1@1970-01-01T00:00:00.000Z: a = 1',
      'w/1@unattached-1970-01-01T04:01:00.000Z: c = 3',
      'w/2@1970-01-01T04:00:00.000Z: ',
    ]);
  });
});
