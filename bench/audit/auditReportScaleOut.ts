// The scale-out sections of docs/performance-audit.md: sessionizing and analysis apart (the Spark
// shape), the partitioned runs with the check of their findings against the single run, and the
// projection for N one-core Spark executors.

import { median } from '../harness/processTiming';
import { DAILY_GIB, MB, MIB } from './config';
import type { AuditBenchRun } from './auditReport';
import { code, cpuMs, cpuMsOf, duration, load, mbps, medianRun, mibOf, n0, pct, s2 } from './auditReportFormat';
import { aggregateRate, commandsOf } from './projection';

export function splitSection(run: AuditBenchRun): string[] {
  const g = run.log;
  const sz = run.sessionize;
  const p1 = run.partitioned.find((x) => x.processes === 1);
  const single = median(run.single.map((x) => x.seconds));
  const analyse = p1?.seconds ?? NaN;
  return [
    '## Sessionizing and analysis apart',
    '',
    'The Spark scale-out shape ([scale.md](scale.md)): Spark SQL sessionizes, and nbguard runs on each',
    'partition as a stateless filter (`RDD.pipe` / `mapInPandas`), session JSON lines in, finding',
    'JSON lines out. Both halves with nbguard itself, one process each, pinned to one core:',
    '',
    '| Step | Command | Wall time | Throughput | Peak RSS |',
    '|---|---|---:|---:|---:|',
    `| Sessionize | ${code(`audit --format sessions audit.json > sessions.jsonl`)} | ${s2(sz.seconds)} | ${mbps(g.bytes, sz.seconds)} of log, ${n0((sz.summary.lines ?? g.lines) / sz.seconds)} lines/s | ${mibOf(sz.maxRssKb)} |`,
    ...(p1
      ? [
          `| Analyse | ${code('audit --sessions --format jsonl - < sessions.jsonl')} | ${s2(p1.seconds)} | ${n0(commandsOf(p1) / p1.seconds)} commands/s, ${n0((p1.runs[0].summary.sessions ?? 0) / p1.seconds)} sessions/s (${mbps(run.sessionLines.bytes, p1.seconds)} of session lines) | ${mibOf(p1.runs[0].maxRssKb)} |`,
          `| Both in one process | ${code('audit --format jsonl audit.json')} | ${s2(single)} | ${n0((medianRun(run.single).summary.commands ?? 0) / single)} commands/s | ${mibOf(medianRun(run.single).maxRssKb)} |`,
        ]
      : []),
    '',
    `The session lines are ${(run.sessionLines.bytes / MIB).toFixed(0)} MiB (${n0(run.sessionLines.sessions)} sessions), ${pct(run.sessionLines.bytes / g.bytes)} of the log. Sessionizing takes ${pct(sz.seconds / single)} of the single run's time;`,
    `the analysis of the commands is the rest${p1 ? ` (sessionize + analyse = ${s2(sz.seconds + analyse)}, against ${s2(single)} in one process)` : ''}. A process that starts, loads the rules and the`,
    `parser and reads an empty input takes ${s2(median(run.startup))} (median of ${run.startup.length}).`,
    '',
  ];
}

export function partitionSection(run: AuditBenchRun): string[] {
  const base = run.partitioned.find((x) => x.processes === 1);
  const baseRate = base ? aggregateRate(base) : NaN;
  const rows = run.partitioned.map((p) => {
    const rate = aggregateRate(p);
    const same = p.findings.count === run.singleFindings.count && p.findings.sha256 === run.singleFindings.sha256;
    const used = Math.min(p.processes, run.cores);
    return `| ${p.processes} | ${s2(p.seconds)} | ${load(p.otherLoad)} | ${n0(rate)} | ${(rate / baseRate).toFixed(2)}x | ${pct(rate / (used * baseRate))} | ${p.runs.map((r) => n0((r.summary.commands ?? 0) / r.seconds)).join(', ')} | ${p.runs.map(cpuMs).join(', ')} | ${p.runs.map((r) => mibOf(r.maxRssKb)).join(', ')} | ${n0(p.findings.count)}, ${same ? 'same' : '**different**'} |`;
  });
  const detail = run.partitioned
    .filter((p) => p.processes > 1)
    .map((p) => `- P = ${p.processes}: ${p.runs.map((r, i) => `partition ${i}: ${n0(r.summary.sessions)} sessions, ${n0(r.summary.commands)} commands, ${s2(r.seconds)}`).join('; ')}.`);
  return [
    '## Partitioned runs',
    '',
    'The session lines split into P partitions by a hash of the session id (as',
    '`repartition(P, "session")` would), one file each, and P processes',
    '`node CLI audit --sessions --format jsonl --fail-on never -` started at once, each with its partition',
    `as standard input and its own output file${run.versions.taskset ? `, process i pinned to core i mod ${run.cores} (\`taskset\`)` : ''}. This machine has ${run.cores} cores, so`,
    `P = ${run.cores * 2} runs two processes per core. "Aggregate" is all commands over the time until the last process ended;`,
    '"efficiency" is the aggregate rate over (processes that can run at once × the P = 1 rate). CPU per',
    'command is user + system time over the commands of that process: if it stays flat while the',
    'efficiency drops, the cores were busy with other work (or each other\'s) rather than the work growing.',
    '',
    '| P | Wall time | Other load | Aggregate commands/s | Speed-up | Efficiency | Per process commands/s | CPU ms per command | Peak RSS per process | Findings (union) vs the single run |',
    '|---:|---:|---:|---:|---:|---:|---|---|---|---|',
    ...rows,
    '',
    ...detail,
    '',
    `The single run's ${n0(run.singleFindings.count)} finding lines, sorted, have SHA-256 \`${run.singleFindings.sha256.slice(0, 16)}…\`; "same" means the union of the`,
    "partitions' finding lines, sorted, has the same count and the same hash: byte for byte the same findings, whatever the partitioning.",
    '',
  ];
}

