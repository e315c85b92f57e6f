// The detector plug-in point. A detector finds credentials in text: a string literal, a
// stored output, a log line. Rule files describe detectors as data; each entry's `kind` picks
// a factory registered here (`regex` by default), so a new format is a YAML entry and a new
// kind of check is one registerDetectorKind() call.

import type { DetectorRule } from '../rules/ruleFile';
import { entropyFloor } from './entropyFloor';
import { shannonEntropy } from './entropy';
import { hasPlaceholderMarks, isPublishedKey } from './notCredentials';
import { validatorNamed, validatorNames } from './validators';

export type Confidence = 'high' | 'medium';

export interface DetectorMatch {
  readonly detectorId: string;
  readonly detectorName: string;
  /** Offsets of the credential in the scanned text. */
  readonly start: number;
  readonly end: number;
  /** The credential as it appears in the text. */
  readonly value: string;
  readonly confidence: Confidence;
  readonly redaction: string;
}

export interface DetectorContext {
  /** The name the text is bound to (variable, keyword, dict key, option key), if any. */
  readonly name?: string;
}

export interface Detector {
  readonly id: string;
  readonly name: string;
  /** The placeholder that replaces this detector's matches in redacted text. */
  readonly redaction: string;
  /** Whether its decision reads the context (the name a literal is bound to), not the text alone. */
  readonly readsContext?: boolean;
  scan(text: string, context?: DetectorContext): DetectorMatch[];
}

export type DetectorFactory = (rule: DetectorRule) => Detector;

const factories = new Map<string, DetectorFactory>();

export function registerDetectorKind(kind: string, factory: DetectorFactory): void {
  factories.set(kind, factory);
}

export function createDetector(rule: DetectorRule): Detector {
  const kind = rule.kind ?? 'regex';
  const factory = factories.get(kind);
  if (!factory) throw new Error(`detector ${rule.id}: unknown kind "${kind}" (known: ${[...factories.keys()].join(', ')})`);
  return factory(rule);
}

/**
 * A detector built from a rule's regex: every match whose group passes `accept` is reported.
 * Built-in kinds reuse it with their own `accept`.
 */
/** What a check says of a match: reject it, accept it, or accept it as a lesser (medium) one. */
export type Verdict = boolean | 'medium';

export function regexDetector(rule: DetectorRule, accept: (value: string, text: string, start: number, ctx?: DetectorContext) => Verdict = () => true): Detector {
  const group = rule.group ?? 0;
  // `d` gives the group's own offset: `root:root@` holds the password's text twice.
  const flags = new Set(`${rule.flags ?? ''}g${group > 0 ? 'd' : ''}`);
  const re = new RegExp(rule.pattern, [...flags].join(''));
  const confidence = rule.confidence ?? 'high';
  const redaction = rule.redaction ?? 'REDACTED_SECRET';
  return {
    id: rule.id,
    name: rule.name,
    redaction,
    scan(text, context) {
      const out: DetectorMatch[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const value = m[group];
        if (value === undefined) continue;
        const start = m.indices?.[group]?.[0] ?? m.index;
        const verdict = accept(value, text, start, context);
        if (!verdict) continue;
        const lesser = verdict === 'medium';
        out.push({ detectorId: rule.id, detectorName: lesser ? `${rule.name} (its checksum does not verify)` : rule.name, start, end: start + value.length, value, confidence: lesser ? 'medium' : confidence, redaction });
      }
      return out;
    },
  };
}

/** The entropy floor a rule asks for: a number, or `auto` (calibrated for the value's length and alphabet). */
export function entropyFloorOf(rule: DetectorRule, value: string): number | undefined {
  if (rule.minEntropy === undefined) return undefined;
  if (rule.minEntropy !== 'auto') return rule.minEntropy;
  const alphabet = /^[0-9a-f]+$/i.test(value) ? 16 : /^[0-9A-Za-z]+$/.test(value) ? 62 : 64;
  return entropyFloor(value.length, alphabet);
}

registerDetectorKind('regex', (rule) => {
  const validate = rule.validator !== undefined ? validatorNamed(rule.validator) : undefined;
  if (rule.validator !== undefined && !validate) throw new Error(`detector ${rule.id}: unknown validator "${rule.validator}" (known: ${validatorNames().join(', ')})`);
  return regexDetector(rule, (value) => {
    if (hasPlaceholderMarks(value) || hasLongRun(value) || isPublishedKey(value)) return false;
    const floor = entropyFloorOf(rule, value);
    if (floor !== undefined && (shannonEntropy(value) < floor || hasAscendingRun(value))) return false;
    if (!validate || validate(value)) return true;
    // `invalid: warn`: a sample or a mistyped credential, most likely, but shaped like one.
    return rule.invalid === 'warn' ? 'medium' : false;
  });
});

/**
 * A documentation sample's random part (`sk_live_51234567890abcdefghijklmnop`): twelve ascending
 * characters in a row (`abcdefghijkl`), which a random key practically never has (shorter runs
 * such as `123456789` stand in the contract's own sample tokens). Checked with the entropy floor,
 * i.e. for formats whose rule says they have a random part.
 */
function hasAscendingRun(value: string): boolean {
  let ascending = 1;
  for (let i = 1; i < value.length; i++) {
    ascending = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? ascending + 1 : 1;
    if (ascending >= 12) return true;
  }
  return false;
}

/** `sk-aaaaaaaaaaaaaaaaaaaa`, `xoxb-000000000000`: eight or more of one character in a row is a filler. */
function hasLongRun(value: string): boolean {
  return /(.)\1{7}/.test(value);
}
