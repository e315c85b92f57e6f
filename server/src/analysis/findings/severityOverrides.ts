// The user's severity per rule (`{"NBG104": "error", "NBG201": "off"}`), as the editors' settings
// give it: read from untrusted settings JSON (bad entries dropped) and applied to findings.

import type { Finding } from './finding';

export type RuleSeverityOverride = 'error' | 'warning' | 'info' | 'off';
export type SeverityOverrides = Readonly<Record<string, RuleSeverityOverride>>;

/** The overrides in a settings value; rule ids upper-cased, anything but a severity or `off` dropped. */
export function readSeverityOverrides(raw: unknown): SeverityOverrides {
  const out: Record<string, RuleSeverityOverride> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === 'error' || v === 'warning' || v === 'info' || v === 'off') out[id.toUpperCase()] = v;
  }
  return out;
}

/** The findings with their rule's severity overridden, those of rules turned off left out. */
export function withSeverities(findings: readonly Finding[], overrides: SeverityOverrides): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const override = overrides[f.ruleId];
    if (override === 'off') continue;
    out.push(override ? { ...f, severity: override } : f);
  }
  return out;
}
