// Every built-in detector (rules/detectors/*.yaml, one a file) with the test vectors beside it:
// each positive sample is reported by that detector (with its own keywords letting it run), no
// negative sample is; each has keywords and a redaction word, and redact replaces its samples.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DetectorRule } from '../server/src/analysis/rules/ruleFile';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { redact } from '../server/src/analysis/redact/redactor';

const dir = resolve(__dirname, '..', 'rules', 'detectors');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const rules = files.map((f) => {
  const doc = parse(readFileSync(join(dir, f), 'utf8')) as { detectors: DetectorRule[] };
  return { file: f, rule: doc.detectors[0], count: doc.detectors.length };
});
const detectors = new CompiledRules(loadRuleSet()).detectors;

describe('rules/detectors', () => {
  it('holds one detector a file, named by its id, each with keywords, a redaction word and samples', () => {
    for (const { file, rule, count } of rules) {
      expect(count, file).toBe(1);
      expect(file, file).toBe(`${rule.id}.yaml`);
      expect(rule.keywords?.length, `${file}: keywords`).toBeGreaterThan(0);
      expect(rule.redaction, `${file}: redaction`).toMatch(/^REDACTED_[A-Z_]+$/);
      expect(rule.samples?.positive?.length, `${file}: positive samples`).toBeGreaterThan(0);
      expect(rule.samples?.negative?.length, `${file}: negative samples`).toBeGreaterThan(0);
    }
  });

  it('are the loaded detectors', () => {
    expect(detectors.detectors.map((d) => d.id).sort()).toEqual(rules.map((r) => r.rule.id).sort());
  });

  describe.each(rules.map((r) => [r.rule.id, r.rule] as const))('%s', (id, rule) => {
    it.each((rule.samples?.positive ?? []).map((s) => [s]))('reports %s', (sample) => {
      const found = detectors.scan(sample).filter((m) => m.detectorId === id);
      expect(found.length, sample).toBeGreaterThan(0);
      // The keywords are what lets it run: one of them is in every text it reports.
      expect(rule.keywords?.some((k) => sample.toLowerCase().includes(k.toLowerCase())), `keywords of ${id}`).toBe(true);
      const redacted = redact(sample, detectors);
      for (const m of found) expect(redacted, 'redact').not.toContain(m.value);
    });

    it.each((rule.samples?.negative ?? []).map((s) => [s]))('does not report %s', (sample) => {
      expect(detectors.scan(sample).filter((m) => m.detectorId === id)).toEqual([]);
    });
  });
});
