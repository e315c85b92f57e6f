// Orders texts (file paths, rule ids) for reports, the same on every machine and without
// String.prototype.localeCompare: its first call loads ICU's collation data, about 20 ms of a
// 250 ms start. Case-insensitive first, as localeCompare orders plain ASCII names, then by code
// unit, so two different texts never compare equal.

export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : 1;
}

/** `12,345`: a count with thousands separators, as `toLocaleString('en-US')` writes it, without ICU. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : String(n);
}
