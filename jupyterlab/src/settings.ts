// The extension's settings (schema/plugin.json, edited in JupyterLab's Settings Editor), read from
// what the registry holds, bad values replaced by defaults: the analysis order, the secret scope
// a fix writes, the severity per rule, extra rule files, the typing pause.

import { readSeverityOverrides, type AnalysisOrder, type SeverityOverrides, type TextFile } from '../../server/src/analysis';

export interface LabSettings {
  readonly analysisOrder: AnalysisOrder;
  readonly secretScope: string;
  readonly severities: SeverityOverrides;
  /** The user's rule files, as texts named for errors (`settings: team-rules.json`). */
  readonly ruleFiles: readonly TextFile[];
  readonly debounceMs: number;
}

export const DEFAULT_SETTINGS: LabSettings = { analysisOrder: 'execution', secretScope: 'my-scope', severities: {}, ruleFiles: [], debounceMs: 250 };

/** The settings in `raw` (the registry's composite value). */
export function readSettings(raw: Readonly<Record<string, unknown>>): LabSettings {
  const ruleFiles: TextFile[] = [];
  if (Array.isArray(raw.ruleFiles)) {
    raw.ruleFiles.forEach((entry: unknown, i: number) => {
      const e = (entry ?? {}) as { name?: unknown; content?: unknown };
      const name = typeof e.name === 'string' && e.name.trim() ? e.name.trim() : `rule file ${i + 1}`;
      // The rule-file parser reads a `.json` path as JSON and names it in its errors.
      ruleFiles.push({ path: `settings: ${/\.json$/i.test(name) ? name : `${name}.json`}`, text: JSON.stringify(e.content ?? {}) });
    });
  }
  const debounce = raw.debounceMs;
  return {
    analysisOrder: raw.analysisOrder === 'document' ? 'document' : 'execution',
    secretScope: typeof raw.secretScope === 'string' && raw.secretScope.trim() ? raw.secretScope.trim() : DEFAULT_SETTINGS.secretScope,
    severities: readSeverityOverrides(raw.rules),
    ruleFiles,
    debounceMs: typeof debounce === 'number' && debounce >= 0 && debounce <= 5000 ? debounce : DEFAULT_SETTINGS.debounceMs,
  };
}
