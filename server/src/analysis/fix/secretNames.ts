// Names a quick fix writes when it moves a credential out of the code: the name the literal was
// given (`TOKEN = "..."`, `password="..."`), turned into a secret-scope key (`databricks-token`)
// or an environment variable (`DATABRICKS_TOKEN`), and the secret scope the notebook already
// reads from.

import { linesOf, type LineRange } from './lineEdits';

/**
 * The name a literal is given to: `NAME = "..."`, `name="..."`, `"name": "..."`,
 * `.option("name", "...")`, `os.environ["NAME"] = "..."`, `%env NAME=...`, `--name ...` (a shell line).
 */
export function literalName(text: string, range: LineRange): string | undefined {
  const before = (linesOf(text)[range.start.line] ?? '').slice(0, range.start.character);
  const m =
    /^\s*%(?:set_)?env\s+([\w.-]+)\s*[= ]\s*$/.exec(before) ??
    /\[\s*["']([\w.-]+)["']\s*\]\s*=\s*$/.exec(before) ??
    /([A-Za-z_]\w*)\s*(?::[^=]*)?=\s*$/.exec(before) ??
    /["']([\w.-]+)["']\s*[:,]\s*$/.exec(before) ??
    /\(\s*["']([\w.-]+)["']\s*,\s*$/.exec(before) ??
    /^\s*!.*--([\w-]+)[= ]\s*["']?$/.exec(before);
  return m?.[1];
}

/** `DATABRICKS_TOKEN`, `databricks_token`, `databricksToken` -> `databricks-token`. */
export function secretKeyName(name: string | undefined): string {
  return (name ?? 'secret').replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_.\s]+/g, '-').toLowerCase().replace(/^-+|-+$/g, '') || 'secret';
}

/** `databricksToken`, `fs.s3a.secret.key` -> `DATABRICKS_TOKEN`, `FS_S3A_SECRET_KEY`. */
export function envName(name: string | undefined): string {
  return (name ?? 'SECRET').replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/**
 * The scope the notebook reads its secrets from most (`dbutils.secrets.get("prod", ...)`), if any;
 * a "scope" that is a credential (a token pasted in the wrong place) is not one to copy.
 */
export function usedScope(notebookText: string, isCredential: (text: string) => boolean): string | undefined {
  const counts = new Map<string, number>();
  const re = /secrets\.get(?:Bytes)?\(\s*(?:scope\s*=\s*)?["']([^"'\n]+)["']/g;
  for (let m = re.exec(notebookText); m; m = re.exec(notebookText)) if (!isCredential(m[1])) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  let best: string | undefined;
  for (const [scope, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = scope;
  return best;
}

/** `("db", "password")` or `(scope="db", key="password")` of a dbutils.secrets.get label. */
export function scopeAndKey(source: string | undefined): { scope: string; key: string } | undefined {
  const m = source && /secrets\.get(?:Bytes)?\(\s*(?:scope\s*=\s*)?["']([^"']+)["']\s*,\s*(?:key\s*=\s*)?["']([^"']+)["']/.exec(source);
  return m ? { scope: m[1], key: m[2] } : undefined;
}
