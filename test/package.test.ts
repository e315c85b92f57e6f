// The npm package is how nbguard reaches machines without this repository: CI runners, the
// pre-commit hook, and Spark workers running `nbguard audit --sessions -` (docs/scale.md), which
// often have no route to the npm registry. The package holds the bundles, the wasm files and the
// rules, needs nothing else at run time, and installs from its tarball alone.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; bin: Record<string, string> };

describe('the npm package', () => {
  it('has no run-time dependencies: the bundles carry everything they load', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('installs from its tarball with no registry and runs the stateless audit filter', { timeout: 120_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), 'nbguard-pack-'));
    // The suite runs after `npm run build`; packing must not rebuild dist/ under the other tests.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0].files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/server.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'dist/builtin-rules.json', 'rules/sources.yaml', 'rules/schema/rules.schema.json', 'package.json']));
    expect(files.filter((f) => /^(test|bench|server|client|scripts)\//.test(f) || f.endsWith('.map'))).toEqual([]);
    const prefix = join(work, 'prefix');
    const install = spawnSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(work, packed[0].filename)], { encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const session = JSON.stringify({
      session: '1/2@2024-05-01T10:00:00.000Z',
      notebookId: '2',
      path: '/Users/ana@example.com/etl',
      commands: [
        { commandId: 'a', commandText: 'pw = dbutils.secrets.get("db", "pw")', timestamp: 1 },
        { commandId: 'b', commandText: 'print(pw)', timestamp: 2 },
      ],
    });
    const run = spawnSync(join(prefix, 'bin', 'nbguard'), ['audit', '--sessions', '-', '--format', 'jsonl'], { input: `${session}\n`, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ruleId: 'NBG101', commandId: 'b', cell: 1 });
  });
});
