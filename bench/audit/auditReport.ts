// docs/performance-audit.md: what `node bench/run.mjs audit --write` measured: the machine, the
// generated log, one process on one core, its memory against prefixes of the same log (and what
// the sessionizer holds at each, with its idle timeout and without),
// sessionizing and analysis apart, the partitioned runs with the check of their findings, the
// projection for N Spark executors, where the time goes, and how to reproduce it. The analysis
// report (docs/performance.md) links here with the headline numbers (performanceLink.ts).
//
// The sections are in three files: this one (the machine, the log, the single process, the
// profile, the reproduction), auditReportMemory.ts (memory) and auditReportScaleOut.ts
// (sessionizing and analysis apart, partitioned runs, the projection); auditReportFormat.ts
// formats the numbers.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { relative } from 'node:path';
import { profileMarkdown } from '../harness/cpuProfileSummary';
import { median } from '../harness/processTiming';
import { writeDoc } from '../harness/writeDoc';
import { ANALYSE_HEAP_CAP_MIB, DAILY_GIB, IDLE_TIMEOUT_MINUTES, LOG_SHAPE, MB, MIB, REPORT, ROOT, SESSIONS_HEAP_CAP_MIB } from './config';
import { cliText, cpuMs, duration, load, mbps, medianRun, mibOf, minutes, n0, pct, pinText, s2 } from './auditReportFormat';
import { memorySection } from './auditReportMemory';
import { partitionSection, projectionSection, splitSection } from './auditReportScaleOut';
import type { Checkpoint, GeneratedAuditLog } from './logGenerator';
import { headlineComment, type AuditHeadline } from './performanceLink';
import type { FindingSet } from './partitions';
import type { ProcessRun } from './processes';
import type { AuditProfile } from './profileAudit';
import type { PartitionedRun, Projection } from './projection';

export { medianRun } from './auditReportFormat';

export interface AuditBenchRun {
  /** The CLI measured, and whether it is a snapshot outside the checkout. */
  cli: string;
  /** The checkout's commit (and whether server/ or rules/ had uncommitted changes) when the run started. */
  code: string;
  log: GeneratedAuditLog;
  /** The smaller prefix the memory is compared with. */
  prefix: Checkpoint;
  /** `--format sessions` over longer prefixes (between the prefix and the whole log). */
  memory: { point: Checkpoint; sessionize: ProcessRun }[];
  /** `--format jsonl` over the whole log (RUNS times). */
  single: ProcessRun[];
  singleFindings: FindingSet;
  /** `--format jsonl` over the prefix, pinned to one core and not. */
  prefixRun: ProcessRun;
  prefixUnpinned: ProcessRun;
  /** `--format sessions` over the whole log and over the prefix. */
  sessionize: ProcessRun;
  sessionizePrefix: ProcessRun;
  /** `--format sessions` over the whole log with V8's old space capped. */
  sessionizeCapped?: { capMib: number; run: ProcessRun };
  /** `--sessions -` over the prefix's session lines, and the same with V8's old space capped. */
  analysePrefix: ProcessRun;
  analyseCapped?: { capMib: number; run: ProcessRun };
  sessionLines: { bytes: number; sessions: number };
  startup: number[];
  partitioned: PartitionedRun[];
  projection: Projection;
  profile?: AuditProfile & { sizeMib: number; bytes: number; commands: number };
  versions: { node: string; gnuTime: boolean; taskset: boolean };
  load: { start: number[]; end: number[] };
  cores: number;
  seconds: number;
  started: string;
}

export function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'rules'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes to server/ or rules/' : ''}`;
}

/** A short hash of the measured bundle and its file time, to tell builds apart. */
function bundleText(cli: string): string {
  try {
    const built = statSync(cli).mtime.toISOString().slice(0, 16).replace('T', ' ');
    const hash = createHash('sha256').update(readFileSync(cli)).digest('hex').slice(0, 12);
    return `bundle SHA-256 ${hash}…, file time ${built} UTC`;
  } catch {
    return 'bundle not found';
  }
}

