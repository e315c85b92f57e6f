// Seeded randomness for the generated driver log, on the benchmark's mulberry32
// (bench/generator/prng.ts): integers, picks, weighted picks and random strings, written to be
// cheap because the generator calls them tens of millions of times for a 1 GiB log.

import { prng } from '../generator/prng';

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const BASE64 = `${ALNUM}+/`;
/** The alphabet of AWS access key ids after the four-letter prefix (base32). */
export const BASE32 = `${UPPER}234567`;

export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = prng(seed);
  }

  /** 0 <= n < max. */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** lo <= n <= hi. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** `n` characters drawn from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  /** `n` lower-case hex digits, eight per random draw. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return s.length === n ? s : s.slice(0, n);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  /** An IPv4 address in the workers' private range. */
  ip(): string {
    return `10.139.${this.int(4) + 64}.${this.range(2, 254)}`;
  }
}

/** Weighted choice among `items`: build once, then `pick(rng)` in O(log n). */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly items: readonly (readonly [number, T])[]) {
    let sum = 0;
    for (const [w] of items) this.cumulative.push((sum += w));
    this.total = sum;
  }

  pick(rng: Random): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo][1];
  }
}
