// The value given after a command-line flag of a benchmark (`--runs 20`), or a default.

export function flagValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
