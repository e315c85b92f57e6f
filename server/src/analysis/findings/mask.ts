// Masks secrets for messages and reports: nbguard must never become the leak it reports.

/** `AKIAIOSFODNN7EXAMPLE` -> `AKIA************MPLE`; short values show less, tiny ones nothing. */
export function maskSecret(secret: string): string {
  const n = secret.length;
  if (n >= 16) return secret.slice(0, 4) + '*'.repeat(n - 8) + secret.slice(-4);
  if (n >= 10) return secret.slice(0, 2) + '*'.repeat(n - 4) + secret.slice(-2);
  return '*'.repeat(Math.max(n, 4));
}
