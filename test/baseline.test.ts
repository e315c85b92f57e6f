// Baselines: --write-baseline records today's findings, --baseline reports only new ones, and
// a finding keeps its identity when cells move and lines shift.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipynb } from './helpers';

const cli = resolve(__dirname, '..', 'dist', 'cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });

describe('baselines', () => {
  it('reports only findings that are new since the baseline, across moved cells and shifted lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-baseline-'));
    const leak = 'pw = dbutils.secrets.get("s", "k")\nprint(pw)';
    writeFileSync(join(dir, 'n.ipynb'), ipynb(['import os', leak]));
    const write = run(['scan', '--write-baseline', 'base.json', 'n.ipynb'], dir);
    expect(write.status).toBe(1); // today's findings are still reported when writing the baseline

    // The leak moves to another cell and down two lines; a new leak is added.
    writeFileSync(join(dir, 'n.ipynb'), ipynb([{ source: '# notes', type: 'markdown' }, `\n\n${leak}`, 'import os\nprint(f"again {pw}")']));
    const after = run(['scan', '--format', 'json', '--baseline', 'base.json', 'n.ipynb'], dir);
    const found = JSON.parse(after.stdout).findings.map((f: { ruleId: string; cell: number; line: number }) => `${f.ruleId}@${f.cell}:${f.line}`);
    expect(found).toEqual(['NBG101@2:2']);
    expect(after.status).toBe(1);

    // Nothing new: exit 0, and the text report says how many the baseline hid.
    writeFileSync(join(dir, 'n.ipynb'), ipynb([`${leak}\n`]));
    const clean = run(['scan', '--baseline', 'base.json', 'n.ipynb'], dir);
    expect(clean.status).toBe(0);
    expect(clean.stderr).toContain('1 finding(s) in the baseline base.json not shown');
  });

  it('reading and writing the same baseline file keeps what it knew and adds the new findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-baseline-'));
    const a = 'pw = dbutils.secrets.get("s", "k")\nprint(pw)';
    const b = 'tok = dbutils.secrets.get("s", "t")\nlogging.warning(tok)';
    writeFileSync(join(dir, 'n.ipynb'), ipynb(['import logging', a]));
    expect(run(['scan', '--write-baseline', 'base.json', 'n.ipynb'], dir).status).toBe(1);
    // The second leak is new; the first is gone from the notebook but stays in the record.
    writeFileSync(join(dir, 'n.ipynb'), ipynb(['import logging', b]));
    expect(run(['scan', '--baseline', 'base.json', '--write-baseline', 'base.json', 'n.ipynb'], dir).status).toBe(1);
    writeFileSync(join(dir, 'n.ipynb'), ipynb(['import logging', a, b]));
    expect(run(['scan', '--baseline', 'base.json', 'n.ipynb'], dir).status).toBe(0);
  });

  it('rejects a file that is not a baseline with exit status 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-baseline-'));
    writeFileSync(join(dir, 'n.py'), 'x = 1\n');
    writeFileSync(join(dir, 'bad.json'), '{"hello": 1}');
    const r = run(['scan', '--baseline', 'bad.json', 'n.py'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: not an nbguard baseline/);
  });
});
