// Runs a command and measures it from outside: wall-clock time, CPU time and peak RSS. Peak RSS
// and CPU time come from GNU time (`/usr/bin/time -f '%M %U %S'`, apt-get install time) when it
// is installed; otherwise peak RSS is sampled from VmHWM in /proc/PID/status every 20 ms while
// the process runs (the command must then be the measured process itself, or exec it, as
// `taskset` does) and CPU time is unknown. Used by the redaction and audit benchmarks.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  seconds: number;
  /** User + system CPU time, s (GNU time only). */
  cpuSeconds?: number;
  /** Peak resident set size, KiB; undefined when neither GNU time nor /proc could tell. */
  maxRssKb?: number;
  status: number | null;
  /** Standard output, when it was not sent to a file. */
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Standard input from this file (else none). */
  stdinFile?: string;
  /** Send stdout to this file (else it is captured and returned). */
  stdoutFile?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

function vmHwmKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

let runCounter = 0;

/** Runs `command args`, waits for it, and returns the time, the peak RSS and its output. */
export function measure(command: string, args: readonly string[], options: RunOptions = {}): Promise<Measured> {
  const useTime = haveGnuTime();
  const rssFile = join(os.tmpdir(), `nbguard-bench-rss-${process.pid}-${runCounter++}`);
  const argv = useTime ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, command, ...args] : [command, ...args];
  const stdin = options.stdinFile ? openSync(options.stdinFile, 'r') : 'ignore';
  const out = options.stdoutFile ? openSync(options.stdoutFile, 'w') : 'pipe';
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env, stdio: [stdin, out, 'pipe'] });
    let hwm: number | undefined;
    // Without GNU time the measured process is the child itself.
    const timer = useTime ? undefined : setInterval(() => (hwm = Math.max(hwm ?? 0, vmHwmKb(child.pid ?? -1) ?? 0) || undefined), 20);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => stdout.push(d));
    child.stderr?.on('data', (d: Buffer) => stderr.push(d));
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = (performance.now() - started) / 1000;
      if (timer) clearInterval(timer);
      if (typeof stdin === 'number') closeSync(stdin);
      if (typeof out === 'number') closeSync(out);
      let maxRssKb = hwm;
      let cpuSeconds: number | undefined;
      if (useTime && existsSync(rssFile)) {
        // The last line (GNU time writes "Command exited with non-zero status" before it).
        const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(rssFile, 'utf8'));
        maxRssKb = m ? Number(m[1]) : undefined;
        cpuSeconds = m ? Number(m[2]) + Number(m[3]) : undefined;
        rmSync(rssFile, { force: true });
      }
      resolve({ seconds, cpuSeconds, maxRssKb, status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
