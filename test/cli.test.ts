// The `nbguard scan` contract: exit codes, the JSON document, text output with code frames
// and traces, masking, bad files reported while the others are still scanned.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { databricks, ipynb } from './helpers';

const cli = resolve(__dirname, '..', 'dist', 'cli.js');

function run(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const KEY_ID = 'AKIAQ3EGRSTUVWXYZ234';
let dir: string;

beforeAll(() => {
  expect(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'nbguard-cli-'));
  writeFileSync(join(dir, 'leak.ipynb'), ipynb(['pw = dbutils.secrets.get("db", "password")', 'url = f"jdbc:x://h?password={pw}"', 'print(url)']));
  writeFileSync(join(dir, 'clean.py'), '# %%\nimport os\nprint("hello")\n');
  writeFileSync(join(dir, 'key.py'), databricks([`key_id = "${KEY_ID}"`, 'print(key_id)']));
  writeFileSync(join(dir, 'broken.ipynb'), '{\n  "cells": [\n    {"cell_type": "code",, }\n');
  writeFileSync(join(dir, 'v3.ipynb'), JSON.stringify({ nbformat: 3, worksheets: [] }));
});

describe('nbguard scan', () => {
  it('exits 0 on a clean file and 1 when there are findings', () => {
    expect(run(['scan', 'clean.py'], dir).status).toBe(0);
    expect(run(['scan', 'leak.ipynb'], dir).status).toBe(1);
  });

  it('prints the JSON document of the contract, with paths as given and a trace from source to sink', () => {
    const { status, stdout } = run(['scan', '--format', 'json', 'leak.ipynb'], dir);
    expect(status).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.version).toBe(1);
    expect(doc.errors).toEqual([]);
    expect(doc.findings).toHaveLength(1);
    const f = doc.findings[0];
    expect(f).toMatchObject({ ruleId: 'NBG101', severity: 'error', file: 'leak.ipynb', cell: 2, line: 1, column: 1, endLine: 1, endColumn: 11 });
    expect(f.message).toBe('Secret from dbutils.secrets.get("db", "password") reaches print()');
    expect(f.trace.map((s: { cell: number; line: number; message: string }) => `${s.cell}:${s.line} ${s.message}`)).toEqual([
      '0:1 source',
      '0:1 pw',
      '1:1 url',
      '2:1 sink',
    ]);
  });

  it('reports unreadable files as errors, still scans the others, and exits 2', () => {
    const { status, stdout } = run(['scan', '--format', 'json', 'broken.ipynb', 'v3.ipynb', 'missing.ipynb', 'leak.ipynb'], dir);
    expect(status).toBe(2);
    const doc = JSON.parse(stdout);
    expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['leak.ipynb']);
    const errors = Object.fromEntries(doc.errors.map((e: { file: string; message: string }) => [e.file, e.message]));
    expect(errors['broken.ipynb']).toMatch(/^not valid JSON at line 3, column \d+/);
    expect(errors['v3.ipynb']).toMatch(/nbformat 3/);
    expect(errors['missing.ipynb']).toMatch(/no such file/);
  });

  it('scans folders recursively and reports .py lines as file lines', () => {
    const { stdout } = run(['scan', '--format', 'json', '.'], dir);
    const doc = JSON.parse(stdout);
    const found = doc.findings.map((f: { ruleId: string; file: string; cell: number; line: number }) => `${f.ruleId} ${f.file} ${f.cell}:${f.line}`);
    expect(found).toEqual(['NBG201 key.py 0:2', 'NBG101 key.py 1:6', 'NBG101 leak.ipynb 2:1']);
  });

  it('prints a readable text report with a code frame and the trace, masking the hardcoded key', () => {
    const { status, stdout } = run(['scan', 'key.py'], dir);
    expect(status).toBe(1);
    // A .py file's place is path:line:column (terminals link it), with the cell as editors number it.
    expect(stdout).toContain('key.py:2:10  (Cell 1)');
    expect(stdout).toContain('error NBG201 hardcoded-credential');
    expect(stdout).toContain('> 2 | key_id = "AKIA************Z234"');
    expect(stdout).toContain('trace:');
    expect(stdout).toContain('line 6, column 1 (Cell 2): sink');
    expect(stdout).not.toContain(KEY_ID);
    expect(stdout).not.toMatch(/\x1b\[/); // no colour when not on a terminal
    expect(stdout.trim().split('\n').pop()).toBe('2 findings (2 errors, 0 warnings) in 1 of 1 file.');
  });

  it('names notebook cells as editors number them and sums up a trace across cells', () => {
    const { stdout } = run(['scan', 'leak.ipynb'], dir);
    expect(stdout).toContain('leak.ipynb  Cell 3, line 1, column 1');
    expect(stdout).toMatch(/reaches print\(\) \(from Cell 1 via Cell 2\)/);
    expect(stdout).toContain('    Cell 1, line 1, column 6: source');
  });

  it('shows a shell line in a code frame as written, its credential masked', () => {
    const token = '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';
    writeFileSync(join(dir, 'shell.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: `!huggingface-cli login --token ${token}\n!wandb login $WANDB_KEY` }] }));
    const { stdout } = run(['scan', 'shell.ipynb'], dir);
    expect(stdout).toContain('> 1 | !huggingface-cli login --token hf_i*****************************ihiy');
    expect(stdout).toContain('  2 | !wandb login $WANDB_KEY');
    expect(stdout).not.toContain(token);
  });

  it('writes a plain script\'s places as path:line:column, with no cell', () => {
    writeFileSync(join(dir, 'plain-script.py'), 'import os\npw = os.environ["DB_PASSWORD"]\nprint(pw)\n');
    const { stdout } = run(['scan', 'plain-script.py'], dir);
    expect(stdout).toContain('plain-script.py:3:1\n');
    expect(stdout).not.toMatch(/cell/i);
    expect(stdout).toContain('    line 2, column 6: source');
  });

  it('puts the report on standard output and errors and notes on standard error', () => {
    writeFileSync(join(dir, 'syntax.py'), 'x = (\nprint(1)\n');
    const r = run(['scan', 'clean.py', 'syntax.py', 'missing.ipynb'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain('missing.ipynb');
    expect(r.stderr).toContain('error: missing.ipynb: cannot read: no such file or folder');
    expect(r.stderr).toContain('note: syntax.py:1:1: the code does not parse here');
    // The summary says the analysis was partial and a path was not scanned.
    expect(r.stdout.trim().split('\n').pop()).toBe('No findings in 2 files. 1 file analysed only in part (see the notes). 1 path could not be scanned (see the errors).');
    // JSON keeps both in the document, and says the errors on standard error too.
    const json = run(['scan', '-f', 'json', 'syntax.py', 'missing.ipynb'], dir);
    expect(JSON.parse(json.stdout).warnings[0]).toMatchObject({ file: 'syntax.py', line: 1 });
    expect(json.stderr).toContain('nbguard: error: missing.ipynb: cannot read');
  });

  it('exits 2 when nothing was scanned: an empty folder, a folder without notebooks', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = run(['scan', 'empty'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: empty: holds no .ipynb or .py file');
    expect(r.stdout).toContain('Nothing was scanned');
    const json = JSON.parse(run(['scan', '--format', 'json', 'empty'], dir).stdout);
    expect(json.errors).toEqual([{ file: 'empty', message: 'holds no .ipynb or .py file' }]);
  });

  it('says plainly when a rules folder does not exist', () => {
    const r = run(['scan', '--rules', 'no-such-rules', 'clean.py'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('nbguard: rule file error: no-such-rules: no such rules folder or file');
  });

  it('takes -f, -o FILE and -q', () => {
    const r = run(['scan', '-f', 'json', '-o', 'report.json', 'leak.ipynb'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).findings).toHaveLength(1);
    const quiet = run(['scan', '-q', 'leak.ipynb', 'syntax.py'], dir);
    expect(quiet.stdout).toContain('NBG101');
    expect(quiet.stdout).not.toContain('finding');
    expect(quiet.stderr).toBe('');
    const bad = run(['scan', '-o', join(dir, 'no', 'such', 'dir', 'r.txt'), 'leak.ipynb'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/cannot write the report to .*r\.txt: ENOENT/);
  });

  it('never prints a secret in JSON messages', () => {
    const { stdout } = run(['scan', '--format', 'json', 'key.py'], dir);
    expect(stdout).not.toContain(KEY_ID);
    expect(stdout).toContain('AKIA************Z234');
  });

  it('honours --fail-on and --order', () => {
    expect(run(['scan', '--fail-on', 'never', 'leak.ipynb'], dir).status).toBe(0);
    expect(run(['scan', '--fail-on', 'error', 'leak.ipynb'], dir).status).toBe(1);
    expect(run(['scan', '--order', 'document', 'clean.py'], dir).status).toBe(0);
  });

  it('rejects bad usage with exit status 2', () => {
    expect(run(['scan'], dir).status).toBe(2);
    expect(run(['scan', '--format', 'xml', 'clean.py'], dir).status).toBe(2);
    expect(run(['frobnicate'], dir).status).toBe(2);
  });
});

describe('nbguard scan on every core', () => {
  it('scans a big folder on worker threads with the report byte for byte as one thread writes it', { timeout: 60_000 }, () => {
    const big = mkdtempSync(join(tmpdir(), 'nbguard-jobs-'));
    // 12 notebooks of about 300 KB (3.6 MB: past the size where workers start), each with findings.
    const filler = Array.from({ length: 3000 }, (_, i) => `rows_${i} = spark.table("t").count()  # ${'x'.repeat(60)}`).join('\n');
    for (let i = 0; i < 12; i++) {
      const cells = [`pw = dbutils.secrets.get("db", "pw${i}")`, filler, `print(pw)`, `key_id = "AKIA${'ABCDEFGHIJKLMNOP'.slice(i % 4)}${'Z234ABCD'.slice(0, i % 4)}"`];
      writeFileSync(join(big, `nb${String(i).padStart(2, '0')}.ipynb`), ipynb(cells));
    }
    for (const format of ['json', 'text', 'sarif']) {
      const one = run(['scan', '--format', format, '--jobs', '1', '.'], big);
      const two = run(['scan', '--format', format, '--jobs', '2', '.'], big);
      expect(one.status).toBe(1);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
      expect(two.status).toBe(one.status);
    }
    expect(JSON.parse(run(['scan', '--format', 'json', '-j', '2', '.'], big).stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'NBG101')).toHaveLength(12);
  });

  it('refuses a --jobs that is not a whole number from 1', () => {
    const { status, stderr } = run(['scan', '--jobs', '0', 'clean.py'], dir);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--jobs.*a whole number from 1 to 256/);
  });
});
