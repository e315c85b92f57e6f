// The pre-commit hook definition: valid YAML naming the nbguard CLI, for notebooks and .py files.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
});
