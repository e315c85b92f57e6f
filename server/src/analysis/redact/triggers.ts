// Words and shapes without which no detector can match: a line that has none of them is
// passed through untouched without running any detector. This is what makes redaction of
// multi-gigabyte logs fast: one scan for triggers, detectors only on the few lines that hit.
// The words are the detectors' own `keywords` (rules/detectors/*.yaml), so a new kind brings its
// trigger with it.

import type { DetectorSet } from '../detectors/detectorSet';

/** `scheme://user:password@`: a URL with credentials (a bare `://` is too common in logs). */
const URL_WITH_PASSWORD = '://[^\\s:/@]{1,128}:[^\\s@/]{0,256}@';

/**
 * A regex matching any trigger (case-insensitive): every detector's keywords, and for a user
 * detector without keywords its pattern's literal prefix (or, without one, every position).
 */
export function triggerRegExp(detectors: DetectorSet): RegExp {
  const words = [...detectors.keywords.filter((k) => k !== '://'), ...detectors.unfilteredPrefixes].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // A bare `://` is too common in logs to stop at: a URL with a password is its own trigger.
  return new RegExp([...words.sort((a, b) => b.length - a.length), URL_WITH_PASSWORD].join('|'), 'gi');
}
