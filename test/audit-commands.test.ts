// `nbguard audit`, what happens to single commands and lines: magic commands (%pip masked, %sql,
// %md, %scala, %sh skipped), commands that do not parse, malformed log lines, and hardcoded
// credentials (also on !shell and %pip lines) that never appear in full in any output format.
// Helpers: auditRun.ts; logs: auditLog.ts.

import { beforeAll, describe, expect, it } from 'vitest';
import { AWS_KEY_ID, AWS_SECRET_KEY, DATABRICKS_TOKEN, attach, auditLog, eventLine, run } from './auditLog';
import { SOURCE, audit, auditJson, shorts, sid, useAuditFolder, write, type AuditDoc } from './auditRun';

useAuditFolder();

// ---------------------------------------------------------------------------------------------
// 1. Magic commands.

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

  it('skips %sql, %md and %scala commands and counts them; reads %sh commands as shell commands', () => {
    expect(doc.summary.commands).toBe(6);
    expect(doc.summary.skippedCommands).toBe(3);
    expect(doc.unparsableCommands).toEqual([]);
    expect(text).toContain('sessions: 1 with 6 commands (3 analysed, 3 in another language)');
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Commands that do not parse.

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
// 3. Malformed lines.

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
// 4. Masking.

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
    // The credentials written into the shell escape and the %pip line are findings too.
    expect(doc.findings.filter((f) => f.file === '/mask/magic-lines').map((f) => `${f.ruleId} ${f.commandId}:${f.line}`).sort()).toEqual([
      'NBG101 m-2:2',
      'NBG101 m-3:2',
      'NBG201 m-2:1',
      'NBG201 m-3:1',
    ]);
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
