// Why the threshold depends on length and alphabet: the entropy of random base64, random
// alphanumeric (no + or /) and random hex strings of 16 to 88 characters, 10,000 samples per
// length and alphabet. A string of n characters cannot exceed log2(n) bits per character, and
// the shorter it is the further below that a random one falls, so one fixed threshold is too
// strict for short keys and too lax for long ones.

import { shannonEntropy } from '../../server/src/analysis/detectors/entropy';
import { entropyCeiling } from './exactTail';
import { quantile, sorted } from './quantiles';
import { ALPHANUMERIC, BASE64, HEX, randomString, stream } from './random';

export const LENGTHS = [16, 20, 24, 32, 40, 48, 64, 88];

export interface RandomTail {
  min: number;
  p01: number;
  p1: number;
  p50: number;
  /** Entropies, ascending, for checking a floor against the sample. */
  entropies: Float64Array;
}

export interface LengthRow {
  length: number;
  base64: RandomTail;
  alphanumeric: RandomTail;
  /** Highest entropy among the sampled random hex strings. */
  hexMax: number;
  /** Highest entropy any hex string of this length can have. */
  hexCeiling: number;
}

function sampleEntropies(seed: number, alphabet: string, length: number, samples: number): Float64Array {
  const rng = stream(seed, `${alphabet.length}/${length}`);
  const values = new Float64Array(samples);
  for (let i = 0; i < samples; i++) values[i] = shannonEntropy(randomString(rng, alphabet, length));
  return sorted(values);
}

function tail(entropies: Float64Array): RandomTail {
  return { min: entropies[0], p01: quantile(entropies, 0.001), p1: quantile(entropies, 0.01), p50: quantile(entropies, 0.5), entropies };
}

export function measureLengths(seed: number, samples: number): LengthRow[] {
  return LENGTHS.map((length) => {
    const hex = sampleEntropies(seed, HEX, length, samples);
    return {
      length,
      base64: tail(sampleEntropies(seed, BASE64, length, samples)),
      alphanumeric: tail(sampleEntropies(seed, ALPHANUMERIC, length, samples)),
      hexMax: hex[hex.length - 1],
      hexCeiling: entropyCeiling(length, 16),
    };
  });
}
