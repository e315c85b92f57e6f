// Credentials in structured data a notebook stores (NBG401): its own and its cells' metadata,
// saved with the file like the outputs (Databricks keeps its widgets' current and default values
// there, papermill its parameters, ipywidgets the state of a Password widget), and the JSON of
// `application/json` outputs (`{"access_token": "...", "token_type": "bearer"}`). Every string is
// scanned with the detectors; a string under a credential-named key, a widget named like a
// credential, or a Password widget's value is judged like a literal given to that name.

import type { DetectorMatch } from '../detectors/detector';
import type { DetectorSet } from '../detectors/detectorSet';
import { isPlaceholder } from '../detectors/notCredentials';
import { looksLikeSecretValue } from '../dataflow/hardcoded';
import { isCredentialName } from '../rules/credentialNames';
import { maskSecret } from '../findings/mask';

export interface StructuredSecret {
  /** Where it sits, as keys from the root (`papermill › parameters › api_key`). */
  readonly where: string;
  readonly match: DetectorMatch;
}

/** Fields where widgets keep what the user typed (Databricks, ipywidgets). */
const WIDGET_VALUE_FIELDS = ['currentValue', 'defaultValue', 'value'];
/** Data bigger than this is scanned only this far (a saved widget state can be megabytes). */
const MAX_NODES = 200_000;

function named(name: string, value: string, what = `credential under "${name}"`): DetectorMatch | undefined {
  // Cheap tests first: most metadata values are short words or long prose.
  if (value.length < 6 || value.length > 4096 || !isCredentialName(name) || !looksLikeSecretValue(value, name)) return undefined;
  return { detectorId: 'credential-name', detectorName: what, start: 0, end: value.length, value, confidence: 'medium', redaction: 'REDACTED_SECRET' };
}

/** A widget object holding a secret: one named like a credential, or an ipywidgets Password. */
function widgetSecret(obj: Record<string, unknown>): { field: string; match: DetectorMatch } | undefined {
  const password = obj._model_name === 'PasswordModel';
  const name = typeof obj.name === 'string' ? obj.name : typeof obj.description === 'string' ? obj.description : undefined;
  for (const field of WIDGET_VALUE_FIELDS) {
    const value = obj[field];
    if (typeof value !== 'string' || value.length === 0) continue;
    if (password && !isPlaceholder(value)) {
      return { field, match: { detectorId: 'credential-name', detectorName: 'password typed into a Password widget', start: 0, end: value.length, value, confidence: 'medium', redaction: 'REDACTED_SECRET' } };
    }
    const match = name !== undefined ? named(name, value, `credential in the widget "${name.slice(0, 40)}"`) : undefined;
    if (match) return { field, match };
  }
  return undefined;
}

/**
 * The first credential among an object's string entries: one detector pass over all of them
 * joined (a detector call per short string costs more than the scan), then the names.
 */
function scanStrings(entries: readonly [string, unknown][], detectors: DetectorSet | undefined): { key: string; match: DetectorMatch } | undefined {
  const strings = entries.filter((e): e is [string, string] => typeof e[1] === 'string');
  if (strings.length === 0) return undefined;
  if (detectors && detectors.scan(strings.map((e) => e[1]).join('\n')).length > 0) {
    // Each entry alone, so that offsets and context are its own (rare: only when one matched).
    for (const [key, value] of strings) {
      const match = detectors.scan(value)[0];
      if (match) return { key, match };
    }
  }
  for (const [key, value] of strings) {
    const match = named(key, value);
    if (match) return { key, match };
  }
  return undefined;
}

/**
 * The first credential in a JSON value, or undefined. Iterative: it may nest deeply. Without
 * `detectors` only names count (the caller ran the detectors over the same strings already).
 */
export function scanStructured(root: unknown, detectors?: DetectorSet): StructuredSecret | undefined {
  if (!root || typeof root !== 'object') return undefined;
  const stack: { value: unknown; path: readonly string[] }[] = [{ value: root, path: [] }];
  let nodes = 0;
  // Keys are names, but a key is shown masked if a detector takes it for a credential.
  const shown = (k: string) => (detectors && detectors.scan(k).length > 0 ? maskSecret(k) : k.length > 40 ? `${k.slice(0, 40)}…` : k);
  const where = (path: readonly string[]) => path.map(shown).join(' › ');
  while (stack.length > 0 && nodes++ < MAX_NODES) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, String(i)] });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const obj = value as Record<string, unknown>;
    const widget = widgetSecret(obj);
    if (widget) return { where: where([...path, widget.field]), match: widget.match };
    const entries = Object.entries(obj);
    const found = scanStrings(entries, detectors);
    if (found) return { where: where([...path, found.key]), match: found.match };
    for (let i = entries.length - 1; i >= 0; i--) {
      const v = entries[i][1];
      if (v && typeof v === 'object') stack.push({ value: v, path: [...path, entries[i][0]] });
    }
  }
  return undefined;
}
