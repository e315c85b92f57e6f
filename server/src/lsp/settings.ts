// The nbguard.* settings the server reads (contributed in package.json), with their defaults.

import type { AnalysisOrder } from '../analysis';

export type RuleSeverityOverride = 'error' | 'warning' | 'info' | 'off';

export interface NbguardSettings {
  /** Analysis order of the cells. */
  readonly analysisOrder: AnalysisOrder;
  /** The secret scope quick fixes put into dbutils.secrets.get(scope=...). */
  readonly secretScope: string;
  /** Extra rule folders (ignored inside an untrusted workspace). */
  readonly rulesFolders: readonly string[];
  /** Per-rule severity or off: {"NBG104": "error", "NBG201": "off"}. */
  readonly rules: Readonly<Record<string, RuleSeverityOverride>>;
  /** Milliseconds to wait after the last change before analysing. */
  readonly debounceMs: number;
}

export const DEFAULT_SETTINGS: NbguardSettings = {
  analysisOrder: 'execution',
  secretScope: 'my-scope',
  rulesFolders: [],
  rules: {},
  debounceMs: 150,
};

/** Settings from a workspace/configuration answer, bad values replaced by defaults. */
export function readSettings(raw: unknown): NbguardSettings {
  const r = (raw ?? {}) as Record<string, unknown>;
  const order = r.analysisOrder === 'document' ? 'document' : 'execution';
  const rules: Record<string, RuleSeverityOverride> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (v === 'error' || v === 'warning' || v === 'info' || v === 'off') rules[id.toUpperCase()] = v;
    }
  }
  return {
    analysisOrder: order,
    secretScope: typeof r.secretScope === 'string' && r.secretScope.trim() ? r.secretScope.trim() : DEFAULT_SETTINGS.secretScope,
    rulesFolders: Array.isArray(r.rulesFolders) ? r.rulesFolders.filter((f): f is string => typeof f === 'string' && f.length > 0) : [],
    rules,
    debounceMs: typeof r.debounceMs === 'number' && r.debounceMs >= 0 && r.debounceMs <= 5000 ? r.debounceMs : DEFAULT_SETTINGS.debounceMs,
  };
}
