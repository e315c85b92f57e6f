// docs/performance-audit.md: what `node bench/run.mjs audit --write` measured: the machine, the
// generated log, one process on one core, its memory against prefixes of the same log (and what
// the sessionizer holds at each, with its idle timeout and without),
// sessionizing and analysis apart, the partitioned runs with the check of their findings, the
// projection for N Spark executors, where the time goes, and how to reproduce it. The analysis
// report (docs/performance.md) links here with the headline numbers (performanceLink.ts).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { relative } from 'node:path';
import { profileMarkdown } from '../harness/cpuProfileSummary';
import { median } from '../harness/processTiming';
import { writeDoc } from '../harness/writeDoc';
import { ANALYSE_HEAP_CAP_MIB, DAILY_GIB, IDLE_TIMEOUT_MINUTES, LATENESS_MINUTES, LOG_SHAPE, MB, MIB, REPORT, ROOT, SESSIONS_HEAP_CAP_MIB } from './config';
import type { Checkpoint, GeneratedAuditLog } from './logGenerator';
import { headlineComment, type AuditHeadline } from './performanceLink';
import type { FindingSet } from './partitions';
import type { ProcessRun } from './processes';
import type { AuditProfile } from './profileAudit';
import { aggregateRate, commandsOf, type PartitionedRun, type Projection } from './projection';

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

const n0 = (x: number | undefined) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const s2 = (x: number) => `${x.toFixed(2)} s`;
const mibOf = (kb?: number) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
const mbps = (bytes: number, sec: number) => `${(bytes / MB / sec).toFixed(1)} MB/s`;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const code = (x: string) => `\`${x.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;

/** The run of the single process whose time is the median (the first of two middles). */
export function medianRun(runs: readonly ProcessRun[]): ProcessRun {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[(sorted.length - 1) >> 1];
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 2 * 3600) return `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'rules'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes to server/ or rules/' : ''}`;
}

const pinText = (run: AuditBenchRun, core: number) => (run.versions.taskset ? `taskset -c ${core} ` : '');

