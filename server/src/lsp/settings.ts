// The nbguard.* settings the server reads (contributed in package.json), with their defaults.

import { readSeverityOverrides, type AnalysisOrder, type RuleSeverityOverride } from '../analysis';

export type { RuleSeverityOverride };

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
  return {
    analysisOrder: order,
    secretScope: typeof r.secretScope === 'string' && r.secretScope.trim() ? r.secretScope.trim() : DEFAULT_SETTINGS.secretScope,
    rulesFolders: Array.isArray(r.rulesFolders) ? r.rulesFolders.filter((f): f is string => typeof f === 'string' && f.length > 0) : [],
    rules: readSeverityOverrides(r.rules),
    debounceMs: typeof r.debounceMs === 'number' && r.debounceMs >= 0 && r.debounceMs <= 5000 ? r.debounceMs : DEFAULT_SETTINGS.debounceMs,
  };
}
