// Seeded randomness for the entropy calibration: one independent stream per population (so a
// change to one generator does not shift the others), built on the benchmark's mulberry32
// (bench/generator/prng.ts), and the helpers every generator needs: integers, picks, random
// strings over an alphabet and fixed-length windows of longer texts.

import { prng } from '../generator/prng';

export type Rng = () => number;

/** The alphabets the detectors care about. */
export const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

/** An independent stream: the study's base seed mixed with a per-population salt. */
export function stream(seed: number, salt: string): Rng {
  let h = seed >>> 0;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x9e3779b1) >>> 0;
  return prng(h);
}

/** An integer in [lo, hi]. */
export function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** `length` characters drawn uniformly and independently from `alphabet`. */
export function randomString(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

/** `length` random bytes. */
export function randomBytes(rng: Rng, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(rng() * 256);
  return bytes;
}

/** A window of `length` characters at a random offset; `text` must be at least that long. */
export function window(rng: Rng, text: string, length: number): string {
  if (text.length < length) throw new Error(`text of ${text.length} characters is shorter than the ${length}-character window`);
  const start = int(rng, 0, text.length - length);
  return text.slice(start, start + length);
}
