// The detectors of a rule set, built once, and a scan of a text by all of them with
// overlapping matches resolved (the longest, then the first, wins).

import type { DetectorRule } from '../rules/ruleFile';
import './builtinKinds';
import { KeywordMatcher } from './keywordMatcher';
import { createDetector, type Detector, type DetectorContext, type DetectorMatch } from './detector';

export class DetectorSet {
  readonly detectors: readonly Detector[];
  /** Literal prefixes of the detectors without keywords (`''` when one has none: every line triggers). */
  readonly unfilteredPrefixes: readonly string[];
  /** Every detector's keywords (lower case): the texts one of which a line must hold to be scanned. */
  readonly keywords: readonly string[];
  /** Detectors without keywords: they run on every text. */
  private readonly always: readonly Detector[];
  /** Keyword (lower case) -> the detectors it lets run. */
  private readonly byKeyword = new Map<string, Detector[]>();
  /** One pass over a text finds every keyword in it (case-insensitive). */
  readonly keywordMatcher: KeywordMatcher;
  /** Keyword index (in `keywords`) -> the detectors it lets run. */
  private readonly byIndex: readonly (readonly Detector[])[];

  constructor(rules: readonly DetectorRule[]) {
    this.detectors = rules.map(createDetector);
    this.unfilteredPrefixes = rules.filter((r) => !r.keywords?.length).map((r) => literalPrefix(r.pattern));
    const always: Detector[] = [];
    rules.forEach((rule, i) => {
      if (!rule.keywords || rule.keywords.length === 0) return always.push(this.detectors[i]);
      for (const keyword of rule.keywords.map((k) => k.toLowerCase())) {
        const list = this.byKeyword.get(keyword) ?? [];
        if (!list.includes(this.detectors[i])) list.push(this.detectors[i]);
        this.byKeyword.set(keyword, list);
      }
    });
    this.always = always;
    this.keywords = [...this.byKeyword.keys()];
    this.keywordMatcher = new KeywordMatcher(this.keywords);
    this.byIndex = this.keywords.map((k) => this.byKeyword.get(k) ?? []);
  }

  /** The detectors that can match in `text`: those without keywords, and those whose keyword it holds. */
  private candidates(text: string): readonly Detector[] {
    let found: Set<Detector> | undefined;
    this.keywordMatcher.forEachHit(text, (k) => {
      for (const d of this.byIndex[k]) (found ??= new Set()).add(d);
    });
    if (!found) return this.always;
    const hit = found;
    return this.always.length === 0 ? this.detectors.filter((d) => hit.has(d)) : [...this.always, ...this.detectors.filter((d) => hit.has(d) && !this.always.includes(d))];
  }

  scan(text: string, context?: DetectorContext): DetectorMatch[] {
    const all: DetectorMatch[] = [];
    // A literal bound to a name is judged with the name as context (`aws_secret = "..."`), which the
    // keywords of the text alone cannot see: such short texts run every detector.
    for (const d of context?.name !== undefined ? this.detectors : this.candidates(text)) all.push(...d.scan(text, context));
    if (all.length <= 1) return all;
    all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
    const kept: DetectorMatch[] = [];
    for (const m of all) {
      const last = kept[kept.length - 1];
      if (last && m.start < last.end) continue;
      kept.push(m);
    }
    return kept;
  }
}

/**
 * The literal text a pattern must start with (`acme_` for `(acme_[A-Za-z0-9]{32})`), used as
 * a redaction trigger; a pattern without one triggers on every line (correct, only slower).
 */
export function literalPrefix(pattern: string): string {
  const m = /^(?:\(\?:|\()?((?:[A-Za-z0-9_\-:]|\\[.\-/:])+)/.exec(pattern);
  const prefix = m?.[1]?.replace(/\\(.)/g, '$1') ?? '';
  return prefix.length >= 3 ? prefix : '';
}
