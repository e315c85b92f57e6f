// Deeply nested input never costs the rest of a notebook: JSON outputs nested 20,000 deep,
// `not`/`-`/brackets nested thousands deep, 300 nested blocks, a 50,000-term concatenation.
// Whatever nbguard could not analyse is listed where CI reads it: `warnings` in JSON and
// toolExecutionNotifications in SARIF, with syntax errors, and never silently skipped.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = resolve(__dirname, '..', 'dist', 'cli.js');
const READ = 'pw = dbutils.secrets.get("db", "password")';
const DAPI = 'dapi0123456789abcdef0123456789abcdef';

/** An .ipynb built as text: JSON.stringify itself cannot write a value nested 20,000 deep. */
function notebook(cells: { source: string; outputs?: string }[]): string {
  const cell = (c: { source: string; outputs?: string }) =>
    `{"cell_type": "code", "metadata": {}, "execution_count": null, "source": ${JSON.stringify(c.source)}, "outputs": ${c.outputs ?? '[]'}}`;
  return `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [${cells.map(cell).join(', ')}]}`;
}

const deepObject = `${'{"a": '.repeat(20_000)}"${DAPI}"${'}'.repeat(20_000)}`;
const deepBlocks = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n') + `\n${' '.repeat(300)}y = 1`;

const FILES: Record<string, string> = {
  'deep-output.ipynb': notebook([{ source: `${READ}\nprint(pw)`, outputs: `[{"output_type": "display_data", "metadata": {}, "data": {"application/json": ${deepObject}}}]` }]),
  'deep-not.ipynb': notebook([{ source: READ }, { source: `x = ${'not '.repeat(2_500)}"${DAPI}"\nprint(pw)` }]),
  'deep-minus.ipynb': notebook([{ source: READ }, { source: `x = ${'-'.repeat(2_500)}1\nprint(pw)` }]),
  'deep-brackets.ipynb': notebook([{ source: READ }, { source: `x = ${'['.repeat(3_000)}1${']'.repeat(3_000)}\nprint(pw)` }]),
  'deep-blocks.ipynb': notebook([{ source: READ }, { source: `${deepBlocks}\nprint(pw)` }]),
  'long-chain.ipynb': notebook([{ source: READ }, { source: `x = "a" + ${'"b" + '.repeat(50_000)}pw\nprint(x)` }]),
  'syntax-error.ipynb': notebook([{ source: READ }, { source: 'if x\nprint(pw)' }]),
};

interface Placed {
  file: string;
  cell: number;
  line: number;
  message: string;
}

function scan(format: 'json' | 'sarif', files: string[], dir: string): { status: number | null; doc: any } {
  const r = spawnSync(process.execPath, [cli, 'scan', '--format', format, ...files], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, doc: JSON.parse(r.stdout) };
}

describe('deep input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-deep-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  const names = Object.keys(FILES);

  it('every notebook is analysed, in any order in one process: the leak after the deep code is found', () => {
    for (const order of [names, [...names].reverse()]) {
      const { status, doc } = scan('json', order, dir);
      expect(doc.errors).toEqual([]);
      expect(status).toBe(1);
      const leaks = (doc.findings as Placed[]).filter((f: any) => f.ruleId === 'NBG101').map((f) => f.file).sort();
      expect(leaks).toEqual([...names].sort());
    }
  });

  it('a credential at the bottom of a JSON output nested 20,000 deep is found (NBG401)', () => {
    const { doc } = scan('json', ['deep-output.ipynb'], dir);
    expect(doc.findings.map((f: any) => f.ruleId)).toContain('NBG401');
  });

  it('a credential pasted into a statement too deep to analyse is still reported (NBG201), masked', () => {
    const { doc } = scan('json', ['deep-not.ipynb'], dir);
    expect(doc.findings.filter((f: any) => f.ruleId === 'NBG201').map((f: any) => `${f.cell}:${f.line}`)).toEqual(['1:1']);
    expect(JSON.stringify(doc)).not.toContain(DAPI);
  });

  it('what was not analysed is listed in JSON warnings, with syntax errors', () => {
    const { doc } = scan('json', names, dir);
    const warnings = (doc.warnings as Placed[]).map((w) => `${w.file} ${w.cell}:${w.line} ${w.message}`);
    const tooDeep = /nested more than 200 levels deep and was not analysed/;
    expect(warnings.filter((w) => tooDeep.test(w)).map((w) => w.split(' ')[0]).sort()).toEqual(['deep-brackets.ipynb', 'deep-minus.ipynb', 'deep-not.ipynb']);
    expect(warnings.find((w) => w.startsWith('deep-not.ipynb'))).toMatch(/^deep-not.ipynb 1:1 /);
    expect(warnings).toContainEqual(expect.stringMatching(/^syntax-error.ipynb 1:1 the code does not parse here/));
    expect(warnings.some((w) => w.startsWith('long-chain.ipynb') || w.startsWith('deep-output.ipynb'))).toBe(false);
  });

  it('and in SARIF as toolExecutionNotifications with their location', () => {
    const { doc } = scan('sarif', ['deep-not.ipynb'], dir);
    const notes = doc.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      level: 'warning',
      message: { text: expect.stringMatching(/nested more than 200 levels/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'deep-not.ipynb' } }, logicalLocations: [{ name: 'Cell 2' }] }],
      properties: { cell: 1 },
    });
    // The region is in the file as stored: where cell 2's source starts.
    const region = notes[0].locations[0].physicalLocation.region;
    const raw = readFileSync(join(dir, 'deep-not.ipynb'), 'utf8').split('\n')[region.startLine - 1];
    expect(raw.slice(region.startColumn - 1)).toMatch(/^x = not not /);
  });
});
