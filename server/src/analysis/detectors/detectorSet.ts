// The detectors of a rule set, built once, and a scan of a text by all of them with
// overlapping matches resolved (the earliest, then the longest, then a typed detector over a
// catch-all, then the first in rule order wins).

import type { DetectorRule } from '../rules/ruleFile';
import './builtinKinds';
import './pemKey';
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
  /** The detectors with keywords, in rule order, and those of them that read a literal's name. */
  private readonly keyworded: readonly Detector[];
  private readonly contextual: readonly Detector[];
  /** Keyword index (in `keywords`) -> the detectors it lets run. */
  private readonly byIndex: readonly (readonly Detector[])[];
  /** Whether some detector has no keywords (it may match any text). */
  readonly hasUnfiltered: boolean;
  /**
   * The raw patterns of the detectors whose decision reads a literal's name: they run on a named
   * literal whatever keywords its text holds, so a text-level prefilter must look for them.
   */
  readonly contextualPatterns: readonly RegExp[];
  /** Ids of the catch-all detectors (`fallback: true`): a typed match of the same span wins. */
  private readonly fallbacks: ReadonlySet<string>;

  constructor(rules: readonly DetectorRule[]) {
    this.detectors = rules.map(createDetector);
    this.fallbacks = new Set(rules.filter((r) => r.fallback).map((r) => r.id));
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
    this.keyworded = this.detectors.filter((d) => !always.includes(d));
    this.contextual = this.keyworded.filter((d) => d.readsContext);
    this.hasUnfiltered = always.length > 0;
    this.contextualPatterns = rules.filter((_, i) => this.detectors[i].readsContext).map((r) => new RegExp(r.pattern, (r.flags ?? '').replace(/[gy]/g, '')));
    this.keywords = [...this.byKeyword.keys()];
    this.keywordMatcher = new KeywordMatcher(this.keywords);
    this.byIndex = this.keywords.map((k) => this.byKeyword.get(k) ?? []);
  }

  /**
   * The detectors that can match in `text`: those without keywords, those whose keyword it holds,
   * and, for a literal bound to a name, those whose decision reads the name (`aws_secret = "..."`:
   * the name is context the text's keywords cannot show).
   */
  private candidates(text: string, named: boolean): readonly Detector[] {
    const found = new Set<Detector>(named ? this.contextual : []);
    this.keywordMatcher.forEachHit(text, (k) => {
      for (const d of this.byIndex[k]) found.add(d);
    });
    if (found.size === 0) return this.always;
    const selected = this.keyworded.filter((d) => found.has(d));
    return this.always.length === 0 ? selected : [...this.always, ...selected];
  }

  scan(text: string, context?: DetectorContext): DetectorMatch[] {
    const all: DetectorMatch[] = [];
    for (const d of this.candidates(text, context?.name !== undefined)) all.push(...d.scan(text, context));
    if (all.length <= 1) return all;
    const rank = (m: DetectorMatch) => (this.fallbacks.has(m.detectorId) ? 1 : 0);
    all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || rank(a) - rank(b));
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
