// Choosing the floor. At 40 characters: the highest threshold (rounded down to 0.05 bits) that
// misses at most one random key in a million, computed exactly (exactTail.ts), which must lie
// above the 3.971-bit ceiling of 40 hex characters. For other lengths: a formula
//   floor(n, k) = log2(n) - a - b * (n / k)^2      (k = 64 base64, 62 alphanumeric)
// whose `a` reproduces the 40-character threshold and whose `b` keeps the exact miss rate
// closest to the same target at every length from 16 to 64. log2(n) is the ceiling of an
// n-character string; (n / k)^2 grows with the repeated characters a random string of n
// draws from k symbols is bound to have.

import { previousFloor as base64EntropyFloor } from './previousFloor';
import { entropyCeiling, exactEntropyDistribution, exactQuantile, probabilityBelow, type ExactDistribution } from './exactTail';

export const KEY_LENGTH = 40;
/** Recall target: the share of random keys the floor may miss. */
export const MISS_TARGET = 1e-6;
/** Lengths small enough for the exact distribution (partitions of 64: 1.7 million). */
export const EXACT_LENGTHS = [16, 20, 24, 32, 40, 48, 64];
export const ALPHABET_SIZES = { base64: 64, alphanumeric: 62 } as const;
export type AlphabetName = keyof typeof ALPHABET_SIZES;

/** Exact entropy distributions of random strings, by "k/n". */
export type ExactTable = Map<string, ExactDistribution>;

export function exactTable(): ExactTable {
  const table: ExactTable = new Map();
  for (const k of Object.values(ALPHABET_SIZES)) for (const n of EXACT_LENGTHS) table.set(`${k}/${n}`, exactEntropyDistribution(n, k));
  return table;
}

export function exact(table: ExactTable, n: number, k: number): ExactDistribution | undefined {
  return table.get(`${k}/${n}`);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The 40-character threshold: the MISS_TARGET quantile of random base64 keys, rounded down to 0.05. */
export function chooseThreshold(table: ExactTable): number {
  const quantile = exactQuantile(exact(table, KEY_LENGTH, 64)!, MISS_TARGET);
  const threshold = round2(Math.floor(quantile * 20 + 1e-9) / 20);
  const hexCeiling = entropyCeiling(KEY_LENGTH, 16);
  if (threshold <= hexCeiling) throw new Error(`threshold ${threshold} is not above the hex ceiling ${hexCeiling.toFixed(3)}`);
  return threshold;
}

export interface FloorFormula {
  a: number;
  b: number;
  floor: (length: number, alphabetSize: number) => number;
  text: string;
}

function formula(a: number, b: number): FloorFormula {
  return {
    a,
    b,
    floor: (n, k) => Math.log2(n) - a - b * (n / k) ** 2,
    text: `floor(n, k) = log2(n) - ${a.toFixed(2)} - ${b.toFixed(2)} * (n / k)^2   (n characters; k = 64 for base64, 62 for alphanumeric)`,
  };
}

/** Fits b (a follows from the 40-character threshold): the worst exact miss rate over lengths and alphabets as close to the target as possible. */
export function fitFormula(threshold40: number, table: ExactTable): FloorFormula {
  let best: { f: FloorFormula; worst: number } | undefined;
  for (let b = 0; b <= 0.6 + 1e-9; b += 0.05) {
    const f = formula(round2(Math.log2(KEY_LENGTH) - threshold40 - b * (KEY_LENGTH / 64) ** 2), round2(b));
    let worst = 0;
    for (const k of Object.values(ALPHABET_SIZES))
      for (const n of EXACT_LENGTHS) worst = Math.max(worst, probabilityBelow(exact(table, n, k)!, f.floor(n, k)));
    if (!best || Math.abs(Math.log(worst / MISS_TARGET)) < Math.abs(Math.log(best.worst / MISS_TARGET))) best = { f, worst };
  }
  return best!.f;
}

export interface FloorRow {
  length: number;
  floor: Record<AlphabetName, number>;
  /** Share of random keys below the floor: exact where enumerable, else the sampled share. */
  miss: Record<AlphabetName, { value: number; exact: boolean }>;
  hexCeiling: number;
  current: number;
  currentMiss: { value: number; exact: boolean };
}

export function floorRows(
  f: FloorFormula,
  table: ExactTable,
  lengths: readonly number[],
  sampled: (length: number, alphabet: AlphabetName) => Float64Array,
): FloorRow[] {
  const missAt = (n: number, alphabet: AlphabetName, threshold: number) => {
    const dist = exact(table, n, ALPHABET_SIZES[alphabet]);
    if (dist) return { value: probabilityBelow(dist, threshold), exact: true };
    const sample = sampled(n, alphabet);
    let below = 0;
    while (below < sample.length && sample[below] < threshold) below++;
    return { value: below / sample.length, exact: false };
  };
  return lengths.map((n) => {
    const floor = { base64: f.floor(n, 64), alphanumeric: f.floor(n, 62) };
    const current = base64EntropyFloor(n);
    return {
      length: n,
      floor,
      miss: { base64: missAt(n, 'base64', floor.base64), alphanumeric: missAt(n, 'alphanumeric', floor.alphanumeric) },
      hexCeiling: entropyCeiling(n, 16),
      current,
      currentMiss: missAt(n, 'base64', current),
    };
  });
}
