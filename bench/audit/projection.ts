// From the partitioned runs to N Spark executors: the per-core rate of the stateless filter
// (`nbguard audit --sessions -`, one process), the efficiency measured when as many processes
// run as this machine has cores, and the log's commands per GiB give the aggregate rate of N
// one-core executors and the time a day's log takes them. Only nbguard's part: the Spark SQL
// sessionizing, the shuffle and the scheduling are not in it.

import type { ProcessRun } from './processes';
import type { FindingSet, Partition } from './partitions';

export interface PartitionedRun {
  /** Processes at once, one partition each. */
  readonly processes: number;
  readonly partitions: readonly Partition[];
  readonly runs: readonly ProcessRun[];
  /** Until the last process ended. */
  readonly seconds: number;
  /** Cores' worth of CPU other processes used meanwhile. */
  readonly otherLoad?: number;
  readonly findings: FindingSet;
}

export interface ExecutorProjection {
  readonly executors: number;
  /** Commands per second, all executors together. */
  readonly commandsPerSecond: number;
  /** Log bytes per second that corresponds to (at this log's commands per byte). */
  readonly logBytesPerSecond: number;
  /** Seconds for each daily size of DAILY_GIB. */
  readonly dailySeconds: readonly number[];
}

export interface Projection {
  /** Commands per second of one `--sessions -` process over all the sessions (P = 1). */
  readonly perCore: number;
  /** Processes that ran at once for the efficiency (this machine's cores). */
  readonly atProcesses: number;
  /** Aggregate rate at `atProcesses` / (atProcesses × perCore), as measured. */
  readonly measuredEfficiency: number;
  /** What the projection uses: the measured efficiency, at most 1 (more than linear is run-to-run variation). */
  readonly efficiency: number;
  readonly commandsPerGib: number;
  /** Start-up of one `--sessions -` process (empty input), s: paid once per Spark task. */
  readonly startupSeconds: number;
  readonly rows: readonly ExecutorProjection[];
}

export const commandsOf = (p: PartitionedRun) => p.runs.reduce((n, r) => n + (r.summary.commands ?? 0), 0);
export const aggregateRate = (p: PartitionedRun) => commandsOf(p) / p.seconds;

export function project(partitioned: readonly PartitionedRun[], cores: number, logBytes: number, logCommands: number, startupSeconds: number, executors: readonly number[], dailyGib: readonly number[]): Projection {
  const single = partitioned.find((p) => p.processes === 1);
  if (!single) throw new Error('the projection needs the one-process run (P = 1)');
  const perCore = aggregateRate(single);
  // The run with as many processes as cores (or the largest below).
  const full = [...partitioned].filter((p) => p.processes <= cores).sort((a, b) => b.processes - a.processes)[0];
  const measuredEfficiency = full.processes > 1 ? aggregateRate(full) / (full.processes * perCore) : 1;
  const efficiency = Math.min(1, measuredEfficiency);
  const commandsPerGib = logCommands / (logBytes / 2 ** 30);
  const rows = executors.map((n): ExecutorProjection => {
    const rate = n * perCore * efficiency;
    return { executors: n, commandsPerSecond: rate, logBytesPerSecond: (rate / logCommands) * logBytes, dailySeconds: dailyGib.map((g) => (g * commandsPerGib) / rate) };
  });
  return { perCore, atProcesses: full.processes, measuredEfficiency, efficiency, commandsPerGib, startupSeconds, rows };
}
