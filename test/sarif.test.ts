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
      expect(r.locations[0].physicalLocation.region).toMatchObject({ startLine: f.line, startColumn: f.column });
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
    expect(after.map((r: any) => r.locations[0].physicalLocation.region.startLine)).not.toEqual(before.map((r: any) => r.locations[0].physicalLocation.region.startLine));
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
