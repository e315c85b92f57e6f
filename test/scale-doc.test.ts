// docs/scale.md ships a PySpark snippet that sessionizes system.access.audit and pipes session
// lines through nbguard on the executors. No Spark runs here, so this keeps the snippet honest
// from nbguard's side: the Python parses, the JSON it builds uses the field names nbguard reads,
// and the exact command it pipes through accepts such a line and finds the leak in it.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const doc = readFileSync(resolve(root, 'docs', 'scale.md'), 'utf8');
const python = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('docs/scale.md', () => {
  it('has PySpark snippets that are valid Python', () => {
    expect(python.length).toBeGreaterThanOrEqual(2);
    for (const code of python) {
      const run = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    }
  });

  it("builds session lines with the fields nbguard reads and pipes them through a command nbguard accepts", () => {
    const spark = python[0];
    for (const field of ['notebookId', 'workspaceId', 'commandId', 'commandText', 'timestamp', 'commands']) {
      expect(spark).toMatch(new RegExp(`["']${field}["']`));
    }
    const command = /\.pipe\("([^"]+)"\)/.exec(spark)?.[1];
    expect(command).toBe('nbguard audit --sessions - --format jsonl');
    // The line the snippet's to_json produces for one session (field order as in the struct).
    const line = JSON.stringify({
      session: '1234/5678@2024-05-01T10:00:00.000Z',
      notebookId: '5678',
      workspaceId: '1234',
      path: '/Users/ana@example.com/etl',
      user: 'ana@example.com',
      start: '2024-05-01T10:00:00.000Z',
      commands: [
        { timestamp: 1714557660000, commandId: 'c-1', commandText: 'pw = dbutils.secrets.get("db", "pw")' },
        { timestamp: 1714557720000, commandId: 'c-2', commandText: 'print(pw)' },
      ],
    });
    const args = command!.split(' ').slice(1);
    const run = spawnSync(process.execPath, [resolve(root, 'dist', 'cli.js'), ...args], { input: `${line}\n`, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1);
    const findings = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(findings).toMatchObject([
      { ruleId: 'NBG101', file: '/Users/ana@example.com/etl', cell: 1, session: '1234/5678@2024-05-01T10:00:00.000Z', commandId: 'c-2', workspaceId: '1234', user: 'ana@example.com' },
    ]);
  });
});
