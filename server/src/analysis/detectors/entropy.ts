// Shannon entropy in bits per character: how random a string looks. Random base64 keys sit
// near 4.8 bits at 40 characters; hex digests cannot exceed log2(16) = 4.

export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