function machineLines(run: AuditBenchRun): string[] {
  const cpus = os.cpus();
  const l = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  const others = [...run.single.map((r) => r.otherLoad), run.prefixRun.otherLoad, run.sessionize.otherLoad, ...run.partitioned.map((p) => p.otherLoad)].filter((x): x is number => x !== undefined);
  const worst = others.length > 0 ? Math.max(...others) : undefined;
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${run.cores} logical cores (\`nproc\`); memory ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node.js ${run.versions.node}; peak RSS from ${run.versions.gnuTime ? 'GNU time (`/usr/bin/time -f %M`)' : 'VmHWM in /proc/PID/status, sampled every 20 ms'}`,
    `- Load average at the start: ${l(run.load.start)}; at the end: ${l(run.load.end)} (1, 5, 15 min, the benchmark's own processes included)`,
    ...(worst !== undefined
      ? [`- Other work on the machine during the timed runs (/proc/stat minus the runs' own CPU time): at most ${worst.toFixed(2)} cores on average over a run${worst > 0.2 ? ', so some times are noisier than usual' : ''}`]
      : []),
    `- Code: ${run.code} (the checkout when the run started); CLI measured: \`${cliText(run)}\` (${bundleText(run.cli)})${relative(ROOT, run.cli).startsWith('..') ? ', a copy of `dist/` taken before the run with `rules/` beside it, so rebuilding the checkout during the run changes nothing' : ''}; run started ${run.started}`,
  ];
}

function logSection(run: AuditBenchRun): string[] {
  const g = run.log;
  const k = g.commandsByKind;
  const hours = (g.lastTime - g.firstTime) / 3_600_000;
  const planted = Object.entries(g.planted).map(([r, c]) => `${r} ${c}`).join(', ');
  return [
    '## The log',
    '',
    `Generated by \`bench/audit/logGenerator.ts\` (seed ${g.seed}; the same seed and a smaller \`--size-mb\` give a prefix of the same log), streaming, into a temporary folder:`,
    `**${(g.bytes / MIB).toFixed(0)} MiB** (${n0(g.bytes)} bytes), ${n0(g.lines)} lines of Databricks legacy log-delivery JSON, covering ${hours.toFixed(0)} hours of one busy workspace (generated in ${g.seconds.toFixed(1)} s).`,
    '',
    '| | |',
    '|---|---:|',
    `| Lines | ${n0(g.lines)} |`,
    `| Notebook events (attachNotebook + runCommand) | ${n0(g.notebookLines)} (${pct(g.notebookLines / g.lines)} of the lines; command text is ${pct(g.commandTextBytes / g.bytes)} of the bytes) |`,
    `| Other events (Unity Catalog, DBFS, clusters, jobs, accounts, SQL warehouses, secrets, permissions, MLflow, repos, other notebook actions) | ${n0(g.otherLines)} |`,
    `| Sessions (attachNotebook) | ${n0(g.attaches)}, ${LOG_SHAPE.minCommands}-${LOG_SHAPE.maxCommands} commands each, about ${LOG_SHAPE.concurrentSessions} open at any moment; the longest gap between two events of a session is ${minutes(g.longestGapMs)} |`,
    `| Notebooks | ${n0(g.notebooks)}: ${n0(g.notebooks - g.reattachedNotebooks)} attached once, ${n0(g.reattachedNotebooks)} attached more than once; ${n0(g.reattachesAfterIdle)} of the ${n0(g.attaches - g.notebooks)} re-attaches came after the notebook had been idle for ${IDLE_TIMEOUT_MINUTES / 60} hours or longer |`,
    `| Commands (runCommand) | ${n0(g.commands)}: ${n0(k.setup)} setup cells, ${n0(k.code)} code cells, ${n0(k.md)} %md, ${n0(k.sql)} %sql, ${n0(k.pip)} %pip; ${n0(g.commandTextBytes)} bytes of command text (${(g.commandTextBytes / g.commands).toFixed(0)} per command) |`,
    `| Lines written late (out of time order, up to ${LOG_SHAPE.maxDelayLines} lines late) | ${n0(g.lateLines)} |`,
    `| Planted findings | ${n0(g.plantedTotal)}: ${planted} |`,
    '',
    'Every session starts the way the analysis benchmark\'s generated notebooks do (imports, widgets,',
    'the raw load, a password and a token read with `dbutils.secrets.get` / `os.environ`), then',
    'runs cells of the same generator (`bench/generator/`: JDBC reads, HTTP calls with bearer',
    'headers, pandas and Spark transformations, plots, helper functions defined in one command and',
    'called in later ones, MLflow), with now and then a `%md`, `%sql` or `%pip` command. At a small',
    `rate a command plants a finding (\`bench/audit/sessionScript.ts\`): per code command ${LOG_SHAPE.leak * 100}% a leak of a secret read in an earlier`,
    `command (print, logging, \`dbutils.notebook.run\` arguments, an echoed JDBC URL), ${LOG_SHAPE.hardcodedPassword * 100}% a hardcoded password, ${LOG_SHAPE.sparkConf * 100}% the`,
    `secret set with \`spark.conf.set\`, ${LOG_SHAPE.awsKeys * 100}% a pasted AWS key pair. When a session ends, another starts: ${pct(1 - LOG_SHAPE.newNotebook)} of the time on a notebook`,
    'seen before (re-attached), otherwise on a new one. The events of all open sessions are merged',
    `in time order with ${pct(LOG_SHAPE.otherShare)} of lines from other services, written with their real shapes; ${LOG_SHAPE.lateShare * 100}% of the lines`,
    '(never an attach) are written up to a few minutes late, as log delivery does.',
    '',
  ];
}

