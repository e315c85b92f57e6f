// The detectors of a rule set, built once, and a scan of a text by all of them with
// overlapping matches resolved (the longest, then the first, wins).

import type { DetectorRule } from '../rules/ruleFile';
import './builtinKinds';
import { createDetector, type Detector, type DetectorContext, type DetectorMatch } from './detector';

export class DetectorSet {
  readonly detectors: readonly Detector[];
  /** Literal prefixes of detectors from user rule files, added to the redaction triggers. */
  readonly userTriggers: readonly string[];

  /** `userFrom`: index of the first detector that came from a user rule folder. */
  constructor(rules: readonly DetectorRule[], userFrom = rules.length) {
    this.detectors = rules.map(createDetector);
    this.userTriggers = rules.slice(userFrom).map((r) => literalPrefix(r.pattern));
  }

  scan(text: string, context?: DetectorContext): DetectorMatch[] {
    const all: DetectorMatch[] = [];
    for (const d of this.detectors) all.push(...d.scan(text, context));
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
