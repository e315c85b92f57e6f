// `nbguard audit`, the reports and their inputs: the summary (text, json, jsonl on standard error,
// --top, --fail-on), SARIF checked by Microsoft's validator, commands logged twice and one path in
// two workspaces, baselines, gzip files and standard input, unreadable inputs, and a reader that
// goes away (EPIPE). Helpers: auditRun.ts; logs: auditLog.ts.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AWS_KEY_ID, attach, auditLog, generateLog, other, run, type EventDesc } from './auditLog';
import { SOURCE, audit, auditJson, cli, dir, useAuditFolder, validator, write, type AuditDoc, type AuditFinding } from './auditRun';

useAuditFolder();

// ---------------------------------------------------------------------------------------------
// 1. The summary.

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
      // The session of /Users/d/clean runs one command that reads no secret: not parsed.
      clearedSessions: 1,
      clearedCommands: 1,
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
    const tail = r.stdout.trimEnd().split('\n').slice(-8);
    expect(tail).toEqual([
      'nbguard audit summary',
      '  input:    18 lines read, 2 other events',
      '  sessions: 5 with 11 commands (9 analysed, 1 in another language)',
      '  cleared:  1 session (20%) with 1 command: nothing a rule could start from, not parsed',
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
    expect(r.stderr).toContain('nbguard audit: sessions: 5 with 11 commands (9 analysed, 1 in another language)');
  });

  it('honours --fail-on', () => {
    expect(audit(['--fail-on', 'never', file]).status).toBe(0);
    expect(audit(['--fail-on', 'error', file]).status).toBe(1);
    const clean = write('clean.jsonl', auditLog([attach('c', 0, '/c'), run('c', 1, 'c1', 'print(1)')]));
    expect(audit([clean]).status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. SARIF.

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
// 3. Inputs: gzip, standard input, unreadable files.

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
// 4. At-least-once delivery, shared paths and a closed pipe.

describe('nbguard audit: at-least-once delivery and shared paths', () => {
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

// ---------------------------------------------------------------------------------------------
// 5. Baselines.

describe('nbguard audit: baselines', () => {
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
