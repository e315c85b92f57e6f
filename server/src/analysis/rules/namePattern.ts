// Matches qualified names (`dbutils.secrets.get`, `boto3.Session().get_credentials`) against
// rule patterns, where `*` stands for any text. Exact names are a map lookup; only the few
// wildcard patterns are tried one by one, as string comparisons (a regular expression per
// pattern cost a tenth of a scan: a notebook's names are mostly new to the memo).

export class NameTable<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly wild: { matches: (name: string) => boolean; value: T }[] = [];
  private static readonly NONE: never[] = [];

  add(pattern: string, value: T): void {
    if (!pattern.includes('*')) {
      const list = this.exact.get(pattern);
      if (list) list.push(value);
      else this.exact.set(pattern, [value]);
      return;
    }
    this.wild.push({ matches: globMatcher(pattern), value });
  }

  /** Every value whose pattern matches `name`, exact patterns first. */
  lookup(name: string): readonly T[] {
    const exact = this.exact.get(name);
    // No memo: the few wildcard tests (string comparisons) cost about what a memo's lookup and
    // entry would, and most names a notebook asks about are new.
    let out: T[] | undefined;
    for (const w of this.wild) if (w.matches(name)) (out ??= exact ? [...exact] : []).push(w.value);
    return out ?? exact ?? NameTable.NONE;
  }

  first(name: string): T | undefined {
    return this.lookup(name)[0];
  }
}

/** The characters `.` does not match in a regular expression without the `s` flag. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * A test of names against a pattern where `*` is any text (as `.*` in the regular expression
 * `^pattern$`): its first piece must start the name, its last end it, and the pieces between
 * follow in order, each taken where it first fits (which finds a match whenever there is one).
 * A name or pattern with a line break, where `.` would stop, is left to the regular expression.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return (name) => name === pattern;
  let regex: RegExp | undefined;
  const viaRegex = (name: string) => (regex ??= new RegExp(`^${pieces.map(escapeRegExp).join('.*')}$`)).test(name);
  if (LINE_BREAK.test(pattern)) return viaRegex;
  const head = pieces[0];
  const tail = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1);
  return (name) => {
    if (name.length < head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail)) return false;
    if (LINE_BREAK.test(name)) return viaRegex(name);
    const end = name.length - tail.length;
    let at = head.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive glob (`*fs.azure.account.key*`) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`, 'i');
}
