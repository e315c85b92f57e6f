// docs/detectors.md lists every detector of rules/detectors/ with its keywords, its check and a
// synthetic example, between two markers: this test builds that table from the rule files and
// fails when the docs differ (UPDATE_DOCS=1 rewrites them), so the docs stay true as kinds are added.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { maskSecret } from '../server/src/analysis/findings/mask';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import type { DetectorRule } from '../server/src/analysis/rules/ruleFile';

const root = resolve(__dirname, '..');
const docsFile = join(root, 'docs', 'detectors.md');
const BEGIN = '<!-- detector table: generated from rules/detectors by test/detector-docs.test.ts -->';
const END = '<!-- end of detector table -->';

const detectors = new CompiledRules(loadRuleSet()).detectors;
const dir = join(root, 'rules', 'detectors');
const rules = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => (parse(readFileSync(join(dir, f), 'utf8')) as { detectors: DetectorRule[] }).detectors[0])
  .sort((a, b) => a.id.localeCompare(b.id));

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Its first and last four characters, as the docs show a sample (messages mask more). */
function shown(value: string): string {
  return value.length > 12 ? `${value.slice(0, 4)}…${value.slice(-4)}` : maskSecret(value);
}

/** The credential of the rule's first positive sample, shortened. */
function example(rule: DetectorRule): string {
  for (const sample of rule.samples?.positive ?? []) {
    const match = detectors.scan(sample).find((m) => m.detectorId === rule.id);
    if (match) return `\`${cell(shown(match.value))}\` (${match.value.length} characters)`;
  }
  return '';
}

function check(rule: DetectorRule): string {
  const parts = [rule.kind && rule.kind !== 'regex' ? `check: ${rule.kind}` : '', rule.validator ? `validator: ${rule.validator}` : '', rule.minEntropy === 'auto' ? 'calibrated entropy' : rule.minEntropy !== undefined ? `entropy ≥ ${rule.minEntropy}` : ''].filter(Boolean);
  return parts.join(', ') || 'pattern';
}

function table(): string {
  const rows = rules.map((r) =>
    [
      `\`${r.id}\``,
      cell(r.name),
      (r.keywords ?? []).map((k) => `\`${cell(k)}\``).join(' '),
      check(r),
      r.confidence === 'medium' ? 'warning' : 'error',
      example(r),
      `\`${r.redaction ?? 'REDACTED_SECRET'}\``,
    ].join(' | '),
  );
  return [
    BEGIN,
    '',
    `${rules.length} detectors. Keywords are matched case-insensitively; a text without any of a detector's keywords is not scanned by it.`,
    '',
    '| id | finds | keywords | check | severity | example (synthetic, masked) | redacted as |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
    END,
  ].join('\n');
}

describe('docs/detectors.md', () => {
  it('lists every detector with its keywords, check, severity, a synthetic example and its redaction word', () => {
    const docs = readFileSync(docsFile, 'utf8');
    const start = docs.indexOf(BEGIN);
    const end = docs.indexOf(END);
    const expected = table();
    if (process.env.UPDATE_DOCS === '1') {
      writeFileSync(docsFile, start >= 0 && end > start ? docs.slice(0, start) + expected + docs.slice(end + END.length) : `${docs.trimEnd()}\n\n${expected}\n`);
      return;
    }
    expect(start, 'the markers of the generated table').toBeGreaterThanOrEqual(0);
    expect(docs.slice(start, end + END.length)).toBe(expected);
  });
});
