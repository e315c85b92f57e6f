// Masks secrets for messages and reports: nbguard must never become the leak it reports.

/** `AKIAIOSFODNN7EXAMPLE` -> `AKIA************MPLE`; short values show less, tiny ones nothing. */
export function maskSecret(secret: string): string {
  const n = secret.length;
  if (n >= 16) return secret.slice(0, 4) + '*'.repeat(n - 8) + secret.slice(-4);
  if (n >= 10) return secret.slice(0, 2) + '*'.repeat(n - 4) + secret.slice(-2);
  return '*'.repeat(Math.max(n, 4));
}

/** Replaces every occurrence of each secret in `text` by its mask. */
export function maskAll(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(maskSecret(s));
  return out;
}
