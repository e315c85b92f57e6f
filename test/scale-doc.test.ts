// docs/scale.md is a recipe for the Spark job in spark/ (whose own tests run it on Spark): this
// keeps the page true to the code. Its Python parses; the options it gives the job's command line
// and the JobOptions fields it sets exist; the session line it documents is what nbguard reads.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const doc = readFileSync(resolve(root, 'docs', 'scale.md'), 'utf8');
const python = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
const shell = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
const jobCli = readFileSync(resolve(root, 'spark', 'src', 'nbguard_spark', '__main__.py'), 'utf8');
const jobOptions = readFileSync(resolve(root, 'spark', 'src', 'nbguard_spark', 'job.py'), 'utf8');

describe('docs/scale.md', () => {
  it('has Python that parses', () => {
    expect(python.length).toBeGreaterThanOrEqual(1);
    for (const code of python) {
      const run = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    }
  });

  it("gives the job's command line only options it has, and JobOptions only fields it has", () => {
    const given = [...shell.matchAll(/python -m nbguard_spark((?:\\\n|.)*)/g)].flatMap((m) => [...m[1].matchAll(/(--[a-z-]+)/g)].map((o) => o[1]));
    expect(given.length).toBeGreaterThan(3);
    for (const option of given) expect(jobCli, option).toContain(`"${option}"`);
    const fields = python.flatMap((code) => [...code.matchAll(/JobOptions\(([\s\S]*?)\)\s*,?\s*\)/g)].flatMap((m) => [...m[1].matchAll(/(\w+)=/g)].map((f) => f[1])));
    expect(fields.length).toBeGreaterThan(3);
    for (const field of fields) expect(jobOptions, field).toMatch(new RegExp(`^\\s+${field}: `, 'm'));
  });

  it('documents the session line nbguard audit --sessions reads', () => {
    const line = /```json\n([\s\S]*?)```/.exec(doc)?.[1].replace(/\n\s*/g, ' ');
    const session = JSON.parse(line!) as { commands: { commandText: string }[] };
    session.commands.push({ commandId: 'c-2', commandText: 'print(pw)', timestamp: 1714557720000 } as never);
    const run = spawnSync(process.execPath, [resolve(root, 'dist', 'cli.js'), 'audit', '--sessions', '-', '--format', 'jsonl'], { input: `${JSON.stringify(session)}\n`, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toMatchObject([{ ruleId: 'NBG101', session: '1234/5678@2024-05-01T10:00:00.000Z', commandId: 'c-2', cell: 1 }]);
  });
});
