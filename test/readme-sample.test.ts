// The README's sample of the text report is the real output of `nbguard scan` on the example
// notebook: the first finding block, as printed today.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

describe('README', () => {
  it('shows the text report as nbguard prints it', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const sample = /<!-- text sample: checked by test\/readme-sample\.test\.ts -->\n```text\n([\s\S]*?)```\n<!-- end of text sample -->/.exec(readme)?.[1];
    expect(sample, 'the sample between its markers').toBeDefined();
    const run = spawnSync(process.execPath, [resolve(root, 'dist', 'cli.js'), 'scan', 'examples/jdbc_ingest.ipynb'], { cwd: root, encoding: 'utf8' });
    const firstBlock = `${run.stdout.split('\n\n')[0]}\n`;
    expect(sample).toBe(`$ nbguard scan examples/jdbc_ingest.ipynb\n${firstBlock}`);
  });
});