function singleSection(run: AuditBenchRun): string[] {
  const g = run.log;
  const r = medianRun(run.single);
  const sec = median(run.single.map((x) => x.seconds));
  const sm = r.summary;
  const rules = Object.entries(sm.byRule).map(([k, v]) => `${k} ${v}`).join(', ');
  const matches = sm.findings === g.plantedTotal && Object.entries(g.planted).every(([k, v]) => sm.byRule[k] === v);
  // A gap of the idle timeout within a session makes the CLI split it there (the generator counts them).
  const expectedSessions = g.attaches + g.idleSplits;
  const pin = run.versions.taskset ? 'taskset -c 0 ' : '';
  const pu = run.prefixUnpinned;
  const pp = run.prefixRun;
  return [
    '## One process, one core',
    '',
    '```sh',
    `${pin}node ${cliText(run)} audit --format jsonl --fail-on never audit.json > findings.jsonl`,
    '```',
    '',
    `Wall-clock time of the whole process (start-up included), the log in the page cache; ${run.single.length === 1 ? 'one run' : `${run.single.length} runs, the median`}.`,
    `${run.versions.taskset ? 'The process is pinned to one core (`taskset -c 0`), so its garbage-collector and compiler threads share that core with it. ' : ''}The finding lines go to a file`,
    '(a few MB) so that the partitioned runs can be checked against them. MB = 10^6 bytes. "Other load" is the',
    "CPU the rest of the machine used meanwhile (/proc/stat minus the run's own CPU time), in cores.",
    '',
    '| Wall time | CPU time | Other load | Throughput | Lines/s | Notebook commands/s | Sessions/s | Sessions | Commands analysed | Findings | Peak RSS |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${run.single.map((x) => s2(x.seconds)).join(', ')} | ${r.cpuSeconds === undefined ? 'n/a' : s2(r.cpuSeconds)} | ${load(r.otherLoad)} | **${mbps(g.bytes, sec)}** | ${n0((sm.lines ?? g.lines) / sec)} | **${n0((sm.commands ?? 0) / sec)}** | ${n0((sm.sessions ?? 0) / sec)} | ${n0(sm.sessions)} | ${n0(sm.analysed)} (+ ${n0(sm.otherLanguage)} %md/%sql) | ${n0(sm.findings)} | **${mibOf(r.maxRssKb)}** |`,
    '',
    `- Per command: ${cpuMs(r)} ms of CPU; ${(g.commandTextBytes / g.commands).toFixed(0)} bytes of command text on average.`,
    `- Findings: ${n0(sm.findings)} (${rules || 'none'}); planted: ${n0(g.plantedTotal)}: ${matches ? '**the same, rule by rule**' : '**different**'}${g.idleSplits > 0 ? ` (${n0(g.idleSplits)} sessions are split by the idle timeout, so a leak of a secret read before such a gap is not expected to be found)` : ''}. Late events: ${n0(sm.lateEvents)}; malformed lines: ${n0(sm.malformed)}; commands that do not parse: ${n0(sm.unparsable)}.`,
    `- Sessions found: ${n0(sm.sessions)}, attaches written: ${n0(g.attaches)}${g.idleSplits > 0 ? `, plus ${n0(g.idleSplits)} gaps of ${IDLE_TIMEOUT_MINUTES / 60} hours or more within a session where the CLI starts a new one` : ''}${sm.sessions === expectedSessions ? ` (every session found, none split or merged${g.idleSplits === 0 ? `: no session of this log has a gap as long as the ${IDLE_TIMEOUT_MINUTES / 60} h idle timeout, the longest is ${minutes(g.longestGapMs)}` : ''})` : ' (**different**)'}.`,
    ...(run.versions.taskset
      ? [
          `- Not pinned, node uses more than one core: on the ${(run.prefix.bytes / MIB).toFixed(0)} MiB prefix, ${s2(pu.seconds)} wall and ${pu.cpuSeconds === undefined ? 'n/a' : s2(pu.cpuSeconds)} CPU (${pu.cpuSeconds === undefined ? 'n/a' : (pu.cpuSeconds / pu.seconds).toFixed(2)} cores, other load ${load(pu.otherLoad)}) against ${s2(pp.seconds)} pinned (other load ${load(pp.otherLoad)}).`,
        ]
      : []),
    '',
  ];
}

