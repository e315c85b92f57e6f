// `nbguard audit`, how events become sessions: both record shapes (legacy log delivery and
// system.access.audit rows) giving the same findings, sessions split at each attach, events out of
// order, interleaved notebooks and workspaces, events later than --lateness, and sessions ended by
// --idle-timeout. Helpers: auditRun.ts; logs: auditLog.ts.

import { beforeAll, describe, expect, it } from 'vitest';
import { AWS_KEY_ID, BASE, DEFAULT_WORKSPACE, attach, auditLog, eventLine, generateLog, jitter, other, run, type EventDesc } from './auditLog';
import { MIN, SOURCE, audit, auditJson, shorts, sid, useAuditFolder, write, type AuditDoc } from './auditRun';

useAuditFolder();

// ---------------------------------------------------------------------------------------------
// 1. Both record shapes.

/** A log with a cross-command leak, a workflow leak, a hardcoded key and a clean notebook. */
const SHAPES_EVENTS: EventDesc[] = [
  attach('11', 0, '/Users/ana@example.com/etl'),
  run('11', 10, 'c-11-1', SOURCE),
  attach('12', 15, '/Repos/team/report'),
  run('11', 20, 'c-11-2', 'url = f"jdbc:postgresql://db/app?password={pw}"'),
  run('12', 25, 'c-12-1', `key_id = "${AWS_KEY_ID}"`),
  other(26),
  run('11', 30, 'c-11-3', 'print(url)'),
  run('12', 35, 'c-12-2', 'import boto3'),
  run('11', 40, 'c-11-4', 'dbutils.notebook.run("child", 60, {"pw": pw})'),
  attach('13', 41),
  run('13', 42, 'c-13-1', 'print("hello")'),
  attach('11', 50, '/Users/ana@example.com/etl'),
  run('11', 60, 'c-11-5', 'print(pw)'),
];