export function projectionSection(run: AuditBenchRun): string[] {
  const pr = run.projection;
  const g = run.log;
  const oneCoreDay = (gib: number) => (median(run.single.map((x) => x.seconds)) * gib * 2 ** 30) / g.bytes;
  return [
    '## Projection for N Spark executors',
    '',
    `- Per core: **${n0(pr.perCore)} commands/s**, the P = 1 run of \`--sessions -\` (start-up included).`,
    `- Efficiency: **${pct(pr.measuredEfficiency)}**, the P = ${pr.atProcesses} run against ${pr.atProcesses} × the P = 1 rate (processes pinned to separate cores: what they lose to each other through the shared L3 cache and memory, and to any other load on the machine; the CPU per command in the table above tells which).${pr.measuredEfficiency > 1 ? ` More than 100% is run-to-run variation of this machine (the ${pr.atProcesses} processes needed ${cpuMsOf(run.partitioned.find((p) => p.processes === pr.atProcesses))} ms of CPU per command, the P = 1 run ${cpuMsOf(run.partitioned.find((p) => p.processes === 1))} ms); the projection uses 100%.` : ''}`,
    `- This log holds ${n0(pr.commandsPerGib)} notebook commands per GiB (${pct(g.notebookLines / g.lines)} of its lines are notebook events). A log with another mix scales with its commands, not its bytes.`,
    '',
    `Aggregate rate ≈ N × ${n0(pr.perCore)} × ${pr.efficiency.toFixed(2)} commands/s:`,
    '',
    `| Executors (one core each) | Commands/s | Equivalent log throughput | ${DAILY_GIB.map((d) => `${d} GiB/day`).join(' | ')} |`,
    `|---:|---:|---:|${DAILY_GIB.map(() => '---:').join('|')}|`,
    `| 1 (one process, this machine, sessionizing included) | ${n0((medianRun(run.single).summary.commands ?? 0) / median(run.single.map((x) => x.seconds)))} | ${mbps(g.bytes, median(run.single.map((x) => x.seconds)))} | ${DAILY_GIB.map((d) => duration(oneCoreDay(d))).join(' | ')} |`,
    ...pr.rows.map((r) => `| ${r.executors} | ${n0(r.commandsPerSecond)} | ${(r.logBytesPerSecond / MB).toFixed(0)} MB/s | ${r.dailySeconds.map(duration).join(' | ')} |`),
    '',
    'Assumptions:',
    '',
    "- Only nbguard's part. Spark's own work is not included: reading `system.access.audit` (or the",
    '  delivered JSON), the filter, the window and the `groupBy` shuffle that sessionize, task',
    "  scheduling, and the pipes between the JVM and nbguard. For reference, nbguard's own",
    `  sessionizer does this log in ${s2(run.sessionize.seconds)} on one core.`,
    "- Executor cores as fast as this machine's (AMD EPYC vCPUs), one nbguard process per core",
    `  (one per task), and the efficiency measured at ${pr.atProcesses} processes holds for one process per core at any N.`,
    `- Many more partitions than executors, so the hash imbalance between partitions evens out; each task`,
    `  pays the ${s2(pr.startupSeconds)} start-up once (with 1,000 partitions on ${pr.rows[0]?.executors ?? 8} executors that adds ${duration((1000 / (pr.rows[0]?.executors ?? 8)) * pr.startupSeconds)}).`,
    '- The same mix of commands as this log (command length, share of %sql/%md, findings rate).',
    '',
  ];
}
