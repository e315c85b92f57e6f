// `nbguard audit`: Databricks notebook audit events (legacy log delivery and system.access.audit
// rows) cut into sessions at each attach, each session analysed as one module. Covers both record
// shapes, session boundaries, out-of-order and late events, interleaved notebooks, magics,
// unparsable commands, malformed lines, the summary, SARIF, the stateless `--sessions` filter,
// gzip and standard input, unreadable inputs, and masking of hardcoded credentials.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AWS_KEY_ID,
  AWS_SECRET_KEY,
  BASE,
  DATABRICKS_TOKEN,
  DEFAULT_WORKSPACE,
  attach,
  auditLog,
  eventLine,
  generateLog,
  jitter,
  other,
  rng,
  run,
  type EventDesc,
} from './auditLog';

const root = resolve(__dirname, '..');
/** NBGUARD_CLI: another build of the command to run these tests against (default dist/cli.js). */
const cli = process.env.NBGUARD_CLI ? resolve(process.env.NBGUARD_CLI) : resolve(root, 'dist', 'cli.js');
const validator = resolve(root, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;

/** Runs `nbguard audit ARGS` in the test folder, with `input` on standard input. */
function audit(args: string[], input = ''): Run {
  const r = spawnSync(process.execPath, [cli, 'audit', ...args], { cwd: dir, input, encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without waiting: several processes at once. */
function auditAsync(args: string[], input = ''): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, 'audit', ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `--format json` over the files: the parsed document (the run must not fail with 2). */
function auditJson(args: string[], input = ''): { status: number | null; doc: AuditDoc; stderr: string } {
  const r = audit(['--format', 'json', ...args], input);
  expect(r.status, r.stderr).not.toBe(2);
  return { status: r.status, doc: JSON.parse(r.stdout) as AuditDoc, stderr: r.stderr };
}

interface Step {
  file: string;
  cell: number;
  line: number;
  column: number;
  message: string;
  commandId: string;
}

interface AuditFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  cell: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  trace?: Step[];
  session: string;
  commandId: string;
  notebookId: string;
  workspaceId?: string;
  user?: string;
}

interface AuditDoc {
  version: number;
  findings: AuditFinding[];
  errors: { file: string; message: string }[];
  unparsableCommands: { file: string; session: string; commandId: string; cell: number; line: number; column: number; message: string }[];
  malformedLines: { file: string; line: number; reason: string }[];
  summary: {
    lines: number;
    malformedLines: number;
    otherEvents: number;
    lateEvents: number;
    sessions: number;
    commands: number;
    skippedCommands: number;
    unparsableCommands: number;
    findings: number;
    baselinedFindings: number;
    findingsByRule: Record<string, number>;
    topNotebooks: { file: string; workspaceId?: string; findings: number; sessions: number }[];
  };
}

/** A finding in one short line: rule, file, session, cell, command and line. */
const short = (f: AuditFinding) => `${f.ruleId} ${f.file} ${f.session} cell ${f.cell} ${f.commandId}:${f.line}`;

/** Sorted short forms. */
const shorts = (fs: AuditFinding[]) => fs.map(short).sort();

/** The session id of a notebook attached `t` seconds after BASE, in the default workspace. */
const sid = (nb: string, t: number, workspace = DEFAULT_WORKSPACE) => `${workspace}/${nb}@${new Date(BASE + t * 1000).toISOString()}`;

/** Writes a log file in the test folder and returns its name. */
function write(name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const SOURCE = 'pw = dbutils.secrets.get("db", "password")';
const MIN = 60;

beforeAll(() => {
  expect(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'nbguard-audit-'));
});

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
// 5. Magic commands.

describe('nbguard audit: magic commands', () => {
  let doc: AuditDoc;
  let text: string;
  beforeAll(() => {
    const file = write('magics.jsonl', auditLog([
      attach('701', 0, '/magic/nb'),
      run('701', 1, 'm-pip', `%pip install requests\n${SOURCE}\nprint(pw)`),
      run('701', 2, 'm-sql', '%sql SELECT * FROM users WHERE password = "${pw}"'),
      run('701', 3, 'm-md', '%md\nprint(pw)'),
      run('701', 4, 'm-python', '%python\nprint(pw)'),
      run('701', 5, 'm-scala', '%scala\nprintln(pw)'),
      run('701', 6, 'm-sh', '%sh echo $PW'),
    ]));
    doc = auditJson([file]).doc;
    text = audit([file]).stdout;
  });

  it('masks %pip and analyses the rest of the command; analyses %python commands', () => {
    expect(shorts(doc.findings)).toEqual([`NBG101 /magic/nb ${sid('701', 0)} cell 0 m-pip:3`, `NBG101 /magic/nb ${sid('701', 0)} cell 3 m-python:2`]);
  });

  it('skips %sql, %md, %scala and %sh commands and counts them', () => {
    expect(doc.summary.commands).toBe(6);
    expect(doc.summary.skippedCommands).toBe(4);
    expect(doc.unparsableCommands).toEqual([]);
    expect(text).toContain('sessions: 1 with 6 commands (2 analysed, 4 in another language)');
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Commands that do not parse.

describe('nbguard audit: unparsable commands', () => {
  let doc: AuditDoc;
  let text: string;
  beforeAll(() => {
    const file = write('unparsable.jsonl', auditLog([
      attach('801', 0, '/broken/nb'),
      run('801', 1, 'u-1', SOURCE),
      run('801', 2, 'u-2', 'def broken(:\n    pass\nprint(pw)'),
      run('801', 3, 'u-3', 'x = 1'),
      run('801', 4, 'u-4', 'print(pw)'),
    ]));
    doc = auditJson([file]).doc;
    text = audit([file]).stdout;
  });

  it('reports the command with its session and commandId', () => {
    expect(doc.unparsableCommands).toHaveLength(1);
    expect(doc.unparsableCommands[0]).toMatchObject({ file: '/broken/nb', session: sid('801', 0), commandId: 'u-2', cell: 1, line: 1 });
    expect(doc.summary.unparsableCommands).toBe(1);
    expect(text).toMatch(new RegExp(`note: /broken/nb  session ${sid('801', 0).replace(/[.]/g, '\\.')}, command u-2 \\(cell 1\\) does not parse at line 1`));
    expect(text).toContain('(4 analysed, 1 not parsable)');
  });

  it('still finds the leak in a later command, and after the syntax error in the same command', () => {
    expect(shorts(doc.findings)).toEqual([`NBG101 /broken/nb ${sid('801', 0)} cell 1 u-2:3`, `NBG101 /broken/nb ${sid('801', 0)} cell 3 u-4:1`]);
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Malformed lines.

describe('nbguard audit: malformed lines', () => {
  const good = [attach('901', 0, '/mal/nb'), run('901', 10, 'g-1', SOURCE), run('901', 20, 'g-2', 'print(pw)')];
  const lines = [
    eventLine(good[0]), // 1
    eventLine(run('901', 5, 'bad-1', 'x = 1')).slice(0, 90), // 2: truncated
    'this is not JSON at all', // 3
    eventLine(run('901', 6, 'bad-2', 'y = 2')).replace(/"notebookId":"901",/, ''), // 4: no notebookId
    eventLine(run('901', 7, 'bad-3', 'z = 3')).replace(/"timestamp":\d+/, '"timestamp":"yesterday"'), // 5: bad timestamp
    eventLine(good[1]), // 6
    '', // 7: blank, not malformed
    '{"serviceName":"notebook","actionName":"runCommand","requestParams":{"notebookId":"901",}}', // 8: broken JSON that looks whole
    eventLine(run('901', 8, 'bad-4', 'w = 4'), { shape: 'table', paramsAsString: true }).replace(/\\"notebookId\\"/, '\\"notebookId'), // 9: broken request_params string
    eventLine(good[2]), // 10
  ];
  let file: string;
  let doc: AuditDoc;
  let status: number | null;
  beforeAll(() => {
    file = write('malformed.jsonl', `${lines.join('\n')}\n`);
    ({ doc, status } = auditJson([file]));
  });

  it('counts malformed lines with their line numbers and analyses the rest', () => {
    expect(status).toBe(1);
    expect(doc.errors).toEqual([]);
    expect(doc.summary.malformedLines).toBe(6);
    expect(doc.malformedLines.map((m) => m.line)).toEqual([2, 3, 4, 5, 8, 9]);
    expect(doc.malformedLines.every((m) => m.file === file && m.reason.length > 0)).toBe(true);
    expect(doc.malformedLines[2].reason).toMatch(/notebookId/);
    expect(doc.malformedLines[3].reason).toMatch(/timestamp/);
    expect(shorts(doc.findings)).toEqual([`NBG101 /mal/nb ${sid('901', 0)} cell 1 g-2:1`]);
    expect(doc.summary.commands).toBe(2);
    expect(doc.summary.lines).toBe(10);
  });

  it('names them on standard error for jsonl, and exits 1 (findings), not 2', () => {
    const r = audit(['--format', 'jsonl', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}:2: malformed line skipped`);
    expect(r.stderr).toContain(`${file}:9: malformed line skipped`);
    expect(r.stderr).toMatch(/10 lines read, 6 malformed/);
    const clean = audit(['--format', 'jsonl', write('malformed-clean.jsonl', `${lines.slice(0, 9).join('\n')}\n`)]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// 8. The summary.

/** Five sessions of four notebooks: 3 + 2 + 1 + 0 findings. */
const SUMMARY_EVENTS: EventDesc[] = [
  attach('a1', 0, '/Users/a/alpha'),
  run('a1', 1, 'a-1', SOURCE),
  run('a1', 2, 'a-2', 'print(pw)'),
  run('a1', 3, 'a-3', 'dbutils.notebook.run("child", 60, {"pw": pw})'),
  attach('b1', 4, '/Users/b/beta'),
  run('b1', 5, 'b-1', SOURCE),
  other(6, 'accounts', 'login'),
  run('b1', 7, 'b-2', 'print(pw)'),
  run('b1', 8, 'b-3', 'print("token", pw)'),
  run('b1', 9, 'b-4', '%sql SELECT 1'),
  attach('b1', 10, '/Users/b/beta'),
  run('b1', 11, 'b-5', `key_id = "${AWS_KEY_ID}"`),
  attach('903', 12),
  run('903', 13, 'c-1', SOURCE),
  run('903', 14, 'c-2', 'dbutils.notebook.run("child", 60, {"pw": pw})'),
  attach('d1', 15, '/Users/d/clean'),
  run('d1', 16, 'd-1', 'print("hello")'),
  other(17),
];

describe('nbguard audit: summary', () => {
  let file: string;
  beforeAll(() => {
    file = write('summary.jsonl', auditLog(SUMMARY_EVENTS));
  });

  it('counts sessions, commands, findings by rule and lists the notebooks with most findings', () => {
    const { doc } = auditJson([file]);
    expect(doc.summary).toEqual({
      lines: 18,
      malformedLines: 0,
      otherEvents: 2,
      lateEvents: 0,
      sessions: 5,
      commands: 11,
      skippedCommands: 1,
      unparsableCommands: 0,
      findings: 6,
      baselinedFindings: 0,
      findingsByRule: { NBG101: 3, NBG102: 2, NBG201: 1 },
      topNotebooks: [
        { file: '/Users/b/beta', findings: 3, sessions: 2, workspaceId: '1234567890' },
        { file: '/Users/a/alpha', findings: 2, sessions: 1, workspaceId: '1234567890' },
        { file: 'notebook:903', findings: 1, sessions: 1, workspaceId: '1234567890' },
      ],
    });
    expect(doc.findings).toHaveLength(6);
  });

  it('ends the text report with the summary block, and --top limits the list', () => {
    const r = audit(['--top', '2', file]);
    expect(r.status).toBe(1);
    const tail = r.stdout.trimEnd().split('\n').slice(-7);
    expect(tail).toEqual([
      'nbguard audit summary',
      '  input:    18 lines read, 2 other events',
      '  sessions: 5 with 11 commands (10 analysed, 1 in another language)',
      '  findings: 6 (NBG101 3, NBG102 2, NBG201 1)',
      '  top notebooks:',
      '    3  /Users/b/beta  (2 sessions)',
      '    2  /Users/a/alpha  (1 session)',
    ]);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('prints the summary on standard error for jsonl, one finding per line on standard output', () => {
    const r = audit(['--format', 'jsonl', file]);
    expect(r.status).toBe(1);
    const found = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AuditFinding);
    expect(found).toHaveLength(6);
    expect(r.stderr).toContain('nbguard audit: findings: 6 (NBG101 3, NBG102 2, NBG201 1)');
    expect(r.stderr).toContain('nbguard audit: sessions: 5 with 11 commands (10 analysed, 1 in another language)');
  });

  it('honours --fail-on', () => {
    expect(audit(['--fail-on', 'never', file]).status).toBe(0);
    expect(audit(['--fail-on', 'error', file]).status).toBe(1);
    const clean = write('clean.jsonl', auditLog([attach('c', 0, '/c'), run('c', 1, 'c1', 'print(1)')]));
    expect(audit([clean]).status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// 9. SARIF.

describe('nbguard audit: SARIF', () => {
  it('is valid for Microsoft\'s validator and holds the json findings with session, commandId and code flows', { timeout: 120_000 }, () => {
    const events: EventDesc[] = [
      ...SUMMARY_EVENTS,
      attach('950', 30, '/Users/x@example.com/My Notebook (copy)'),
      run('950', 31, 's-1', SOURCE),
      run('950', 32, 's-2', 'def broken(:\n    pass'),
      run('950', 33, 's-3', 'print(pw)'),
    ];
    const file = write('sarif.jsonl', `${auditLog(events)}not json\n`);
    const json = auditJson([file]).doc;
    const r = audit(['--format', 'sarif', file]);
    expect(r.status).toBe(1);
    const sarifFile = join(dir, 'audit.sarif');
    writeFileSync(sarifFile, r.stdout);
    const v = spawnSync(validator, ['validate', sarifFile], { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    const output = `${v.stdout}${v.stderr}`;
    expect(v.status, output).toBe(0);
    expect(output).toContain('Analysis completed successfully');
    expect(output).not.toMatch(/: error /);

    const sarif = JSON.parse(r.stdout);
    const results = sarif.runs[0].results;
    expect(json.findings.length).toBe(7);
    expect(results).toHaveLength(json.findings.length);
    const key = (ruleId: string, p: { session: string; commandId: string; cell: number }, line: number) => `${ruleId} ${p.session} ${p.commandId} ${p.cell}:${line}`;
    expect(results.map((x: any) => key(x.ruleId, x.properties, x.locations[0].physicalLocation.region.startLine)).sort()).toEqual(
      json.findings.map((f) => key(f.ruleId, f, f.line)).sort(),
    );
    for (const x of results) {
      const f = json.findings.find((g) => g.session === x.properties.session && g.commandId === x.properties.commandId && g.ruleId === x.ruleId)!;
      expect(x.properties.notebookId).toBe(f.notebookId);
      const flow = x.codeFlows?.[0].threadFlows[0].locations ?? [];
      expect(flow).toHaveLength(f.trace?.length ?? 0);
      flow.forEach((step: any, i: number) => expect(step.location.message.text).toContain(`command ${f.trace![i].commandId}`));
    }
    // The unparsable command and the malformed line are reported as warnings.
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: any) => n.message.text).join('\n');
    expect(notes).toMatch(/command s-2 .*does not parse/);
    expect(notes).toMatch(/sarif\.jsonl:23: malformed audit line skipped/);
  });
});

// ---------------------------------------------------------------------------------------------
// 10. The stateless filter: sessions split across processes give the same findings.

describe('nbguard audit --sessions: the stateless filter', () => {
  const generated = generateLog(20240501, 40);
  let rawFile: string;
  let whole: string[];
  let sessionLines: string[];

  const findingLines = (stdout: string) => stdout.split('\n').filter((l) => l.length > 0);

  beforeAll(async () => {
    rawFile = write('big.jsonl', auditLog(jitter(generated.events, 20 * MIN, 5), { shape: 'table' }));
    const [a, b] = await Promise.all([auditAsync(['--format', 'jsonl', rawFile]), auditAsync(['--format', 'sessions', rawFile])]);
    expect(a.status, a.stderr).toBe(1);
    expect(b.status, b.stderr).toBe(0);
    whole = findingLines(a.stdout);
    sessionLines = findingLines(b.stdout);
  });

  it('writes one session line per attach', () => {
    expect(sessionLines).toHaveLength(generated.sessions);
    const ids = sessionLines.map((l) => JSON.parse(l).session);
    expect(new Set(ids).size).toBe(ids.length);
    expect(whole.length).toBeGreaterThan(20);
    const rules = new Set(whole.map((l) => JSON.parse(l).ruleId));
    expect([...rules].sort()).toEqual(['NBG101', 'NBG102', 'NBG201']);
  });

  it('gives the same findings when the sessions are split over three processes', async () => {
    // By a hash of the session id, so each partition holds sessions of many notebooks.
    const parts: string[][] = [[], [], []];
    for (const line of sessionLines) {
      const id: string = JSON.parse(line).session;
      let h = 0;
      for (const ch of id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
      parts[h % 3].push(line);
    }
    expect(parts.every((p) => p.length > 5)).toBe(true);
    const runs = await Promise.all(parts.map((p) => auditAsync(['--sessions', '-', '--format', 'jsonl'], `${p.join('\n')}\n`)));
    for (const r of runs) expect(r.status, r.stderr).not.toBe(2);
    expect(runs.filter((r) => r.status === 1).length).toBeGreaterThan(1);
    const union = runs.flatMap((r) => findingLines(r.stdout)).sort();
    expect(union).toEqual([...whole].sort());
  });

  it('sorts the commands of a session line by time, so a shuffled list gives the same findings', () => {
    const next = rng(17);
    const shuffled = sessionLines.map((line) => {
      const s = JSON.parse(line);
      const commands = [...s.commands];
      for (let i = commands.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [commands[i], commands[j]] = [commands[j], commands[i]];
      }
      // Timestamps as ISO strings, as a Spark job may write them.
      return JSON.stringify({ ...s, commands: commands.map((c) => ({ ...c, timestamp: new Date(c.timestamp).toISOString() })) });
    });
    expect(shuffled).not.toEqual(sessionLines);
    const r = audit(['--sessions', '--format', 'jsonl', '-'], `${shuffled.join('\n')}\n`);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout).sort()).toEqual([...whole].sort());
  });

  it('reports a malformed session line and analyses the others', () => {
    const input = [sessionLines[0], '{"session": "x", "commands": []}', 'not json', ...sessionLines.slice(1)].join('\n');
    const r = audit(['--sessions', '--format', 'json'], input);
    const doc = JSON.parse(r.stdout) as AuditDoc;
    expect(doc.summary.malformedLines).toBe(2);
    expect(doc.malformedLines.map((m) => m.line)).toEqual([2, 3]);
    expect(doc.summary.sessions).toBe(sessionLines.length);
    expect(doc.findings.map((f) => JSON.stringify(f)).sort()).toEqual([...whole].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// 11. Inputs: gzip, standard input, unreadable files.

describe('nbguard audit: inputs', () => {
  let plain: string;
  let expected: string[];
  beforeAll(() => {
    const text = auditLog(SUMMARY_EVENTS);
    plain = write('inputs.jsonl', text);
    write('inputs.jsonl.gz', gzipSync(text));
    expected = auditJson([plain]).doc.findings.map((f) => JSON.stringify(f));
    expect(expected).toHaveLength(6);
  });

  it('reads .gz files, also of several gzip members (as log delivery concatenates them)', () => {
    const { doc } = auditJson(['inputs.jsonl.gz']);
    expect(doc.findings.map((f) => JSON.stringify(f))).toEqual(expected);
    expect(doc.summary.lines).toBe(18);
    const lines = auditLog(SUMMARY_EVENTS).split('\n');
    write('members.jsonl.gz', Buffer.concat([gzipSync(`${lines.slice(0, 7).join('\n')}\n`), gzipSync(lines.slice(7).join('\n'))]));
    const members = auditJson(['members.jsonl.gz']).doc;
    expect(members.findings.map((f) => JSON.stringify(f))).toEqual(expected);
    expect(members.summary.lines).toBe(18);
  });

  it('reads standard input, with - or without a file', () => {
    const text = auditLog(SUMMARY_EVENTS);
    expect(auditJson(['-'], text).doc.findings.map((f) => JSON.stringify(f))).toEqual(expected);
    expect(auditJson([], text).doc.findings.map((f) => JSON.stringify(f))).toEqual(expected);
  });

  it('exits 2 naming an unreadable file, and still analyses the others', () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    write('not-gzip.jsonl.gz', 'plain text, not gzip\n');
    const r = audit(['--format', 'json', 'missing.jsonl', plain, 'not-gzip.jsonl.gz', 'a-folder']);
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout) as AuditDoc;
    expect(doc.findings.map((f) => JSON.stringify(f))).toEqual(expected);
    const errors = Object.fromEntries(doc.errors.map((e) => [e.file, e.message]));
    expect(Object.keys(errors).sort()).toEqual(['a-folder', 'missing.jsonl', 'not-gzip.jsonl.gz']);
    expect(errors['missing.jsonl']).toMatch(/no such file/);
    expect(errors['not-gzip.jsonl.gz']).toMatch(/gzip/);
    const text = audit(['missing.jsonl', plain]);
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/error:.*missing\.jsonl: .*no such file/);
    const jsonl = audit(['--format', 'jsonl', plain, 'missing.jsonl']);
    expect(jsonl.status).toBe(2);
    expect(jsonl.stdout.trim().split('\n')).toHaveLength(6);
    expect(jsonl.stderr).toMatch(/nbguard audit: error: missing\.jsonl: .*no such file/);
  });
});

// ---------------------------------------------------------------------------------------------
// 12. Masking.

describe('nbguard audit: secrets stay masked', () => {
  const SHELL_TOKEN = 'dapifedcba9876543210fedcba9876543210';
  const PIP_PASSWORD = 'Xk9vQ2mLp7RtW4zN';
  let file: string;
  beforeAll(() => {
    file = write('masking.jsonl', auditLog([
      attach('k1', 0, '/mask/nb'),
      run('k1', 1, 'k-1', `key_id = "${AWS_KEY_ID}"\nsecret = "${AWS_SECRET_KEY}"`),
      run('k1', 2, 'k-2', `import boto3\ns3 = boto3.client("s3", aws_access_key_id=key_id, aws_secret_access_key=secret)\nprint(key_id, secret)`),
      run('k1', 3, 'k-3', `print("${DATABRICKS_TOKEN}")`),
      run('k1', 4, 'k-4', `headers = {"Authorization": "Bearer ${DATABRICKS_TOKEN}"}\nprint(headers)`),
      // A shell escape and a %pip line next to a finding, each holding a credential that appears
      // nowhere else in the session: the analysis sees those lines masked, the frame must not
      // show them in full either.
      attach('k2', 10, '/mask/magic-lines'),
      run('k2', 11, 'm-1', 'pw = dbutils.secrets.get("db", "password")'),
      run('k2', 12, 'm-2', `!curl -H "Authorization: Bearer ${SHELL_TOKEN}" https://adb-1.azuredatabricks.net/api/2.0/clusters/list\nprint(pw)`),
      run('k2', 13, 'm-3', `%pip install --index-url https://deploy:${PIP_PASSWORD}@pypi.corp.example.com/simple acme\nprint(pw)`),
    ]));
  });

  it('reports the hardcoded credentials', () => {
    const { doc } = auditJson([file]);
    const hardcoded = doc.findings.filter((f) => f.ruleId === 'NBG201');
    expect(hardcoded.length).toBeGreaterThanOrEqual(4);
    expect(doc.findings.some((f) => f.ruleId === 'NBG101' && f.commandId === 'k-2')).toBe(true);
    expect(doc.findings.filter((f) => f.file === '/mask/magic-lines').map((f) => `${f.ruleId} ${f.commandId}:${f.line}`)).toEqual(['NBG101 m-2:2', 'NBG101 m-3:2']);
  });

  const outputs = new Map<string, string>();
  const output = (format: string): string => {
    if (!outputs.has(format)) {
      const r = audit(['--format', format, file]);
      expect(r.status, r.stderr).toBe(1);
      outputs.set(format, `${r.stdout}\n${r.stderr}`);
    }
    return outputs.get(format)!;
  };

  it.each(['json', 'jsonl', 'text', 'sarif'])('never prints a hardcoded credential in full (--format %s)', (format) => {
    const all = output(format);
    expect(all).toContain('AKIA************Z234');
    for (const secret of [AWS_KEY_ID, AWS_SECRET_KEY, DATABRICKS_TOKEN]) expect(all, `${format} output shows ${secret}`).not.toContain(secret);
  });

  it.each(['json', 'jsonl', 'text', 'sarif'])('never prints a credential of a !shell or %pip line in full (--format %s)', (format) => {
    const all = output(format);
    if (format === 'text') expect(all).toContain('/mask/magic-lines  session'); // the frames around those lines are printed
    const shown = [SHELL_TOKEN, PIP_PASSWORD].filter((secret) => all.includes(secret));
    expect(shown, `${format} output shows credentials in full`).toEqual([]);
  });
});

describe('nbguard audit: at-least-once delivery and shared paths', () => {
  beforeAll(() => {
    dir ??= mkdtempSync(join(tmpdir(), 'nbguard-audit-'));
  });

  it('takes a command logged twice (same id, time and text) as one command, with one finding', () => {
    const events = [attach('61', 0, '/Users/a/dup'), run('61', 1, 'd-1', SOURCE), run('61', 2, 'd-2', 'print(pw)')];
    const log = auditLog([...events, events[2]]);
    const { doc } = auditJson([write('dup.jsonl', log)]);
    expect(doc.summary.commands).toBe(2);
    expect(doc.findings.map((f) => `${f.ruleId} ${f.commandId} cell ${f.cell}`)).toEqual(['NBG101 d-2 cell 1']);
  });

  it('lists the same path in two workspaces as two notebooks, naming the workspace', () => {
    const log = auditLog([
      attach('71', 0, '/Shared/etl', { workspace: '111' }),
      run('71', 1, 'w-1', SOURCE, { workspace: '111' }),
      run('71', 2, 'w-2', 'print(pw)', { workspace: '111' }),
      attach('72', 3, '/Shared/etl', { workspace: '222' }),
      run('72', 4, 'v-1', SOURCE, { workspace: '222' }),
      run('72', 5, 'v-2', 'print(pw)\nprint(pw + "!")', { workspace: '222' }),
    ]);
    const file = write('two-workspaces.jsonl', log);
    expect(auditJson([file]).doc.summary.topNotebooks).toEqual([
      { file: '/Shared/etl', workspaceId: '222', findings: 2, sessions: 1 },
      { file: '/Shared/etl', workspaceId: '111', findings: 1, sessions: 1 },
    ]);
    expect(audit([file]).stdout).toMatch(/2 {2}\/Shared\/etl {2}\(workspace 222, 1 session\)\n\s+1 {2}\/Shared\/etl {2}\(workspace 111, 1 session\)/);
  });

  it('stops quietly when the reader of its output goes away (| head)', () => {
    // Four workspaces' worth of findings: more than a pipe holds, so writing outlives the reader.
    const events = generateLog(11, 40).events;
    const copies = [1, 2, 3, 4].flatMap((w) => events.map((e) => (e.kind === 'other' ? e : { ...e, workspace: `w${w}` })));
    const file = write('head.jsonl', auditLog(copies));
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" audit --format jsonl "${file}" | head -n 1`], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ruleId: expect.stringMatching(/^NBG/) });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('nbguard audit: baselines', () => {
  beforeAll(() => {
    dir ??= mkdtempSync(join(tmpdir(), 'nbguard-audit-'));
  });

  it("records a day's findings and, the next day, reports only new ones (the same leak run again is known)", () => {
    const day = (t0: number, extra: EventDesc[] = []) =>
      auditLog([
        attach('81', t0, '/Users/a/daily'),
        run('81', t0 + 1, `x-${t0}`, SOURCE),
        run('81', t0 + 2, `y-${t0}`, 'print(pw)'),
        ...extra,
      ]);
    const baseline = join(dir, 'audit-baseline.json');
    const first = audit(['--format', 'json', '--write-baseline', baseline, write('day1.jsonl', day(0))]);
    expect(JSON.parse(first.stdout).findings).toHaveLength(1);
    const nextDay = 86_400;
    const log = write('day2.jsonl', day(nextDay, [run('81', nextDay + 3, 'z-new', 'dbutils.notebook.run("child", 60, {"pw": pw})')]));
    const { doc, status } = auditJson(['--baseline', baseline, log]);
    expect(doc.findings.map((f) => `${f.ruleId} ${f.commandId}`)).toEqual(['NBG102 z-new']);
    expect(doc.summary.baselinedFindings).toBe(1);
    expect(status).toBe(1);
    expect(audit(['--baseline', baseline, log]).stdout).toMatch(/findings: 1 \(NBG102 1\); 1 more in the baseline, not shown/);
    const clean = audit(['--format', 'jsonl', '--baseline', baseline, write('day3.jsonl', day(2 * nextDay))]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe('');
  });

  it('reads and writes one baseline file night after night, keeping what it knew', () => {
    const known = join(dir, 'known.json');
    const night = (name: string, t0: number, leak: string) =>
      write(name, auditLog([attach('83', t0, '/Users/a/nightly'), run('83', t0 + 1, `s-${t0}`, SOURCE), run('83', t0 + 2, `l-${t0}`, leak)]));
    const args = ['--format', 'jsonl', '--baseline', known, '--write-baseline', known];
    writeFileSync(known, JSON.stringify({ version: 1, fingerprints: [] }));
    expect(audit([...args, night('n1.jsonl', 0, 'print(pw)')]).stdout.trim().split('\n')).toHaveLength(1);
    expect(audit([...args, night('n2.jsonl', 86_400, 'logging.warning(pw)')]).stdout.trim().split('\n')).toHaveLength(1);
    // Both leaks again on the third night: both known, although the second night did not see the first.
    const third = audit([...args, night('n3.jsonl', 2 * 86_400, 'print(pw)\nlogging.warning(pw)')]);
    expect(third.stdout).toBe('');
    expect(third.status).toBe(0);
  });

  it('stops with exit status 2 on a file that is not a baseline', () => {
    const r = audit(['--baseline', write('not-a-baseline.json', '{"x": 1}'), write('b.jsonl', auditLog([attach('82', 0, '/p')]))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not an nbguard baseline/);
  });
});

describe('nbguard audit: idle sessions', () => {
  beforeAll(() => {
    dir ??= mkdtempSync(join(tmpdir(), 'nbguard-audit-'));
  });

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
