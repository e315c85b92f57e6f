// The state of a notebook being generated: what its code has defined so far (clean DataFrames,
// secrets, helper functions, tables written), the seeded random choices among them, and the
// leaks planted on purpose. Every cell template reads and extends one NotebookScope, so later
// cells use the names earlier cells defined.

import { prng } from './prng';

export type SecretKind = 'password' | 'token';

export interface Secret {
  readonly name: string;
  readonly kind: SecretKind;
  /** For passwords: the matching user and host variables. */
  readonly user?: string;
  readonly host?: string;
}

export interface Helper {
  readonly name: string;
  readonly kind: 'frame' | 'fetch' | 'jdbc' | 'mask' | 'report' | 'partition';
}

export class NotebookScope {
  /** The seeded random source; every choice of the generator draws from it, in order. */
  readonly random: () => number;
  private idCounter = 0;
  /** Clean pandas DataFrames (safe to display). */
  readonly frames: string[] = [];
  /** Clean Spark DataFrames (safe to display). */
  readonly sdfs: string[] = [];
  readonly secrets: Secret[] = [];
  readonly helpers: Helper[] = [];
  readonly tables: string[] = [];
  /** Leaks and hardcoded credentials planted on purpose, by rule id. */
  readonly planted: Record<string, number> = {};

  constructor(seed: number) {
    this.random = prng(seed);
  }

  // ---- random helpers

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }
  chance(p: number): boolean {
    return this.random() < p;
  }

  // ---- names

  /** The number of the last name made by `id` (used to make table names unique). */
  get counter(): number {
    return this.idCounter;
  }
  /** A fresh variable name: `base_N`. */
  id(base: string): string {
    return `${base}_${++this.idCounter}`;
  }
  plant(rule: string): void {
    this.planted[rule] = (this.planted[rule] ?? 0) + 1;
  }

  // ---- what earlier cells defined

  /** A recent clean pandas DataFrame (`raw_df` before any). */
  frame(): string {
    return this.frames.length > 0 ? this.pick(this.frames.slice(-12)) : 'raw_df';
  }
  /** A recent clean Spark DataFrame (`base_sdf` before any). */
  sdf(): string {
    return this.sdfs.length > 0 ? this.pick(this.sdfs.slice(-12)) : 'base_sdf';
  }
  helper(kind: Helper['kind']): Helper | undefined {
    const hs = this.helpers.filter((h) => h.kind === kind);
    return hs.length > 0 ? this.pick(hs) : undefined;
  }
  secret(kind?: SecretKind): Secret | undefined {
    const ss = kind ? this.secrets.filter((s) => s.kind === kind) : this.secrets;
    return ss.length > 0 ? this.pick(ss) : undefined;
  }
}
