// CPU profiles of a benchmark's command, kept in bench/results/<name>/ (they open in Chrome
// DevTools): an emptied folder for node's --cpu-prof-dir, the profile node wrote there, and a
// whole run of `node --cpu-prof CLI args > /dev/null` (200 µs sampling), as the redaction and
// audit benchmarks profile the CLI. Summaries: cpuProfileSummary.ts.

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from './config';

/** bench/results/<name>/, emptied (a profile from an earlier run must not be read back). */
export function freshResultsDir(name: string): string {
  const dir = join(ROOT, 'bench', 'results', name);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The .cpuprofile node wrote into `dir`. */
export function profileFileIn(dir: string, hint = ''): string {
  const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!name) throw new Error(`no .cpuprofile in ${dir}${hint}`);
  return join(dir, name);
}

/**
 * Runs `node --cpu-prof CLI ...args` with standard output to /dev/null and the profile in
 * bench/results/<name>/; throws unless it exits with 0. Returns the profile and the wall time.
 */
export function profileCli(name: string, cli: string, args: readonly string[]): { file: string; seconds: number } {
  const dir = freshResultsDir(name);
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  let seconds: number;
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', cli, ...args], { cwd: ROOT, stdio: ['ignore', devNull, 'pipe'] });
    seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`profiled nbguard ${args[0] ?? ''} failed (status ${r.status}): ${r.stderr?.toString()}`);
  } finally {
    closeSync(devNull);
  }
  return { file: profileFileIn(dir), seconds };
}
