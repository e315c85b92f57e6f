// The detectors of a rule set, built once, and a scan of a text by all of them with
// overlapping matches resolved (the longest, then the first, wins).

import type { DetectorRule } from '../rules/ruleFile';
import './builtinKinds';
import { createDetector, type Detector, type DetectorContext, type DetectorMatch } from './detector';

export class DetectorSet {
  readonly detectors: readonly Detector[];

  constructor(rules: readonly DetectorRule[]) {
    this.detectors = rules.map(createDetector);
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
