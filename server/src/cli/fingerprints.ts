// Stable identities of findings, shared by SARIF's partialFingerprints and baselines: the rule,
// the file, the reported line's text (whitespace folded) and how many times that same text was
// reported before in the file. They survive cells moving and lines shifting, not an edit of the
// reported line itself (which is then a new finding, as a reviewer would want).

import { createHash } from 'node:crypto';
import type { Finding } from '../analysis';
import type { FileLines } from './formatText';

export function fingerprints(findings: readonly Finding[], sources: ReadonlyMap<string, FileLines>): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = (sources.get(f.file)?.lineAt(f.cell, f.line) ?? '').replace(/\s+/g, ' ').trim();
    const key = `${f.ruleId}|${f.file.replace(/\\/g, '/')}|${text}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return `${createHash('sha256').update(`${key}|${occurrence}`).digest('hex').slice(0, 32)}:${occurrence + 1}`;
  });
}
