// The benchmark's settings: the notebook sizes and seed, the targets, and how many runs
// and edits each measurement makes (with its time budget). The report quotes them, so changing
// one here changes both the measurement and its description in docs/performance.md.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED } from '../generateNotebook';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SIZES = [50, 300, 1000];
export const SEED = DEFAULT_SEED;

/** The targets (300-cell notebook). */
export const TARGET_CELLS = 300;
export const TARGET_FULL_MS = 300;
export const TARGET_EDIT_MS = 10;

export interface RepeatBudget {
  warmup: number;
  runs: number;
  minRuns: number;
  budgetMs: number;
}

/** Budgets per size: repeat until the count is reached or the time is spent (at least the minimum). */
export const FULL: RepeatBudget = { warmup: 3, runs: 30, minRuns: 5, budgetMs: 12_000 };
export const EDIT: RepeatBudget = { warmup: 20, runs: 200, minRuns: 30, budgetMs: 30_000 };
/** Edits run in the memory child (the open analysis should not grow with edits). */
export const MEMORY_EDITS = 50;