function cliText(run: AuditBenchRun): string {
  const rel = relative(ROOT, run.cli);
  return rel.startsWith('..') ? run.cli : rel;
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

const load = (x?: number) => (x === undefined ? 'n/a' : x.toFixed(2));
const minutes = (ms: number) => (ms < 2 * 3_600_000 ? `${(ms / 60_000).toFixed(0)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
/** CPU per command over all processes of a partitioned run, ms. */
const cpuMsOf = (p?: PartitionedRun) => {
  const cpu = p?.runs.reduce((a, r) => (a === undefined || r.cpuSeconds === undefined ? undefined : a + r.cpuSeconds), 0 as number | undefined);
  return p && cpu !== undefined ? ((1000 * cpu) / commandsOf(p)).toFixed(2) : 'n/a';
};
const cpuMs = (r: ProcessRun) => (r.cpuSeconds === undefined || !r.summary.commands ? 'n/a' : ((1000 * r.cpuSeconds) / r.summary.commands).toFixed(2));

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

function memorySection(run: AuditBenchRun): string[] {
  const g = run.log;
  const p = run.prefix;
  const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(1)}x` : 'n/a');
  const heldMib = (b: number) => `${(b / MIB).toFixed(0)} MiB`;
  const capped = run.sessionizeCapped;
  const p1 = run.partitioned.find((x) => x.processes === 1);
  const single = medianRun(run.single);
  const window = (IDLE_TIMEOUT_MINUTES + LATENESS_MINUTES) / 60;
  const idleHours = IDLE_TIMEOUT_MINUTES / 60;
  // The prefix, the longer prefixes and the whole log, with their sessionize-only runs.
  const points = [{ point: p, sessionize: run.sessionizePrefix }, ...run.memory, { point: g.end, sessionize: run.sessionize }];
  const cols = points.map(({ point }, i) => (i === points.length - 1 ? `${(point.bytes / MIB).toFixed(0)} MiB (the log)` : `${(point.bytes / MIB).toFixed(0)} MiB prefix`));
  const row = (label: string, cell: (x: (typeof points)[number], i: number) => string) => `| ${label} | ${points.map(cell).join(' | ')} |`;
  const only = (first?: number, last?: number) => (_: unknown, i: number) => mibOf(i === 0 ? first : i === points.length - 1 ? last : undefined).replace('n/a', '–');
  const held = (h: { sessions: number; commands: number; bytes: number }) => `${n0(h.sessions)}, ${n0(h.commands)} (${heldMib(h.bytes)})`;
  const end = g.end;
  const jsonlGrowth = (single.maxRssKb ?? 0) / (run.prefixRun.maxRssKb ?? Infinity);
  const heldGrowth = end.held.bytes / Math.max(1, p.held.bytes);
  const cut = 1 - end.held.commands / Math.max(1, end.heldWithoutIdle.commands);
  const idleFree = points.filter(({ point }) => point.hours < window);
  const perHour = g.attaches / ((g.lastTime - g.firstTime) / 3_600_000);
  const rssGrowthMib = ((run.sessionize.maxRssKb ?? 0) - (run.sessionizePrefix.maxRssKb ?? 0)) / 1024;
  return [
    '## Memory: does it grow with the log?',
    '',
    `The same commands over prefixes of the same log (the same notebooks and sessions so far) and over the whole log; the first ${(p.bytes / MIB).toFixed(0)} MiB also with the analysis. The "held" rows are counted by the generator: the sessions the sessionizer has not handed on at that point, with its idle timeout (\`--idle-timeout\`, ${idleHours} h, the default) and as it would be without one.`,
    '',
    `| | ${cols.join(' | ')} |`,
    `|---|${points.map(() => '---:').join('|')}|`,
    row('Log bytes', ({ point }) => n0(point.bytes)),
    row('Hours of log', ({ point }) => point.hours.toFixed(1)),
    row('Notebooks seen so far', ({ point }) => n0(point.notebooks)),
    row('Held by the sessionizer: sessions, commands (command text)', ({ point }) => held(point.held)),
    row('Held without an idle timeout', ({ point }) => held(point.heldWithoutIdle)),
    row(`Sessions attached in the last ${window} h (idle timeout + lateness)`, ({ point }) => n0(point.attachedInWindow)),
    row('Peak RSS of `audit --format sessions` (sessionize only)', ({ sessionize }) => mibOf(sessionize.maxRssKb)),
    row('Peak RSS of `audit --format jsonl` (sessionize + analyse)', only(run.prefixRun.maxRssKb, single.maxRssKb)),
    ...(p1 ? [row('Peak RSS of `audit --sessions -` (analyse only)', only(run.analysePrefix.maxRssKb, p1.runs[0].maxRssKb))] : []),
    '',
    `Peak RSS of the single process is ${mibOf(single.maxRssKb)} over the whole log against ${mibOf(run.prefixRun.maxRssKb)} over the first ${(p.bytes / MIB).toFixed(0)} MiB (${ratio(single.maxRssKb, run.prefixRun.maxRssKb)} for ${(g.bytes / p.bytes).toFixed(1)}x the log)${jsonlGrowth > 1.15 ? ': it still grows with the log' : ': about the same'}. Sessionizing alone goes ${points.map(({ sessionize }) => mibOf(sessionize.maxRssKb)).join(' → ')}${p1 ? `; analysing alone (\`--sessions -\`, one session at a time) ${mibOf(run.analysePrefix.maxRssKb)} → ${mibOf(p1.runs[0].maxRssKb)}` : ''}.`,
    '',
    `What the sessionizer holds: a session is handed on once the log has moved \`--lateness\` (${LATENESS_MINUTES} minutes) past its end, and it ends at the next attach of its notebook or after ${idleHours} hours without an event of its notebook, whichever comes first; a notebook with nothing open is forgotten ${window} hours after its last session ended. So it holds the sessions of the notebooks that had an event in the last ${window} hours (and, for ${LATENESS_MINUTES} minutes, the session before a re-attach): at most the sessions attached in that time and those already running at its start.`,
    '',
    ...(idleFree.length > 0
      ? [
          `- Up to hour ${window} nothing has been idle that long, so the idle timeout changes nothing: the sessionizer holds the same either way, ${idleFree.map(({ point }) => `${n0(point.held.sessions)} sessions at ${(point.bytes / MIB).toFixed(0)} MiB (hour ${point.hours.toFixed(1)})`).join(', ')}.${p.hours < window ? ` The ${(p.bytes / MIB).toFixed(0)} MiB prefix is inside that time, so the prefix-to-whole comparison sees the idle timeout only at its larger end.` : ''}`,
        ]
      : []),
    `- At the end (hour ${end.hours.toFixed(0)}) the idle timeout has handed on the sessions of notebooks idle for ${window} hours or more: the sessionizer holds ${n0(end.held.sessions)} sessions (${n0(end.held.commands)} commands, ${heldMib(end.held.bytes)} of command text) instead of ${n0(end.heldWithoutIdle.sessions)} (${n0(end.heldWithoutIdle.commands)}, ${heldMib(end.heldWithoutIdle.bytes)}), ${pct(cut)} fewer commands.`,
    `- ${heldGrowth > 1.15 ? 'It still grows along this log' : 'It stays about the same along this log'} (${points.map(({ point }) => n0(point.held.sessions)).join(' → ')} sessions, ${heldGrowth.toFixed(1)}x the command text from the ${(p.bytes / MIB).toFixed(0)} MiB prefix to the end)${end.heldWithoutIdle.commands > end.held.commands * 1.05 ? `, more slowly than without the idle timeout (${points.map(({ point }) => n0(point.heldWithoutIdle.sessions)).join(' → ')})` : ''}. The bound is the sessions of the last ${window} hours: this workspace attaches about ${n0(perHour)} sessions an hour, ${n0(end.attachedInWindow)} in the last ${window} hours of the log${end.held.sessions < 0.9 * end.attachedInWindow ? `, and ${pct(LOG_SHAPE.newNotebook)} of sessions go to a notebook never seen before, so over these ${((g.lastTime - g.firstTime) / 3_600_000).toFixed(0)} hours those sessions spread over more and more distinct notebooks and the held count approaches the bound without reaching it (${pct(end.held.sessions / end.attachedInWindow)} of it at the end). Whether it levels off there would take a longer log to show` : `, and the held count is at that bound`}; without the idle timeout there is no bound but the number of notebooks.`,
    `- Peak RSS grows more than the data held: sessionizing alone peaks ${rssGrowthMib.toFixed(0)} MiB higher over the whole log than over the prefix, for ${heldMib(end.held.bytes - p.held.bytes)} more command text held. Much of an uncapped peak is garbage V8 has not collected yet (it grows the heap generously when memory is plentiful); capping the old space shows the live part:`,
    '',
    ...[capped ? cappedLine('`--format sessions` over the whole log', capped, run.sessionize) : undefined, run.analyseCapped ? cappedLine(`\`--sessions -\` over the ${(p.bytes / MIB).toFixed(0)} MiB prefix's session lines`, run.analyseCapped, run.analysePrefix) : undefined].filter((x): x is string => x !== undefined),
    '',
    `So one process over a long log needs memory for the sessions of the notebooks active within the last ${window} hours (here ${n0(end.held.sessions)} sessions at hour ${end.hours.toFixed(0)}), not for every notebook ever attached; the Spark shape below holds one session at a time in nbguard, sessionizing being Spark's job there.`,
    '',
  ];
}

function cappedLine(what: string, capped: { capMib: number; run: ProcessRun }, uncapped: ProcessRun): string {
  const r = capped.run;
  return r.status === 0 || r.status === 1
    ? `- ${what} with \`node --max-old-space-size=${capped.capMib}\`: completes in ${s2(r.seconds)} (uncapped ${s2(uncapped.seconds)}), peak RSS ${mibOf(r.maxRssKb)} (uncapped ${mibOf(uncapped.maxRssKb)}): its live heap stays under ${capped.capMib} MiB.`
    : `- ${what} with \`node --max-old-space-size=${capped.capMib}\`: fails (status ${r.status}): its live heap needs more than ${capped.capMib} MiB.`;
}

function splitSection(run: AuditBenchRun): string[] {
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

function partitionSection(run: AuditBenchRun): string[] {
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

function projectionSection(run: AuditBenchRun): string[] {
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
