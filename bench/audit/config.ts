// The audit benchmark's settings: the size and make-up of the generated audit log, the runs,
// the partition counts and the executor counts of the projection. The report quotes them, so
// changing one here changes both the measurement and its description in
// docs/performance-audit.md.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The CLI measured unless --cli names another (a snapshot of dist/ beside a copy of rules/). */
export const DEFAULT_CLI = join(ROOT, 'dist', 'cli.js');
export const REPORT = 'docs/performance-audit.md';

/** The big log: 1 GiB. */
export const DEFAULT_SIZE_MIB = 1024;
/** The smaller prefix of the same log whose peak RSS is compared with the big one's. */
export const PREFIX_SIZE_MIB = 100;
/** Further prefixes whose sessionizing alone (`--format sessions`) is measured for memory. */
export const MEMORY_PREFIXES_MIB = [256, 512];
/** The prefix `node --cpu-prof` runs on. */
export const PROFILE_SIZE_MIB = 32;
/** Timed runs of the single-process command over the big log; the median is reported. */
export const RUNS = 1;
/** Concurrent `--sessions -` processes, one partition each. */
export const PARTITIONS = [1, 2, 4];
/** Executor counts of the projection (one core each). */
export const EXECUTORS = [8, 32, 128];
/** V8 old-space caps (MiB) of the memory checks: `--format sessions` on the whole log, `--sessions -` on the prefix. */
export const SESSIONS_HEAP_CAP_MIB = 192;
export const ANALYSE_HEAP_CAP_MIB = 96;
/** Daily log sizes the projection gives a time for, GiB. */
export const DAILY_GIB = [10, 100];

/** The log's seed (same seed and a smaller size: a prefix of the same log). */
export const DEFAULT_LOG_SEED = 20240917;

/** Make-up of the generated log; see logGenerator.ts. */
export const LOG_SHAPE = {
  /** Share of the log's lines that are events of other services (or other notebook actions). */
  otherShare: 0.58,
  /** Notebook sessions open at any moment (many notebooks interleaved in time). */
  concurrentSessions: 250,
  /** Commands per session after the attach: 5 to 60 (the first five are the notebook's setup cells). */
  minCommands: 5,
  maxCommands: 60,
  /** Chance that the next session goes to a notebook never seen before (else one seen before re-attaches). */
  newNotebook: 0.25,
  /** Share of lines written late: held back for 1 to maxDelayLines lines (attach events never are). */
  lateShare: 0.01,
  maxDelayLines: 2000,
  /** Magic commands among the commands after the setup. */
  markdown: 0.04,
  sql: 0.03,
  pip: 0.01,
  /** Planted findings per command after the setup. */
  leak: 0.004,
  hardcodedPassword: 0.001,
  sparkConf: 0.001,
  awsKeys: 0.0005,
  /** runCommand events with status error. */
  errorStatus: 0.03,
} as const;

/**
 * With --cells-from, the share of sessions that run real notebooks' code cells: most sessions in a
 * workspace explore and transform data and read no secret; the rest are the generator's, which all
 * read a password and a token in their setup and carry the planted findings.
 */
export const REAL_SHARE = 0.8;

/** How long after a session ended its out-of-order events are taken in (the CLI's default). */
export const LATENESS_MINUTES = 60;
/** A session also ends after this long without an event of its notebook (the CLI's default --idle-timeout). */
export const IDLE_TIMEOUT_MINUTES = 720;

/** Throughput unit: 10^6 bytes. */
export const MB = 1e6;
export const MIB = 2 ** 20;
