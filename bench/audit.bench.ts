// The audit benchmark: `nbguard audit` over a generated 1 GiB Databricks audit log (legacy
// log-delivery JSON lines): one process on one core, its peak RSS against a 100 MiB prefix of
// the same log, sessionizing (`--format sessions`) and analysis (`--sessions -`) apart, the
// session lines split into P partitions analysed by P concurrent processes (their findings
// checked against the single run), a projection for N one-core Spark executors, and a CPU
// profile. Run through the bundler:
//
//   npm run build && npm run bench:audit     (= node bench/run.mjs audit --write)
//   node bench/run.mjs audit [--cli dist/cli.js] [--size-mb 1024 | --size 50] [--runs 1] [--partitions 1,2,4]
//                            [--dir /tmp] [--keep] [--no-profile] [--seed N] [--write]
//   node bench/run.mjs audit generate --size-mb 50 [--seed N] [--cells-from DIR] --out /tmp/audit.json
//   node bench/run.mjs audit prefilter [--size-mb 50] [--runs 3] [--cells-from DIR] [--write]
//   node bench/run.mjs audit floor [--size-mb 100] [--cells-from DIR] [--write]   (the parser's bound)
//
// --cli measures another build of the CLI, e.g. a copy of dist/ (with rules/ beside it) taken so
// that rebuilding the checkout during the run does not change what is measured. The report names
// the checkout's commit as it was when the run started (take the copy just before).
//
// The parts are in bench/audit/: auditWorld.ts, otherEvents.ts and sessionScript.ts (what the
// log holds; the command texts come from bench/generator/), logGenerator.ts (writing it, with
// what it holds), processes.ts (timing and peak RSS of the CLI), partitions.ts (splitting the
// session lines, comparing findings), projection.ts (N executors), profileAudit.ts (where the
// time goes), auditReport*.ts (docs/performance-audit.md: its memory and scale-out sections in their own files) and performanceLink.ts (its paragraph
// in docs/performance.md). Settings: config.ts.

import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, truncateSync } from 'node:fs';
import os from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gitRevision, headline, medianRun, writeAuditReport, type AuditBenchRun } from './audit/auditReport';
import { ANALYSE_HEAP_CAP_MIB, DAILY_GIB, DEFAULT_CLI, DEFAULT_LOG_SEED, DEFAULT_SIZE_MIB, EXECUTORS, MB, MEMORY_PREFIXES_MIB, MIB, PARTITIONS, PREFIX_SIZE_MIB, PROFILE_SIZE_MIB, RUNS, SESSIONS_HEAP_CAP_MIB } from './audit/config';
import { generateAuditLog, generateAuditLogCommand, type Checkpoint } from './audit/logGenerator';
import { prefilterBench } from './audit/prefilterBench';
import { parseFloorBench } from './audit/parseFloor';
import { findingSet, splitSessions } from './audit/partitions';
import { updatePerformanceDoc } from './audit/performanceLink';
import { haveTaskset, runMayFail, runOne, runTogether, type ProcessRun } from './audit/processes';
import { profileAudit } from './audit/profileAudit';
import { aggregateRate, project, type PartitionedRun } from './audit/projection';
import { haveGnuTime, median } from './harness/processTiming';

const log = (s: string) => process.stderr.write(s);
const n0 = (x: number | undefined) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const mib = (kb?: number) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);

/** A file holding the first `bytes` bytes of `file` (a line boundary, from the generator). */
function prefixOf(file: string, checkpoint: Checkpoint, out: string): string {
  copyFileSync(file, out);
  truncateSync(out, checkpoint.bytes);
  return out;
}