describe('nbguard audit: record shapes', () => {
  it('gives the same findings, sessions, cells and commandIds for log delivery records and system.access.audit rows', () => {
    const legacy = write('shapes-legacy.jsonl', auditLog(SHAPES_EVENTS, { shape: 'legacy' }));
    const table = write('shapes-table.jsonl', auditLog(SHAPES_EVENTS, { shape: 'table' }));
    const spark = write('shapes-table-spark.jsonl', auditLog(SHAPES_EVENTS, { shape: 'table', tableTime: 'spark', paramsAsString: true }));
    // Both shapes in one file, line by line.
    const mixed = write('shapes-mixed.jsonl', SHAPES_EVENTS.map((e, i) => `${eventLine(e, { shape: i % 2 === 0 ? 'legacy' : 'table' })}\n`).join(''));

    const a = auditJson([legacy]);
    expect(a.status).toBe(1);
    expect(shorts(a.doc.findings)).toEqual(
      [
        `NBG101 /Users/ana@example.com/etl ${sid('11', 0)} cell 2 c-11-3:1`,
        `NBG102 /Users/ana@example.com/etl ${sid('11', 0)} cell 3 c-11-4:1`,
        `NBG201 /Repos/team/report ${sid('12', 15)} cell 0 c-12-1:1`,
      ].sort(),
    );
    const leak = a.doc.findings.find((f) => f.ruleId === 'NBG101')!;
    expect(leak).toMatchObject({ notebookId: '11', workspaceId: DEFAULT_WORKSPACE, user: 'ana@example.com', severity: 'error' });
    expect(a.doc.summary).toMatchObject({ sessions: 4, commands: 8, otherEvents: 1, malformedLines: 0, lateEvents: 0 });

    for (const file of [table, spark, mixed]) {
      const b = auditJson([file]);
      expect(b.doc.findings, file).toEqual(a.doc.findings);
      expect(b.doc.summary, file).toEqual(a.doc.summary);
    }
  });

  it('names a notebook whose path the log never gives notebook:<id>, and keeps notebooks without a workspace id apart', () => {
    const file = write('no-workspace.jsonl', auditLog(
      [attach('77', 0), run('77', 1, 'x1', SOURCE), run('77', 2, 'x2', 'print(pw)')],
      { shape: 'table', noWorkspace: true },
    ));
    const { doc } = auditJson([file]);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({ file: 'notebook:77', notebookId: '77', session: `77@${new Date(BASE).toISOString()}`, cell: 1, commandId: 'x2' });
    expect(doc.findings[0].workspaceId).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Sessions split at attaches.

describe('nbguard audit: sessions', () => {
  let doc: AuditDoc;
  let text: string;
  beforeAll(() => {
    const file = write('sessions.jsonl', auditLog([
      // 201: read, printed, re-attached, printed again: only the first print leaks.
      attach('201', 0, '/split/before'),
      run('201', 10, 'b-1', SOURCE),
      run('201', 20, 'b-2', 'print(pw)'),
      attach('201', 30, '/split/before'),
      run('201', 40, 'b-3', 'print(pw)'),
      // 202: read, re-attached, printed: the kernel forgot pw, no finding.
      attach('202', 0, '/split/after'),
      run('202', 10, 'a-1', SOURCE),
      attach('202', 20, '/split/after'),
      run('202', 30, 'a-2', 'print(pw)'),
      // 203: source, f-string, an unrelated command, print, each its own command.
      attach('203', 0, '/flow/three-commands'),
      run('203', 10, 'f-1', SOURCE),
      run('203', 20, 'f-2', 'url = f"jdbc:postgresql://db/app?user=etl&password={pw}"'),
      run('203', 25, 'f-3', 'n = 1 + 1'),
      run('203', 30, 'f-4', 'print(url)'),
    ]));
    doc = auditJson([file]).doc;
    text = audit([file]).stdout;
  });

  it('finds a leak printed before the re-attach, not one printed after it', () => {
    const split = doc.findings.filter((f) => f.file.startsWith('/split/'));
    expect(shorts(split)).toEqual([`NBG101 /split/before ${sid('201', 0)} cell 1 b-2:1`]);
    expect(doc.summary.sessions).toBe(5);
  });

  it('follows a secret across three commands and names them in the trace', () => {
    const flow = doc.findings.filter((f) => f.file === '/flow/three-commands');
    expect(flow).toHaveLength(1);
    const f = flow[0];
    expect(f).toMatchObject({ ruleId: 'NBG101', session: sid('203', 0), cell: 3, commandId: 'f-4', line: 1, column: 1 });
    expect(f.trace!.map((s) => `${s.commandId} ${s.cell}:${s.line} ${s.message}`)).toEqual(['f-1 0:1 source', 'f-1 0:1 pw', 'f-2 1:1 url', 'f-4 3:1 sink']);
    expect(f.trace!.every((s) => s.file === '/flow/three-commands')).toBe(true);
    expect(text).toContain(`/flow/three-commands  session ${sid('203', 0)}, command f-4 (cell 3), line 1, column 1  [ana@example.com]`);
    expect(text).toMatch(/command f-1 \(cell 0\), line 1, column 6: source/);
    expect(text).toMatch(/command f-2 \(cell 1\), line 1, column 1: url/);
    expect(text).toMatch(/command f-4 \(cell 3\), line 1, column 1: sink/);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Out-of-order lines.

describe('nbguard audit: events out of order', () => {
  describe('a log shuffled within the lateness window', () => {
    const generated = generateLog(31, 12);
    let sorted: AuditDoc;
    let shuffled: AuditDoc;
    beforeAll(() => {
      const sortedFile = write('order-sorted.jsonl', auditLog(generated.events));
      // Each event may be logged up to 30 minutes late (the default --lateness is 60 minutes).
      const shuffledEvents = jitter(generated.events, 30 * MIN, 99);
      expect(shuffledEvents).not.toEqual(generated.events);
      const shuffledFile = write('order-shuffled.jsonl', auditLog(shuffledEvents, { shape: 'table' }));
      sorted = auditJson([sortedFile]).doc;
      shuffled = auditJson([shuffledFile]).doc;
    });

    it('gives the same findings as the sorted log', () => {
      expect(sorted.findings.length).toBeGreaterThan(3);
      const full = (d: AuditDoc) => d.findings.map((f) => JSON.stringify(f)).sort();
      expect(full(shuffled)).toEqual(full(sorted));
      expect(shuffled.summary.lateEvents).toBe(0);
    });

    it('counts the same sessions and commands as the sorted log (one session per attach)', () => {
      expect(sorted.summary.sessions).toBe(generated.sessions);
      expect(shuffled.summary.commands).toBe(sorted.summary.commands);
      expect(shuffled.summary.sessions).toBe(sorted.summary.sessions);
    });
  });

  it('makes one session, not two, when the first attach is logged after the first command', () => {
    const file = write('attach-after-first-command.jsonl', auditLog([
      run('303', 10, 'r-1', SOURCE),
      attach('303', 0, '/late/first-attach'),
      run('303', 20, 'r-2', 'print(pw)'),
    ]));
    const { doc } = auditJson([file]);
    expect(shorts(doc.findings)).toEqual([`NBG101 /late/first-attach ${sid('303', 0)} cell 1 r-2:1`]);
    const sessions = audit(['--format', 'sessions', file]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(sessions.map((s) => `${s.session} ${s.commands.length}`)).toEqual([`${sid('303', 0)} 2`]);
    expect(doc.summary.sessions).toBe(1);
  });

  it('orders commands by time: a print logged before the command that reads the secret still leaks', () => {
    const file = write('print-first.jsonl', auditLog([
      attach('301', 0, '/late/define'),
      run('301', 20, 'p-print', 'print(pw)'),
      run('301', 10, 'p-define', SOURCE),
    ]));
    const { doc } = auditJson([file]);
    expect(shorts(doc.findings)).toEqual([`NBG101 /late/define ${sid('301', 0)} cell 1 p-print:1`]);
    expect(doc.findings[0].trace!.map((s) => s.commandId)).toEqual(['p-define', 'p-define', 'p-print']);
  });

  it('splits the session at an attach logged after the commands it precedes in time', () => {
    const events = [
      attach('302', 0, '/late/attach'),
      run('302', 10, 'q-define', SOURCE),
      run('302', 15, 'q-before', 'print(pw)'),
      run('302', 30, 'q-after', 'print(pw)'),
      run('302', 40, 'q-after2', 'token = pw'),
      attach('302', 20, '/late/attach'), // logged last, happened between q-before and q-after
    ];
    const file = write('late-attach.jsonl', auditLog(events));
    const { doc } = auditJson([file]);
    expect(shorts(doc.findings)).toEqual([`NBG101 /late/attach ${sid('302', 0)} cell 1 q-before:1`]);
    expect(doc.summary.sessions).toBe(2);
    const sessions = audit(['--format', 'sessions', file]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const byId = Object.fromEntries(sessions.map((s) => [s.session, s.commands.map((c: { commandId: string }) => c.commandId)]));
    expect(byId).toEqual({ [sid('302', 0)]: ['q-define', 'q-before'], [sid('302', 20)]: ['q-after', 'q-after2'] });
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Interleaved notebooks and late events.

describe('nbguard audit: interleaving and lateness', () => {
  it('keeps interleaved notebooks, and the same notebook id in two workspaces, apart', () => {
    const file = write('interleaved.jsonl', auditLog([
      attach('401', 0, '/inter/reads'),
      attach('402', 5, '/inter/prints'),
      run('401', 10, 'i-1', SOURCE),
      run('402', 20, 'i-2', 'print(pw)'), // pw of notebook 401: not this kernel's
      run('401', 40, 'i-3', 'print(pw)'),
      attach('500', 50, '/ws-a/nb', { workspace: '111' }),
      attach('500', 51, '/ws-b/nb', { workspace: '222' }),
      run('500', 60, 'w-1', SOURCE, { workspace: '111' }),
      run('500', 70, 'w-2', 'print(pw)', { workspace: '222' }),
      run('500', 80, 'w-3', 'print(pw)', { workspace: '111' }),
    ]));
    const { doc } = auditJson([file]);
    expect(shorts(doc.findings)).toEqual([
      `NBG101 /inter/reads ${sid('401', 0)} cell 1 i-3:1`,
      `NBG101 /ws-a/nb ${sid('500', 50, '111')} cell 1 w-3:1`,
    ]);
    expect(doc.summary.sessions).toBe(4);
    expect(doc.findings.find((f) => f.file === '/ws-a/nb')).toMatchObject({ workspaceId: '111', notebookId: '500' });
  });

  it('takes an attach logged twice as one, and a notebook never attached in the log as one session', () => {
    const file = write('duplicate-attach.jsonl', auditLog([
      attach('411', 0, '/dup/nb'),
      run('411', 10, 'd-1', SOURCE),
      attach('411', 0, '/dup/nb'), // the same attach again
      run('411', 20, 'd-2', 'print(pw)'),
      run('412', 5, 'n-1', SOURCE), // the log starts in the middle of 412's session
      run('412', 15, 'n-2', 'print(pw)'),
    ]));
    const { doc } = auditJson([file]);
    expect(doc.summary.sessions).toBe(2);
    expect(shorts(doc.findings)).toEqual([
      `NBG101 /dup/nb ${sid('411', 0)} cell 1 d-2:1`,
      `NBG101 notebook:412 ${DEFAULT_WORKSPACE}/412@unattached-${new Date(BASE + 5000).toISOString()} cell 1 n-2:1`,
    ]);
  });

  describe('events later than --lateness', () => {
    let file: string;
    beforeAll(() => {
      file = write('late.jsonl', auditLog([
        attach('601', 0, '/late/nb'),
        run('601', 10, 'l-1', SOURCE),
        attach('601', 100, '/late/nb'),
        run('601', 110, 'l-2', 'x = 1'),
        attach('602', 120, '/late/other'),
        run('602', 100 + 61 * MIN, 'o-1', 'y = 2'), // the log moves 61 minutes past 601's second attach
        run('601', 20, 'l-late', 'print(pw)'), // belongs to 601's first session, now closed
        run('601', 100 + 62 * MIN, 'l-3', 'print(pw)'), // second session, still open: pw was never read there
      ]));
    });

    it('counts an event logged after its session closed as late and does not analyse it', () => {
      const { doc } = auditJson([file]);
      expect(doc.summary.lateEvents).toBe(1);
      expect(doc.findings).toEqual([]);
      expect(doc.summary.commands).toBe(4);
      const text = audit([file]);
      expect(text.stdout).toMatch(/1 late event \(after their session was analysed; see --lateness\)/);
    });

    it('analyses it with a --lateness long enough', () => {
      const { doc } = auditJson(['--lateness', '120', file]);
      expect(doc.summary.lateEvents).toBe(0);
      expect(doc.summary.commands).toBe(5);
      expect(shorts(doc.findings)).toEqual([`NBG101 /late/nb ${sid('601', 0)} cell 1 l-late:1`]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Idle sessions.

describe('nbguard audit: idle sessions', () => {
  const HOUR = 3600;
  const log = () =>
    auditLog([attach('91', 0, '/Users/a/long'), run('91', 60, 'i-1', SOURCE), run('91', 13 * HOUR, 'i-2', 'print(pw)'), other(14 * HOUR)]);

  it('ends a session after --idle-timeout without events (the cluster stopped): a secret does not outlive it', () => {
    const { doc } = auditJson([write('idle.jsonl', log())]);
    expect(doc.summary.sessions).toBe(2);
    expect(doc.findings).toEqual([]);
    const sessions = audit(['--format', 'sessions', write('idle2.jsonl', log())]).stdout.trim().split('\n').map((l) => JSON.parse(l).session);
    expect(sessions).toEqual([sid('91', 0), `${DEFAULT_WORKSPACE}/91@unattached-${new Date(BASE + 13 * HOUR * 1000).toISOString()}`]);
  });

  it('keeps the session whole with a longer --idle-timeout', () => {
    const { doc } = auditJson(['--idle-timeout', String(24 * 60), write('idle3.jsonl', log())]);
    expect(doc.summary.sessions).toBe(1);
    expect(doc.findings.map((f) => `${f.ruleId} ${f.commandId}`)).toEqual(['NBG101 i-2']);
  });
});
