// Matches qualified names (`dbutils.secrets.get`, `boto3.Session().get_credentials`) against
// rule patterns, where `*` stands for any text. Exact names are a map lookup; only the few
// wildcard patterns are tried as regular expressions.

export class NameTable<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly wild: { re: RegExp; value: T }[] = [];

  add(pattern: string, value: T): void {
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
  lookup(name: string): T[] {
    const exact = this.exact.get(name);
    if (this.wild.length === 0) return exact ?? [];
    const out = exact ? [...exact] : [];
    for (const w of this.wild) if (w.re.test(name)) out.push(w.value);
    return out;
  }

  first(name: string): T | undefined {
    return this.exact.get(name)?.[0] ?? this.wild.find((w) => w.re.test(name))?.value;
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive glob (`*fs.azure.account.key*`) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`, 'i');
}
