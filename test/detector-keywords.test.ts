// The detectors' keywords are a prefilter (one automaton pass decides which detectors run, and
// which log lines `redact` looks at): a keyword found in a large share of ordinary lines makes
// scans and redaction slow whatever its detector. Each keyword must be rare in a generated Spark
// driver log and in the example notebooks; `://` alone is allowed (URLs) as redact skips it.

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLog } from '../bench/redact/logGenerator';
import { KeywordMatcher } from '../server/src/analysis/detectors/keywordMatcher';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';

const detectors = new CompiledRules(loadRuleSet()).detectors;
const MAX_SHARE = 0.02;

function lines(): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'nbguard-keywords-')), 'driver.log');
  generateLog(file, 2 * 1024 * 1024, 7);
  const examples = resolve(__dirname, '..', 'examples');
  const notebooks = readdirSync(examples).map((f) => readFileSync(join(examples, f), 'utf8'));
  return [...readFileSync(file, 'utf8').split('\n'), ...notebooks.flatMap((t) => t.split('\n'))];
}

describe('detector keywords', () => {
  it(`are each in at most ${MAX_SHARE * 100}% of the lines of a Spark log and of notebooks`, () => {
    const all = lines();
    const lower = all.map((l) => l.toLowerCase());
    const common = detectors.keywords
      .filter((k) => k !== '://')
      .map((k) => ({ k, share: lower.filter((l) => l.includes(k)).length / all.length }))
      .filter((x) => x.share > MAX_SHARE);
    expect(common).toEqual([]);
  });

  it('are found by the automaton as by a plain search, case-insensitively', () => {
    const matcher = new KeywordMatcher(['sk-ant-', 'sk-', 'AKIA', 'hooks.slack.com', 'ant']);
    const found = (text: string) => {
      const hits = new Set<string>();
      matcher.forEachHit(text, (i) => hits.add(matcher.keywords[i]));
      return [...hits].sort();
    };
    expect(found('key = "SK-ANT-api03"')).toEqual(['ant', 'sk-', 'sk-ant-']);
    expect(found('id akiaZ7 and https://HOOKS.slack.com/x')).toEqual(['AKIA', 'hooks.slack.com']);
    expect(found('nothing here but ünïcödé')).toEqual([]);
    expect(matcher.firstHit('xx sk-ant-')).toBe(3);
    expect(matcher.firstHit('no hit')).toBe(-1);
    // A non-ASCII character between letters breaks a keyword; one before it does not hide it.
    expect(found('SK\u00e9-ANT')).toEqual(['ant']);
    expect(matcher.firstHit('\u00c4\u00c4AKIA')).toBe(2);
    // Every keyword ends in a state the automaton reports, whichever keyword's prefix it is.
    for (const keyword of matcher.keywords) expect(found(`(${keyword.toUpperCase()})`)).toContain(keyword);
  });
});
