// Rules are data: user rule folders add sources and sinks without code, and a broken rule file
// is an error that names the file and the entry.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRuleSet, readNotebookText, RuleLoadError, type RuleFolder, type RuleSet } from '../server/src/analysis';
import { loadRuleSet, readRuleFolder } from '../server/src/node/loadRuleSet';
import { ACME_RULES, percent } from './helpers';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

function ruleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const notebook = percent([
  'import acme_audit\nfrom acme_vault import read_secret',
  'token = read_secret("svc")\nclient = acme_audit.Client()\nclient.send(f"token {token}")',
]);

describe('the built-in rules in the bundles', () => {
  it('dist/builtin-rules.json (validated at build time) holds the rules/ folder, without the detectors\' test vectors and descriptions', () => {
    const bundled = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'builtin-rules.json'), 'utf8')) as RuleFolder;
    const fromYaml = buildRuleSet([readRuleFolder(join(__dirname, '..', 'rules'), true)]);
    const fromJson = buildRuleSet([bundled]);
    // The same rules, from the same files (named from the repository in the JSON).
    const strip = (set: RuleSet) => JSON.parse(JSON.stringify({ ...set, detectors: set.detectors.map(({ samples: _s, description: _d, ...d }) => d) }).replaceAll(`${join(__dirname, '..')}/`, ''));
    expect(strip(fromJson)).toEqual(strip(fromYaml));
    expect(fromJson.detectorOrigins[0]).toMatch(/^rules\/detectors\/[\w-]+\.yaml$/);
    expect(JSON.stringify(bundled)).not.toMatch(/"samples"/);
    expect(fromJson.detectors.filter((d) => d.description !== undefined)).toEqual([]);
  });
});

describe('rule files', () => {
  it('the built-in rules load and validate', () => {
    const set = loadRuleSet();
    expect(set.sinks.length).toBeGreaterThan(10);
    expect(set.sources.length).toBeGreaterThan(5);
    expect(set.detectors.length).toBeGreaterThan(5);
  });

  it('a user folder adds a source and a sink for a new library without code', async () => {
    const before = (await createAnalyzer()).analyze(readNotebookText('n.py', notebook)).findings;
    expect(before).toEqual([]);
    const dir = ruleDir({ 'acme.yaml': ACME_RULES });
    const after = (await createAnalyzer({ rulesDirs: [dir] })).analyze(readNotebookText('n.py', notebook)).findings;
    expect(after.map((f) => `${f.ruleId}@${f.cell}:${f.line} ${f.message}`)).toEqual([
      'NBG101@1:8 Secret from read_secret("svc") reaches client.send()',
    ]);
  });

  it('a schema error names the file, the entry and the problem', () => {
    const dir = ruleDir({ 'bad.yaml': 'sinks:\n  - id: audit-client\n    rule: NBG101\n    cals: [x.y]\n' });
    expect(() => loadRuleSet([dir])).toThrow(RuleLoadError);
    expect(() => loadRuleSet([dir])).toThrow(/bad\.yaml: sinks\[0\] \(id: audit-client\) has an unknown field "cals"/);
  });

  it('an unknown rule id is rejected with the allowed values', () => {
    const dir = ruleDir({ 'bad.yaml': 'sinks:\n  - id: s\n    rule: NBG999\n    calls: [x.y]\n' });
    expect(() => loadRuleSet([dir])).toThrow(/sinks\[0\] \(id: s\)/);
  });

  it('YAML that does not parse and a detector regex that does not compile are errors', () => {
    expect(() => loadRuleSet([ruleDir({ 'a.yaml': 'sinks: [\n' })])).toThrow(/a\.yaml: cannot be parsed/);
    const bad = ruleDir({ 'd.yaml': 'detectors:\n  - id: broken\n    name: Broken\n    pattern: "(unclosed"\n' });
    expect(() => loadRuleSet([bad])).toThrow(/detectors\[0\] \(id: broken\) pattern is not a valid regular expression/);
  });

  it('a missing rules folder is an error', () => {
    expect(() => loadRuleSet(['/nonexistent/rules'])).toThrow(/\/nonexistent\/rules: no such rules folder or file/);
  });
});