function profileSection(run: AuditBenchRun): string[] {
  const p = run.profile;
  if (!p) return [];
  const share = (t: number) => `${((100 * t) / p.summary.total).toFixed(1)}%`;
  return [
    `## Where the time goes (${p.sizeMib} MiB)`,
    '',
    `\`node --cpu-prof ${cliText(run)} audit --format jsonl\` on the first ${p.sizeMib} MiB of the log (${n0(p.commands)} commands; ${s2(p.seconds)} under the profiler, ${n0(p.commands / p.seconds)} commands/s;`,
    `profile kept in \`${relative(ROOT, p.file)}\`, opens in Chrome DevTools). Shares are of all sampled time, start-up included:`,
    '',
    '| Step (inclusive) | Share |',
    '|---|---:|',
    ...p.steps.map(([k, t]) => `| ${k} | ${share(t)} |`),
    '',
    profileMarkdown(p.summary, 12),
    '',
  ];
}

export function headline(run: AuditBenchRun): AuditHeadline {
  const sec = median(run.single.map((x) => x.seconds));
  const last = run.projection.rows[run.projection.rows.length - 1];
  const dailyIndex = DAILY_GIB.length - 1;
  return {
    gib: run.log.bytes / 2 ** 30,
    commandsPerSecond: (medianRun(run.single).summary.commands ?? 0) / sec,
    mbPerSecond: run.log.bytes / MB / sec,
    peakRssMib: (medianRun(run.single).maxRssKb ?? 0) / 1024,
    executors: last.executors,
    executorCommandsPerSecond: last.commandsPerSecond,
    dailyGib: DAILY_GIB[dailyIndex],
    dailyMinutes: last.dailySeconds[dailyIndex] / 60,
  };
}