function lineCount(file: string): number {
  // The session lines are long; counting newlines in 16 MiB chunks keeps this cheap.
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  let n = 0;
  try {
    for (let got = readSync(fd, buf); got > 0; got = readSync(fd, buf)) for (let i = buf.indexOf(10); i >= 0 && i < got; i = buf.indexOf(10, i + 1)) n++;
  } finally {
    closeSync(fd);
  }
  return n;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'generate') return generateAuditLogCommand(argv.slice(1));
  if (argv[0] === 'prefilter') return prefilterBench(argv.slice(1));
  if (argv[0] === 'floor') return parseFloorBench(argv.slice(1));
  const flag = (name: string, d: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : d;
  };
  const cliArg = flag('--cli', DEFAULT_CLI);
  const cli = isAbsolute(cliArg) ? cliArg : resolve(process.cwd(), cliArg);
  const sizeMib = Number(flag('--size-mb', flag('--size', String(DEFAULT_SIZE_MIB))));
  const prefixMib = Math.min(PREFIX_SIZE_MIB, Math.max(1, Math.round(sizeMib / 10)));
  const memoryMibs = MEMORY_PREFIXES_MIB.filter((m) => m > prefixMib && m < sizeMib);
  const profileMib = Math.min(PROFILE_SIZE_MIB, sizeMib);
  const runs = Number(flag('--runs', String(RUNS)));
  const seed = Number(flag('--seed', String(DEFAULT_LOG_SEED)));
  const partitionCounts = flag('--partitions', PARTITIONS.join(',')).split(',').map(Number);
  if (!partitionCounts.includes(1)) partitionCounts.unshift(1);
  const write = argv.includes('--write');
  const keep = argv.includes('--keep');
  const profile = !argv.includes('--no-profile');

  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (or give --cli)`);
  if (!existsSync(resolve(cli, '..', '..', 'rules'))) log(`warning: no rules/ beside ${resolve(cli, '..')}: the CLI may not find its built-in rules\n`);
  if (!haveGnuTime()) log('note: /usr/bin/time is not installed (apt-get install -y time); peak RSS is sampled from /proc instead\n');

  const started = performance.now();
  const code = gitRevision();
  const startedAt = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const loadStart = os.loadavg();
  const cores = os.cpus().length;
  const dir = mkdtempSync(join(flag('--dir', os.tmpdir()), 'nbguard-audit-bench-'));
  process.once('SIGINT', () => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  log(`nbguard audit benchmark: ${sizeMib} MiB log in ${dir}, CLI ${cli}, node ${process.version}, ${cores} cores, load ${loadStart[0].toFixed(2)}\n`);
  try {
    // 1. The log, and the byte offsets of its prefixes.
    const big = join(dir, 'audit.json');
    const gen = generateAuditLog(big, sizeMib * MIB, seed, [prefixMib, ...memoryMibs, profileMib].map((m) => m * MIB));
    const point = (mib: number) => gen.checkpoints.find((c) => c.atBytes === mib * MIB) ?? gen.end;
    const [prefixPoint, profilePoint] = [point(prefixMib), point(profileMib)];
    log(`  generated ${(gen.bytes / MIB).toFixed(0)} MiB: ${n0(gen.lines)} lines, ${n0(gen.attaches)} sessions, ${n0(gen.commands)} commands, ${n0(gen.notebooks)} notebooks, ${gen.plantedTotal} planted findings in ${gen.seconds.toFixed(1)} s\n`);
    // "One core": the process pinned to core 0 (its GC and compiler threads share that core).
    const jsonl = (file: string, out?: string) => ({ cli, args: ['audit', '--format', 'jsonl', '--fail-on', 'never', file], stdoutFile: out, pin: 0 });

    // 2. One process over the whole log.
    const single: ProcessRun[] = [];
    const findingsFile = join(dir, 'findings.jsonl');
    for (let i = 0; i < runs; i++) {
      log(`  single process, run ${i + 1}/${runs}...`);
      single.push(await runOne({ label: 'audit --format jsonl', ...jsonl(big, findingsFile) }));
      const r = single[i];
      log(` ${r.seconds.toFixed(1)} s, ${n0((r.summary.commands ?? 0) / r.seconds)} commands/s, ${(gen.bytes / MB / r.seconds).toFixed(1)} MB/s, RSS ${mib(r.maxRssKb)}, ${r.summary.findings} findings\n`);
    }
    const singleFindings = findingSet([findingsFile]);

    // 3. The prefix, for memory.
    const prefixFile = prefixOf(big, prefixPoint, join(dir, 'prefix.json'));
    log(`  prefix ${(prefixPoint.bytes / MIB).toFixed(0)} MiB: audit --format jsonl...`);
    const prefixRun = await runOne({ label: 'audit --format jsonl (prefix)', ...jsonl(prefixFile) });
    log(` ${prefixRun.seconds.toFixed(1)} s, RSS ${mib(prefixRun.maxRssKb)}; not pinned...`);
    const prefixUnpinned = await runOne({ label: 'audit --format jsonl (prefix, not pinned)', ...jsonl(prefixFile), pin: undefined });
    log(` ${prefixUnpinned.seconds.toFixed(1)} s, CPU ${prefixUnpinned.cpuSeconds?.toFixed(1)} s; --format sessions...`);
    const prefixSessions = join(dir, 'prefix-sessions.jsonl');
    const sessionizePrefix = await runOne({ label: 'audit --format sessions (prefix)', cli, args: ['audit', '--format', 'sessions', prefixFile], stdoutFile: prefixSessions, pin: 0 }, [0]);
    log(` RSS ${mib(sessionizePrefix.maxRssKb)}; --sessions -...`);
    const filter = (file: string) => ({ cli, args: ['audit', '--sessions', '--format', 'jsonl', '--fail-on', 'never', '-'], stdinFile: file });
    const analysePrefix = await runOne({ label: 'audit --sessions - (prefix)', ...filter(prefixSessions), pin: 0 });
    log(` RSS ${mib(analysePrefix.maxRssKb)}; heap capped at ${ANALYSE_HEAP_CAP_MIB} MiB...`);
    const analyseCapped = await runMayFail({ label: 'audit --sessions - (prefix, capped heap)', nodeFlags: [`--max-old-space-size=${ANALYSE_HEAP_CAP_MIB}`], ...filter(prefixSessions), pin: 0 });
    log(` status ${analyseCapped.status}, ${analyseCapped.seconds.toFixed(1)} s, RSS ${mib(analyseCapped.maxRssKb)}\n`);
    rmSync(prefixFile, { force: true });
    rmSync(prefixSessions, { force: true });

    // 3b. Sessionizing alone over longer prefixes: memory along the log.
    const memory: AuditBenchRun['memory'] = [];
    for (const m of memoryMibs) {
      const file = prefixOf(big, point(m), join(dir, `prefix-${m}.json`));
      log(`  prefix ${m} MiB: audit --format sessions...`);
      const r = await runOne({ label: `audit --format sessions (${m} MiB prefix)`, cli, args: ['audit', '--format', 'sessions', file], pin: 0 }, [0]);
      log(` ${r.seconds.toFixed(1)} s, RSS ${mib(r.maxRssKb)}\n`);
      memory.push({ point: point(m), sessionize: r });
      rmSync(file, { force: true });
    }

    // 4. Sessionizing alone, then with the heap capped.
    const sessionsFile = join(dir, 'sessions.jsonl');
    log('  sessionize (--format sessions)...');
    const sessionize = await runOne({ label: 'audit --format sessions', cli, args: ['audit', '--format', 'sessions', big], stdoutFile: sessionsFile, pin: 0 }, [0]);
    const sessionLines = { bytes: statSync(sessionsFile).size, sessions: lineCount(sessionsFile) };
    log(` ${sessionize.seconds.toFixed(1)} s, RSS ${mib(sessionize.maxRssKb)}, ${n0(sessionLines.sessions)} sessions, ${(sessionLines.bytes / MIB).toFixed(0)} MiB of session lines; heap capped at ${SESSIONS_HEAP_CAP_MIB} MiB...`);
    const cappedRun = await runMayFail({ label: 'audit --format sessions (capped heap)', nodeFlags: [`--max-old-space-size=${SESSIONS_HEAP_CAP_MIB}`], cli, args: ['audit', '--format', 'sessions', big], pin: 0 });
    log(` status ${cappedRun.status}, ${cappedRun.seconds.toFixed(1)} s, RSS ${mib(cappedRun.maxRssKb)}\n`);

    // 5. Start-up of one filter process.
    const startup: number[] = [];
    for (let i = 0; i < 3; i++) startup.push((await runOne({ label: 'start-up', cli, args: ['audit', '--sessions', '--format', 'jsonl', '-'], stdinFile: '/dev/null', pin: 0 }, [0])).seconds);
    log(`  start-up of --sessions - on empty input: ${median(startup).toFixed(2)} s\n`);

    // 6. Partitioned runs.
    const partitioned: PartitionedRun[] = [];
    for (const p of partitionCounts) {
      const parts = p === 1 ? [{ file: sessionsFile, sessions: sessionLines.sessions, bytes: sessionLines.bytes }] : await splitSessions(sessionsFile, p, dir);
      log(`  P = ${p}: ${p} processes at once (process i pinned to core i mod ${cores})...`);
      const outs = parts.map((_, i) => join(dir, `findings-${p}-${i}.jsonl`));
      const together = await runTogether(parts.map((part, i) => ({ label: `audit --sessions - (P=${p}, partition ${i})`, ...filter(part.file), stdoutFile: outs[i], pin: i % cores })));
      const run: PartitionedRun = { processes: p, partitions: parts.map((x) => ({ ...x, file: x.file.slice(dir.length + 1) })), runs: together.runs, seconds: together.seconds, otherLoad: together.otherLoad, findings: findingSet(outs) };
      partitioned.push(run);
      const same = run.findings.count === singleFindings.count && run.findings.sha256 === singleFindings.sha256;
      log(` ${together.seconds.toFixed(1)} s, ${n0(aggregateRate(run))} commands/s aggregate, findings ${run.findings.count} ${same ? 'same as the single run' : 'DIFFERENT from the single run'}\n`);
      for (const o of outs) rmSync(o, { force: true });
      if (p > 1) for (const part of parts) rmSync(part.file, { force: true });
    }

    // 7. Where the time goes.
    let profiled: AuditBenchRun['profile'];
    if (profile) {
      const file = prefixOf(big, profilePoint, join(dir, 'profile.json'));
      log(`  profiling on ${(profilePoint.bytes / MIB).toFixed(0)} MiB...`);
      const p = profileAudit(cli, file);
      // The commands in the prefix: ask the CLI (sessionizing only, fast).
      const count = await runOne({ label: 'count', cli, args: ['audit', '--format', 'sessions', file] }, [0]);
      profiled = { ...p, sizeMib: profileMib, bytes: profilePoint.bytes, commands: count.summary.commands ?? 0 };
      rmSync(file, { force: true });
      log(` ${p.seconds.toFixed(1)} s\n`);
    }

    const projection = project(partitioned, cores, gen.bytes, medianRun(single).summary.commands ?? gen.commands, median(startup), EXECUTORS, DAILY_GIB);
    const run: AuditBenchRun = {
      cli,
      code,
      log: { ...gen, file: 'audit.json' },
      prefix: prefixPoint,
      memory,
      single,
      singleFindings,
      prefixRun,
      prefixUnpinned,
      sessionize,
      sessionizePrefix,
      sessionizeCapped: { capMib: SESSIONS_HEAP_CAP_MIB, run: cappedRun },
      analysePrefix,
      analyseCapped: { capMib: ANALYSE_HEAP_CAP_MIB, run: analyseCapped },
      sessionLines,
      startup,
      partitioned,
      projection,
      profile: profiled,
      versions: { node: process.version, gnuTime: haveGnuTime(), taskset: haveTaskset() },
      load: { start: loadStart, end: os.loadavg() },
      cores,
      seconds: (performance.now() - started) / 1000,
      started: startedAt,
    };
    printSummary(run);
    if (write) {
      console.log(`wrote ${writeAuditReport(run)}`);
      const perf = updatePerformanceDoc(headline(run));
      if (perf) console.log(`updated the audit paragraph of ${perf}`);
    }
    console.log(`benchmark took ${run.seconds.toFixed(0)} s`);
  } finally {
    if (keep) log(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function printSummary(run: AuditBenchRun): void {
  const h = headline(run);
  const r = medianRun(run.single);
  console.log('');
  console.log(`one process: ${median(run.single.map((x) => x.seconds)).toFixed(1)} s, ${h.mbPerSecond.toFixed(1)} MB/s, ${n0(h.commandsPerSecond)} commands/s, ${n0(r.summary.sessions)} sessions, ${n0(r.summary.findings)} findings (planted ${n0(run.log.plantedTotal)}), peak RSS ${mib(r.maxRssKb)}`);
  console.log(`memory: prefix ${(run.prefix.bytes / MIB).toFixed(0)} MiB ${mib(run.prefixRun.maxRssKb)} vs ${mib(r.maxRssKb)}; sessions ${[run.sessionizePrefix, ...run.memory.map((m) => m.sessionize), run.sessionize].map((x) => mib(x.maxRssKb)).join(', ')}`);
  console.log(`held by the sessionizer (sessions, idle rule / without): ${[run.prefix, ...run.memory.map((m) => m.point), run.log.end].map((c) => `${c.hours.toFixed(0)} h ${n0(c.held.sessions)} / ${n0(c.heldWithoutIdle.sessions)}`).join(', ')}; longest gap in a session ${(run.log.longestGapMs / 60_000).toFixed(0)} min, idle splits ${run.log.idleSplits}`);
  console.log(`sessionize: ${run.sessionize.seconds.toFixed(1)} s; start-up ${median(run.startup).toFixed(2)} s`);
  for (const p of run.partitioned) console.log(`P = ${p.processes}: ${p.seconds.toFixed(1)} s, ${n0(aggregateRate(p))} commands/s aggregate; per process ${p.runs.map((x) => n0((x.summary.commands ?? 0) / x.seconds)).join(', ')}; findings ${p.findings.count}${p.findings.sha256 === run.singleFindings.sha256 ? ' (same)' : ' (DIFFERENT)'}`);
  const pr = run.projection;
  console.log(`projection: ${n0(pr.perCore)} commands/s per core x efficiency ${pr.efficiency.toFixed(2)}: ${pr.rows.map((x) => `${x.executors} executors ${n0(x.commandsPerSecond)}/s`).join(', ')}`);
  if (run.profile) {
    console.log(`profile (${run.profile.sizeMib} MiB):`);
    for (const [k, v] of run.profile.steps) console.log(`  ${((100 * v) / run.profile.summary.total).toFixed(1).padStart(5)}%  ${k}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
