// The exact distribution of the entropy of a uniformly random string, by enumerating count
// profiles instead of sampling: a string of n characters over k symbols has entropy
// log2(n) - (1/n) * sum(c * log2 c) over its symbol counts c, so only the multiset of counts
// (an integer partition of n into at most k parts) matters, and its probability is
//   n! / prod(c!)  *  k! / ((k - d)! * prod(m_j!))  /  k^n
// (d distinct symbols, m_j of them seen j times). There are 37,338 partitions of 40, so the
// probability that a random key falls below a threshold is exact, even far below what 100,000
// samples can resolve. Practical up to n = 64 (1.7 million partitions).

export interface ExactDistribution {
  /** Entropies of the count profiles, ascending. */
  entropies: Float64Array;
  /** Cumulative probability up to and including each entropy. */
  cumulative: Float64Array;
}

export function exactEntropyDistribution(n: number, k: number): ExactDistribution {
  const logFactorial = new Float64Array(Math.max(n, k) + 1);
  for (let i = 2; i < logFactorial.length; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
  const cLog2c = new Float64Array(n + 1);
  for (let c = 2; c <= n; c++) cLog2c[c] = c * Math.log2(c);
  const base = logFactorial[n] + logFactorial[k] - n * Math.log(k);
  const hs: number[] = [];
  const ps: number[] = [];
  const multiplicity = new Int32Array(n + 1);

  // Parts in non-increasing order; logTerm accumulates -log(c!) and -log(m_j!) as parts are added.
  const visit = (remaining: number, maxPart: number, parts: number, logTerm: number, sumCLogC: number): void => {
    if (remaining === 0) {
      hs.push(Math.log2(n) - sumCLogC / n);
      ps.push(Math.exp(base - logFactorial[k - parts] + logTerm));
      return;
    }
    if (parts === k) return;
    for (let c = Math.min(remaining, maxPart); c >= 1; c--) {
      multiplicity[c]++;
      // Adding one more part of size c: divide by c! and turn (m-1)! into m!.
      visit(remaining - c, c, parts + 1, logTerm - logFactorial[c] - Math.log(multiplicity[c]), sumCLogC + cLog2c[c]);
      multiplicity[c]--;
    }
  };
  visit(n, n, 0, 0, 0);

  const order = Array.from(hs.keys()).sort((a, b) => hs[a] - hs[b]);
  const entropies = new Float64Array(order.length);
  const cumulative = new Float64Array(order.length);
  let total = 0;
  order.forEach((i, j) => {
    entropies[j] = hs[i];
    cumulative[j] = total += ps[i];
  });
  return { entropies, cumulative };
}

/** P(entropy < threshold). */
export function probabilityBelow(dist: ExactDistribution, threshold: number): number {
  let lo = 0;
  let hi = dist.entropies.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dist.entropies[mid] < threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : dist.cumulative[lo - 1];
}

/** The q-quantile: the smallest entropy whose cumulative probability reaches q. */
export function exactQuantile(dist: ExactDistribution, q: number): number {
  let lo = 0;
  let hi = dist.entropies.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dist.cumulative[mid] < q) lo = mid + 1;
    else hi = mid;
  }
  return dist.entropies[lo];
}

/**
 * The highest entropy any string of n characters over k symbols can have: the counts as even
 * as possible. 40 hex characters (8 digits 3 times, 8 twice) reach 3.971; 32, 48 or 64 hex
 * characters reach exactly 4.
 */
export function entropyCeiling(n: number, k: number): number {
  if (n <= k) return Math.log2(n);
  const low = Math.floor(n / k);
  const high = n - low * k; // symbols seen low + 1 times
  const term = (c: number) => (c / n) * Math.log2(n / c);
  return high * term(low + 1) + (k - high) * term(low);
}
