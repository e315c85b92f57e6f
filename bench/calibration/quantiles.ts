// Order statistics of a sample of entropies: quantiles by linear interpolation between the
// order statistics (as bench/harness/stats.ts does for timings), the summary row of the
// distribution table, and the share of a sample at or above a threshold.

export interface Summary {
  n: number;
  min: number;
  p1: number;
  p50: number;
  p99: number;
  max: number;
}

/** Sorted ascending copy as a typed array. */
export function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** The q-quantile (0..1) of an ascending sample. */
export function quantile(ascending: Float64Array, q: number): number {
  if (ascending.length === 0) return NaN;
  const pos = (ascending.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return ascending[lo] + (ascending[hi] - ascending[lo]) * (pos - lo);
}

export function summarise(ascending: Float64Array): Summary {
  return {
    n: ascending.length,
    min: ascending[0],
    p1: quantile(ascending, 0.01),
    p50: quantile(ascending, 0.5),
    p99: quantile(ascending, 0.99),
    max: ascending[ascending.length - 1],
  };
}

/** How many values of an ascending sample are below `threshold` (binary search). */
export function countBelow(ascending: Float64Array, threshold: number): number {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ascending[mid] < threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
