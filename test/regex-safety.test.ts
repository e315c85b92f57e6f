// No detector backtracks catastrophically: every built-in detector and the redactor finish on
// 1 MB adversarial inputs (a hang fails the test by its timeout), and a user detector whose
// pattern does not finish is rejected when its rule file is loaded.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adversarialInputs } from '../server/src/analysis/detectors/adversarialInputs';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { RuleLoadError } from '../server/src/analysis/rules/loadRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { redact } from '../server/src/analysis/redact/redactor';
import { namedCredentialsIn } from '../server/src/analysis/dataflow/commentCredentials';

const detectors = new CompiledRules(loadRuleSet()).detectors;
const inputs = adversarialInputs(1 << 20);

describe('regex safety', () => {
  for (const detector of detectors.detectors) {
    it(`detector ${detector.id} finishes on every 1 MB adversarial input`, { timeout: 20_000 }, () => {
      for (const input of inputs) expect(Array.isArray(detector.scan(input.text)), input.name).toBe(true);
    });
  }

  it('the credential-name scan of comments and outputs finishes on every 1 MB adversarial input', { timeout: 20_000 }, () => {
    for (const input of [...inputs, { name: 'one long word', text: 'a'.repeat(1 << 20) }, { name: 'name: quote, repeated', text: "a:'b".repeat(1 << 18) }]) {
      expect(Array.isArray(namedCredentialsIn(input.text)), input.name).toBe(true);
    }
  });

  it('the redactor finishes on every 1 MB adversarial input and keeps its length for clean input', { timeout: 30_000 }, () => {
    for (const input of inputs) {
      const out = redact(input.text, detectors);
      if (input.name === 'one letter' || input.name === 'spaces') expect(out).toBe(input.text);
      expect(out.split('\n').length, input.name).toBe(input.text.split('\n').length);
    }
  });

  it('rejects a user detector whose pattern backtracks catastrophically, naming it and its file', { timeout: 30_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-unsafe-'));
    writeFileSync(join(dir, 'evil.yaml'), ['detectors:', '  - id: evil-pattern', '    name: Evil', "    pattern: '(a+)+$'"].join('\n'));
    expect(() => loadRuleSet([dir])).toThrow(RuleLoadError);
    expect(() => loadRuleSet([dir])).toThrow(/evil\.yaml: detector evil-pattern: its pattern does not finish on adversarial input/);
  });

  it('accepts a well-behaved user detector', { timeout: 30_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-safe-'));
    writeFileSync(join(dir, 'acme.yaml'), ['detectors:', '  - id: acme-key', '    name: Acme key', "    pattern: '(acme_[A-Za-z0-9]{32})'", '    group: 1'].join('\n'));
    const set = loadRuleSet([dir]);
    expect(set.detectors.map((d) => d.id)).toContain('acme-key');
  });
});
