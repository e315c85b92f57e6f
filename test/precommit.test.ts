// The pre-commit hook definitions: valid YAML naming the nbguard CLI, for notebooks and .py files,
// and each entry run as pre-commit runs it (the entry, then the staged file names).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('.pre-commit-hooks.yaml', () => {
  it('defines the nbguard hook on .ipynb and .py files with the package bin', () => {
    const root = resolve(__dirname, '..');
    const hooks = parse(readFileSync(resolve(root, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string }[];
    const hook = hooks.find((h) => h.id === 'nbguard');
    expect(hook).toBeDefined();
    expect(hook!.language).toBe('node');
    expect(hook!.entry.split(' ')[0]).toBe(Object.keys(JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).bin)[0]);
    const files = new RegExp(hook!.files);
    expect(['a/b.ipynb', 'etl.py'].every((f) => files.test(f))).toBe(true);
    expect(files.test('README.md')).toBe(false);
  });

  it('has a fixing hook that redacts the staged notebooks\' stored outputs, run as pre-commit runs it', () => {
    const root = resolve(__dirname, '..');
    const hooks = parse(readFileSync(resolve(root, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string }[];
    const hook = hooks.find((h) => h.id === 'nbguard-fix')!;
    expect(hook.language).toBe('node');
    expect(new RegExp(hook.files).test('a/b.ipynb')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-hook-'));
    const token = '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';
    const nb = { cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, source: ['print(t)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`${token}\n`] }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(join(dir, 'staged.ipynb'), JSON.stringify(nb, null, 1));
    const [, ...args] = hook.entry.split(' ');
    const run = spawnSync(process.execPath, [resolve(root, 'dist', 'cli.js'), ...args, 'staged.ipynb'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'staged.ipynb'), 'utf8')).toBe(JSON.stringify(nb, null, 1).replace(token, 'REDACTED_GITHUB_TOKEN'));
  });
});
