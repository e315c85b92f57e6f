// What a 40-character threshold separates: for each candidate threshold, the share of random
// keys it misses (exact, and in the 100,000 samples) and the share of each false-positive
// population it lets through, alone and together with the detector's shape checks.

import { probabilityBelow, type ExactDistribution } from './exactTail';
import type { Sampled } from './populations';
import { countBelow } from './quantiles';

export interface SeparationRow {
  threshold: number;
  label: string;
  exactMiss: number;
  sampledMiss: number;
  /** By population id: share at or above the threshold, and share also key-shaped. */
  pass: Record<string, { all: number; shaped: number }>;
}

export function separationRows(candidates: readonly { threshold: number; label: string }[], samples: readonly Sampled[], keys40: ExactDistribution): SeparationRow[] {
  const keys = samples.find((s) => s.population.id === 'keys')!;
  return [...candidates]
    .sort((x, y) => x.threshold - y.threshold)
    .map(({ threshold, label }) => {
      const pass: SeparationRow['pass'] = {};
      for (const s of samples) {
        const n = s.entropies.length;
        pass[s.population.id] = {
          all: (n - countBelow(s.entropies, threshold)) / n,
          shaped: (s.keyShaped.length - countBelow(s.keyShaped, threshold)) / n,
        };
      }
      return { threshold, label, exactMiss: probabilityBelow(keys40, threshold), sampledMiss: countBelow(keys.entropies, threshold) / keys.entropies.length, pass };
    });
}
