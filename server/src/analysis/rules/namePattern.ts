// Matches qualified names (`dbutils.secrets.get`, `boto3.Session().get_credentials`) against
// rule patterns, where `*` stands for any text. Exact names are a map lookup; only the few
// wildcard patterns are tried as regular expressions.

export class NameTable<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly wild: { re: RegExp; value: T }[] = [];
  /** Lookups of names seen before: the same calls recur on every re-analysis. */
  private readonly memo = new Map<string, T[]>();
  private static readonly NONE: never[] = [];

  add(pattern: string, value: T): void {
    this.memo.clear();
    if (!pattern.includes('*')) {
      const list = this.exact.get(pattern);
      if (list) list.push(value);
      else this.exact.set(pattern, [value]);
      return;
    }
    const body = pattern.split('*').map(escapeRegExp).join('.*');
    this.wild.push({ re: new RegExp(`^${body}$`), value });
  }

  /** Every value whose pattern matches `name`, exact patterns first. */
  lookup(name: string): readonly T[] {
    const exact = this.exact.get(name);
    if (this.wild.length === 0) return exact ?? NameTable.NONE;
    let out = this.memo.get(name);
    if (out === undefined) {
      out = exact ? [...exact] : [];
      for (const w of this.wild) if (w.re.test(name)) out.push(w.value);
      if (out.length === 0) out = NameTable.NONE;
      if (this.memo.size > 20_000) this.memo.clear();
      this.memo.set(name, out);
    }
    return out;
  }

  first(name: string): T | undefined {
    return this.lookup(name)[0];
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive glob (`*fs.azure.account.key*`) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`, 'i');
}
