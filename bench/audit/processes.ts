// Runs `nbguard audit` as child processes and measures them from outside (wall-clock time, CPU
// time and peak RSS, through bench/harness/processTiming.ts), with standard input and output
// connected to files, one at a time or several at once, optionally pinned to one core
// (`taskset -c N`). Around each run it reads /proc/stat, so the report can say how busy the
// machine was with other work meanwhile. Also reads the summary the CLI writes to standard error.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { measure } from '../harness/processTiming';

export interface ProcessRun {
  /** The command as the report shows it. */
  readonly label: string;
  readonly seconds: number;
  /** User + system CPU time, s (GNU time only). */
  readonly cpuSeconds?: number;
  /** Peak resident set size, KiB. */
  readonly maxRssKb?: number;
  /** The core it was pinned to. */
  readonly pinned?: number;
  readonly status: number | null;
  readonly stderr: string;
  readonly summary: CliSummary;
  /** Cores' worth of CPU other processes used meanwhile (runOne only; see otherLoad). */
  readonly otherLoad?: number;
}

export interface RunSpec {
  readonly label: string;
  /** node flags before the CLI path. */
  readonly nodeFlags?: readonly string[];
  readonly cli: string;
  readonly args: readonly string[];
  /** A file given as standard input (else none). */
  readonly stdinFile?: string;
  /** Where standard output goes (else /dev/null). */
  readonly stdoutFile?: string;
  /** Pin the process to this core (taskset -c), when taskset is installed. */
  readonly pin?: number;
}

export const TASKSET = '/usr/bin/taskset';
export const haveTaskset = () => existsSync(TASKSET);

/** CPU time the whole machine spent busy (all cores, every process), s, from /proc/stat. */
export function machineBusySeconds(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
    return busy / clockTicks();
  } catch {
    return undefined;
  }
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticks = Number(r.stdout?.trim()) || 100;
  }
  return ticks;
}

/** Cores' worth of CPU that other processes used during a run: (machine busy - own CPU) / wall. */
export function otherLoad(busyBefore: number | undefined, busyAfter: number | undefined, own: readonly ProcessRun[], seconds: number): number | undefined {
  if (busyBefore === undefined || busyAfter === undefined || own.some((r) => r.cpuSeconds === undefined)) return undefined;
  const mine = own.reduce((a, r) => a + (r.cpuSeconds ?? 0), 0);
  return Math.max(0, (busyAfter - busyBefore - mine) / seconds);
}

/** What `nbguard audit` says on standard error at the end. */
export interface CliSummary {
  lines?: number;
  otherEvents?: number;
  lateEvents?: number;
  malformed?: number;
  sessions?: number;
  commands?: number;
  analysed?: number;
  otherLanguage?: number;
  unparsable?: number;
  /** Sessions the prefilter cleared without parsing. */
  cleared?: number;
  findings?: number;
  byRule: Record<string, number>;
}

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s.replace(/,/g, '')));

export function parseSummary(stderr: string): CliSummary {
  const out: CliSummary = { byRule: {} };
  const input = /input:\s+([\d,]+) lines? read(.*)/.exec(stderr);
  if (input) {
    out.lines = num(input[1]);
    out.otherEvents = num(/([\d,]+) other events?/.exec(input[2])?.[1]);
    out.lateEvents = num(/([\d,]+) late events?/.exec(input[2])?.[1]) ?? 0;
    out.malformed = num(/([\d,]+) malformed/.exec(input[2])?.[1]) ?? 0;
  }
  const sessions = /sessions:\s+([\d,]+) with ([\d,]+) commands?(?: \((.*)\))?/.exec(stderr);
  if (sessions) {
    out.sessions = num(sessions[1]);
    out.commands = num(sessions[2]);
    const detail = sessions[3] ?? '';
    out.analysed = num(/([\d,]+) analysed/.exec(detail)?.[1]);
    out.otherLanguage = num(/([\d,]+) in another language/.exec(detail)?.[1]) ?? (sessions[3] ? 0 : undefined);
    out.unparsable = num(/([\d,]+) not parsable/.exec(detail)?.[1]) ?? (sessions[3] ? 0 : undefined);
  }
  out.cleared = num(/cleared:\s+([\d,]+) sessions?/.exec(stderr)?.[1]) ?? 0;
  const findings = /findings:\s+([\d,]+)(?: \((.*)\))?/.exec(stderr);
  if (findings) {
    out.findings = num(findings[1]);
    for (const m of (findings[2] ?? '').matchAll(/(NBG\d+) ([\d,]+)/g)) out.byRule[m[1]] = num(m[2]) ?? 0;
  }
  return out;
}

/** Starts one run; resolves when it has ended. */
async function start(spec: RunSpec): Promise<ProcessRun> {
  const pinned = spec.pin !== undefined && haveTaskset() ? spec.pin : undefined;
  const command = [...(pinned !== undefined ? [TASKSET, '-c', String(pinned)] : []), process.execPath, ...(spec.nodeFlags ?? []), spec.cli, ...spec.args];
  const m = await measure(command[0], command.slice(1), { stdinFile: spec.stdinFile, stdoutFile: spec.stdoutFile ?? '/dev/null' });
  return { label: spec.label, seconds: m.seconds, cpuSeconds: m.cpuSeconds, maxRssKb: m.maxRssKb, pinned, status: m.status, stderr: m.stderr, summary: parseSummary(m.stderr) };
}

/** Runs one command; throws unless it exits with one of `ok` (0: no findings, 1: findings). */
export async function runOne(spec: RunSpec, ok: readonly number[] = [0, 1]): Promise<ProcessRun> {
  const before = machineBusySeconds();
  const r = await start(spec);
  if (r.status === null || !ok.includes(r.status)) throw new Error(`${spec.label} failed (status ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ...r, otherLoad: otherLoad(before, machineBusySeconds(), [r], r.seconds) };
}

/** Runs the commands at the same time; returns each run and the wall time until the last ended. */
export async function runTogether(specs: readonly RunSpec[], ok: readonly number[] = [0, 1]): Promise<{ runs: ProcessRun[]; seconds: number; otherLoad?: number }> {
  const before = machineBusySeconds();
  const started = performance.now();
  const runs = await Promise.all(specs.map((s) => start(s)));
  const seconds = (performance.now() - started) / 1000;
  for (const r of runs) if (r.status === null || !ok.includes(r.status)) throw new Error(`${r.label} failed (status ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { runs, seconds, otherLoad: otherLoad(before, machineBusySeconds(), runs, seconds) };
}

/** Like runOne, but a failure is an answer (a run with a capped heap may run out of memory). */
export function runMayFail(spec: RunSpec): Promise<ProcessRun> {
  return start(spec);
}
