// The redaction benchmark's settings: sizes, runs and the targets. The report quotes
// them, so changing one here changes both the measurement and its description in
// docs/performance-redact.md.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The big log: 1 GiB. */
export const DEFAULT_SIZE_MB = 1024;
/** The sample the slower comparison (secretlint) gets: the first 64 MiB of the same log. */
export const DEFAULT_SAMPLE_MB = 64;
/** The file `node --cpu-prof` runs on. */
export const PROFILE_SIZE_MB = 200;
/** Timed runs per tool on the big log; the median is reported. */
export const RUNS = 3;

/** The targets: throughput of `nbguard redact`, and its time against `rg -P`. */
export const TARGET_MBPS = 100;
export const TARGET_RATIO = 3;

/** Throughput unit: 10^6 bytes. */
export const MB = 1e6;
export const MIB = 2 ** 20;

export const REPORT = 'docs/performance-redact.md';
