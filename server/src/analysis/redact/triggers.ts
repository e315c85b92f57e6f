// Words and shapes without which no detector can match: a line that has none of them is
// passed through untouched without running any detector. This is what makes redaction of
// multi-gigabyte logs fast: one scan for triggers, detectors only on the few lines that hit.
// The words are the detectors' own `keywords` (rules/detectors/*.yaml), so a new kind brings its
// trigger with it.

import type { DetectorSet } from '../detectors/detectorSet';
import { KeywordMatcher } from '../detectors/keywordMatcher';

/** `scheme://user:password@`: a URL with credentials (a bare `://` is too common in logs). */
const URL_WITH_PASSWORD = '://[^\\s:/@]{1,128}:[^\\s@/]{0,256}@';

/**
 * Where redaction must look: the detectors' keywords (one automaton pass), a URL with a
 * password (a bare `://` is too common in logs to stop at), and the literal prefixes of user
 * detectors without keywords (one without any literal prefix makes every line a trigger).
 */
export class Triggers {
  private readonly words: KeywordMatcher;
  private readonly url = new RegExp(URL_WITH_PASSWORD, 'g');
  private readonly everywhere: boolean;

  constructor(detectors: DetectorSet) {
    const prefixes = detectors.unfilteredPrefixes;
    this.everywhere = prefixes.some((p) => p === '');
    this.words = new KeywordMatcher([...detectors.keywords.filter((k) => k !== '://'), ...prefixes.filter((p) => p !== '')]);
  }

  /** The offset of the first trigger in text[from, to), or -1. */
  next(text: string, from: number, to = text.length): number {
    if (this.everywhere) return from < to ? from : -1;
    const word = this.words.firstHit(text, from, to);
    const url = this.nextUrl(text, from);
    const urlAt = url < to ? url : -1;
    if (word < 0) return urlAt;
    return urlAt < 0 ? word : Math.min(word, urlAt);
  }

  /** Whether `text` holds a trigger (for a short stretch: it does not disturb next()'s memory). */
  has(text: string): boolean {
    return this.everywhere || this.words.firstHit(text) >= 0 || this.urlTest.test(text);
  }

  private readonly urlTest = new RegExp(URL_WITH_PASSWORD);

  /** The next URL with a password at or after `from` (remembered: callers move forward through one text). */
  private urlText: string | undefined;
  private urlFrom = 0;
  private urlAt = -1;
  private nextUrl(text: string, from: number): number {
    if (text !== this.urlText || from < this.urlFrom || (this.urlAt >= 0 && this.urlAt < from)) {
      this.url.lastIndex = from;
      const m = this.url.exec(text);
      this.urlText = text;
      this.urlFrom = from;
      this.urlAt = m ? m.index : -1;
    }
    return this.urlAt < 0 ? Number.MAX_SAFE_INTEGER : this.urlAt;
  }
}
