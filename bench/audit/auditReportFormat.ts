// Number and text formatting shared by the sections of docs/performance-audit.md (auditReport.ts,
// auditReportMemory.ts, auditReportScaleOut.ts): counts, seconds, MiB, MB/s, shares, durations,
// code spans, CPU per command, the median run and how the report names the CLI measured.

import { relative } from 'node:path';
import { MB, ROOT } from './config';
import type { AuditBenchRun } from './auditReport';
import type { ProcessRun } from './processes';
import { commandsOf, type PartitionedRun } from './projection';

export const n0 = (x: number | undefined) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
export const s2 = (x: number) => `${x.toFixed(2)} s`;
export const mibOf = (kb?: number) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
export const mbps = (bytes: number, sec: number) => `${(bytes / MB / sec).toFixed(1)} MB/s`;
export const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
export const code = (x: string) => `\`${x.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
export const load = (x?: number) => (x === undefined ? 'n/a' : x.toFixed(2));
export const minutes = (ms: number) => (ms < 2 * 3_600_000 ? `${(ms / 60_000).toFixed(0)} min` : `${(ms / 3_600_000).toFixed(1)} h`);

/** The run of the single process whose time is the median (the first of two middles). */
export function medianRun(runs: readonly ProcessRun[]): ProcessRun {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[(sorted.length - 1) >> 1];
}

export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 2 * 3600) return `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export const pinText = (run: AuditBenchRun, core: number) => (run.versions.taskset ? `taskset -c ${core} ` : '');

export function cliText(run: AuditBenchRun): string {
  const rel = relative(ROOT, run.cli);
  return rel.startsWith('..') ? run.cli : rel;
}

/** CPU per command over all processes of a partitioned run, ms. */
export const cpuMsOf = (p?: PartitionedRun) => {
  const cpu = p?.runs.reduce((a, r) => (a === undefined || r.cpuSeconds === undefined ? undefined : a + r.cpuSeconds), 0 as number | undefined);
  return p && cpu !== undefined ? ((1000 * cpu) / commandsOf(p)).toFixed(2) : 'n/a';
};
export const cpuMs = (r: ProcessRun) => (r.cpuSeconds === undefined || !r.summary.commands ? 'n/a' : ((1000 * r.cpuSeconds) / r.summary.commands).toFixed(2));
