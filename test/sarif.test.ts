// `nbguard scan --format sarif`: SARIF 2.1.0 that Microsoft's validator accepts without an
// error, the same findings as the JSON output, the cell in properties.cell, the trace as a code
// flow, and fingerprints that survive cells moving and lines shifting.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipynb } from './helpers';

const root = resolve(__dirname, '..');
const cli = resolve(root, 'dist', 'cli.js');
const validator = resolve(root, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

function scan(format: 'json' | 'sarif', paths: string[], cwd = root): any {
  const r = spawnSync(process.execPath, [cli, 'scan', '--format', format, ...paths], { cwd, encoding: 'utf8' });
  return JSON.parse(r.stdout);
}

describe('SARIF output', () => {
  it('is valid SARIF 2.1.0 for Microsoft\'s validator (no errors)', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-sarif-'));
    const file = join(dir, 'examples.sarif');
    writeFileSync(file, execFileSync(process.execPath, [cli, 'scan', '--format', 'sarif', '--fail-on', 'never', 'examples'], { cwd: root, encoding: 'utf8' }));
    const run = spawnSync(validator, ['validate', file], { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toContain('Analysis completed successfully');
    expect(output).not.toMatch(/: error /);
  });

  it('holds the findings of the JSON output with the rules, cells and traces', () => {
    const json = scan('json', ['examples']);
    const sarif = scan('sarif', ['examples']);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('nbguard');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['NBG101', 'NBG102', 'NBG103', 'NBG104', 'NBG201', 'NBG301', 'NBG401']);
    expect(run.tool.driver.rules[0].help.text).toMatch(/docs\/rules\.md#nbg101/);
    expect(run.results).toHaveLength(json.findings.length);
    run.results.forEach((r: any, i: number) => {
      const f = json.findings[i];
      expect(r.ruleId).toBe(f.ruleId);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.ruleId);
      expect(r.level).toBe(f.severity);
      expect(r.properties.cell).toBe(f.cell);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe(f.file);
      // A .py file's lines are its own; an .ipynb finding keeps its cell's line in properties.
      if (f.file.endsWith('.py')) expect(r.locations[0].physicalLocation.region).toMatchObject({ startLine: f.line, startColumn: f.column });
      else expect(r.properties).toMatchObject({ cellLine: f.line, cellColumn: f.column });
      const flow = r.codeFlows?.[0].threadFlows[0].locations ?? [];
      expect(flow.length).toBe(f.trace?.length ?? 0);
    });
    expect(JSON.stringify(sarif)).not.toContain('2hpChYgCfrL1spNxnyVmihA'); // the example's secret key stays masked
  });

  it('keeps fingerprints when cells move and lines shift, and tells identical lines apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-fp-'));
    const leak = 'pw = dbutils.secrets.get("s", "k")\nprint(pw)\nprint(pw)';
    writeFileSync(join(dir, 'a.ipynb'), ipynb(['import os', leak]));
    const before = scan('sarif', ['a.ipynb'], dir).runs[0].results;
    writeFileSync(join(dir, 'a.ipynb'), ipynb([{ source: '# notes', type: 'markdown' }, leak.replace('print(pw)\n', '\n\nprint(pw)\n'), 'import os']));
    const after = scan('sarif', ['a.ipynb'], dir).runs[0].results;
    const prints = (rs: any[]) => rs.map((r) => r.partialFingerprints['nbguardFinding/v1']);
    expect(prints(before)).toHaveLength(2);
    expect(new Set(prints(before)).size).toBe(2);
    expect(prints(after)).toEqual(prints(before));
    expect(after.map((r: any) => r.properties.cellLine)).not.toEqual(before.map((r: any) => r.properties.cellLine));
  });

  describe('places an .ipynb finding where the file stores it, as code scanning reads regions', () => {
    // Code scanning annotates region.startLine of the file as committed, and columns in UTF-16 units.
    const rawAt = (text: string, region: { startLine: number; startColumn: number }) => text.split(/\r?\n/)[region.startLine - 1].slice(region.startColumn - 1);
    const cells = ['import os', { source: '# Notes', type: 'markdown' as const }, 'pw = dbutils.secrets.get("s", "k")\nx = 1\nprint("é 😀", pw)', { source: 'print(1)', outputs: [{ output_type: 'stream', name: 'stdout', text: ['ok\n', '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\n'] }] }];

    it.each([
      ['pretty-printed (one source line a JSON line)', (nb: string) => JSON.stringify(JSON.parse(nb), null, 1)],
      ['with CRLF line ends', (nb: string) => JSON.stringify(JSON.parse(nb), null, 2).replace(/\n/g, '\r\n')],
      ['minified (the whole notebook on one line)', (nb: string) => nb],
      ['with each source as one string', (nb: string) => JSON.stringify({ ...JSON.parse(nb), cells: JSON.parse(nb).cells.map((c: { source: string[] }) => ({ ...c, source: c.source.join('') })) }, null, 1)],
    ])('%s', (_what, shape) => {
      const dir = mkdtempSync(join(tmpdir(), 'nbguard-sarif-place-'));
      const text = shape(ipynb(cells.map((c) => (typeof c === 'string' ? { source: c.split(/(?<=\n)/) } : { ...c, source: [c.source] }))));
      writeFileSync(join(dir, 'n.ipynb'), text);
      const results = scan('sarif', ['n.ipynb'], dir).runs[0].results;
      const leak = results.find((r: any) => r.ruleId === 'NBG101');
      expect(leak.properties).toMatchObject({ cell: 2, cellLine: 3, cellColumn: 1 });
      expect(rawAt(text, leak.locations[0].physicalLocation.region)).toMatch(/^print\(\\"\\u00e9|^print\(\\"é/);
      expect(leak.locations[0].logicalLocations[0]).toMatchObject({ name: 'Cell 3' });
      expect(leak.message.text).toContain('reaches print()');
      // The trace's source step is in the same cell, at line 1.
      const source = leak.codeFlows[0].threadFlows[0].locations[0].location;
      expect(rawAt(text, source.physicalLocation.region)).toMatch(/^dbutils\.secrets\.get/);
      // A stored output's finding: the output's text in the file.
      const stored = results.find((r: any) => r.ruleId === 'NBG401');
      expect(rawAt(text, stored.locations[0].physicalLocation.region)).toMatch(/^"ghp_/);
    });
  });
});

describe('SARIF artifact locations', () => {
  it('a path with a lone surrogate (valid JSON in an audit record, invalid in a URI) becomes U+FFFD, never an exception', async () => {
    const { fileArtifact } = await import('../server/src/cli/formatSarif');
    expect(fileArtifact('Users/a/nb\ud800 x.ipynb')).toEqual({ uri: 'Users/a/nb%EF%BF%BD%20x.ipynb' });
    expect(fileArtifact('/Users/a/\udc00nb').uri).toBe('file:///Users/a/%EF%BF%BDnb');
    expect(fileArtifact('ok/\ud83d\ude00.ipynb').uri).toBe('ok/%F0%9F%98%80.ipynb');
  });
});