export function auditReport(run: AuditBenchRun): string {
  return [
    '# Audit log performance',
    '',
    '<!-- Generated by `npm run bench:audit` (node bench/run.mjs audit --write); do not edit by hand. -->',
    headlineComment(headline(run)),
    '',
    'How fast `nbguard audit` reads a big Databricks audit log on one core, how much memory it',
    'needs, what sessionizing and analysis each cost, and what the partitioned runs project for',
    'Spark executors ([scale.md](scale.md) has the Spark job). The analysis benchmark is in',
    '[performance.md](performance.md).',
    '',
    '```sh',
    'npm run build && npm run bench:audit   # node bench/run.mjs audit --write',
    '```',
    '',
    `(${duration(run.seconds)} for this run; the temporary logs are deleted at the end, \`--keep\` keeps them.)`,
    '',
    '## Machine',
    '',
    ...machineLines(run),
    '',
    ...logSection(run),
    ...singleSection(run),
    ...memorySection(run),
    ...splitSection(run),
    ...partitionSection(run),
    ...projectionSection(run),
    ...profileSection(run),
    '## Reproduce',
    '',
    '- `node bench/run.mjs audit` measures and prints; `--write` also rewrites this file and the audit',
    '  paragraph of performance.md; `--size-mb N` (default 1024; e.g. 50 for a quick run), `--runs N`,',
    '  `--partitions 1,2,4`, `--dir DIR` (default the OS temp dir), `--keep`, `--no-profile`, and',
    '  `--cli PATH` (default `dist/cli.js`; the bundle finds its rules in `../rules` beside its folder).',
    '- To measure a copy while `dist/` may be rebuilt:',
    '  `mkdir -p /tmp/nbguard-snap && cp -rp dist rules /tmp/nbguard-snap/ && node bench/run.mjs audit --cli /tmp/nbguard-snap/dist/cli.js --write`.',
    '- `node bench/run.mjs audit generate --size-mb 50 --out /tmp/audit.json` writes a log and what it',
    '  holds (`/tmp/audit.json.truth.json`: sessions, commands, planted findings).',
    '- Peak RSS needs GNU time (`apt-get install -y time`; otherwise /proc is sampled); pinning needs',
    '  `taskset` (util-linux).',
    '',
    'The commands the benchmark runs, in order (each under `/usr/bin/time -f \'%M %U %S\'`; `CLI` is the',
    'bundle measured, the files are in the temporary folder):',
    '',
    '```sh',
    `${pinText(run, 0)}node CLI audit --format jsonl --fail-on never audit.json > findings.jsonl${run.single.length > 1 ? `   # ${run.single.length} times` : ''}`,
    `${pinText(run, 0)}node CLI audit --format jsonl --fail-on never prefix.json > /dev/null     # the first ${(run.prefix.bytes / MIB).toFixed(0)} MiB`,
    'node CLI audit --format jsonl --fail-on never prefix.json > /dev/null                  # not pinned',
    `${pinText(run, 0)}node CLI audit --format sessions prefix.json > prefix-sessions.jsonl`,
    `${pinText(run, 0)}node CLI audit --sessions --format jsonl --fail-on never - < prefix-sessions.jsonl > /dev/null`,
    `${pinText(run, 0)}node --max-old-space-size=${ANALYSE_HEAP_CAP_MIB} CLI audit --sessions --format jsonl --fail-on never - < prefix-sessions.jsonl > /dev/null`,
    ...run.memory.map(({ point }) => `${pinText(run, 0)}node CLI audit --format sessions prefix-${(point.atBytes / MIB).toFixed(0)}.json > /dev/null     # the first ${(point.atBytes / MIB).toFixed(0)} MiB`),
    `${pinText(run, 0)}node CLI audit --format sessions audit.json > sessions.jsonl`,
    `${pinText(run, 0)}node --max-old-space-size=${SESSIONS_HEAP_CAP_MIB} CLI audit --format sessions audit.json > /dev/null`,
    `${pinText(run, 0)}node CLI audit --sessions --format jsonl - < /dev/null                  # start-up, ${run.startup.length} times`,
    `# for P in ${run.partitioned.map((p) => p.processes).join(' ')}: sessions.jsonl split by FNV-1a(session id) mod P into part-0 .. part-(P-1), then all at once:`,
    `${run.versions.taskset ? `taskset -c $((i % ${run.cores})) ` : ''}node CLI audit --sessions --format jsonl --fail-on never - < part-$i.jsonl > findings-$i.jsonl`,
    ...(run.profile ? [`node --cpu-prof --cpu-prof-interval 200 CLI audit --format jsonl --fail-on never profile.json > /dev/null   # the first ${run.profile.sizeMib} MiB`] : []),
    '```',
    '',
  ].join('\n');
}

export function writeAuditReport(run: AuditBenchRun): string {
  return writeDoc(REPORT, auditReport(run));
}
