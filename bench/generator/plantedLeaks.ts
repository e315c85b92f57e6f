// The leaks planted on purpose in the generated notebooks, at fixed positions: a credential
// printed, logged, passed to a child notebook or echoed as a cell's last expression, and
// (rarer) a hardcoded password. Each one is counted in the scope's `planted`, by rule id, so the
// benchmark can check that the findings are exactly the planted leaks.

import type { NotebookScope } from './notebookScope';
import { DOMAINS } from './vocabulary';

/** A planted leak every LEAK_EVERY code cells, a hardcoded password every HARDCODED_EVERY. */
export const LEAK_EVERY = 25;
export const HARDCODED_EVERY = 150;

/** A leak: the only place where the generated code means to report something. */
export function leakLines(scope: NotebookScope): string[] {
  const s = scope.secret();
  if (!s) return [];
  switch (scope.int(0, 4)) {
    case 0:
      scope.plant('NBG101');
      return [`print(f"connecting to the service with {${s.name}}")`];
    case 1:
      scope.plant('NBG101');
      return [`logger.info("retrying with credential %s", ${s.name})`];
    case 2:
      scope.plant('NBG102');
      return [`dbutils.notebook.run("./child_${scope.pick(DOMAINS)}", 600, {"run_date": run_date, "secret": ${s.name}})`, `print("child notebook finished")`];
    case 3:
      scope.plant('NBG101');
      return [`logging.warning(f"auth failed for token {${s.name}}")`];
    default: {
      if (s.kind !== 'password') {
        scope.plant('NBG101');
        return [`print("token:", ${s.name})`];
      }
      const url = scope.id('debug_url');
      scope.plant('NBG101');
      return [`${url} = f"jdbc:sqlserver://{${s.host}}:1433;user={${s.user}};password={${s.name}}"`, url];
    }
  }
}

/** A hardcoded password literal (a finding of the credential detector, not of the dataflow). */
export function hardcodedLines(scope: NotebookScope): string[] {
  const chars = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let value = '';
  for (let i = 0; i < 18; i++) value += chars[scope.int(0, chars.length - 1)];
  scope.plant('NBG201');
  const name = scope.id('legacy_password');
  return [`${name} = "${value}"  # old loader account, see ticket`, `print("legacy account configured")`];
}
