// CPU profile of `node dist/cli.js redact FILE > /dev/null` (node --cpu-prof, 200 µs sampling),
// summarized with the analysis benchmark's profile reader (bundle positions mapped back to
// server/ source lines through dist/cli.js.map). The profile is kept in
// bench/results/profile-redact/ and opens in Chrome DevTools.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarizeProfile, type ProfileSummary } from '../harness/cpuProfileSummary';
import { ROOT } from './config';

export function profileRedact(file: string): { summary: ProfileSummary; file: string; seconds: number } {
  const dir = join(ROOT, 'bench', 'results', 'profile-redact');
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const cli = join(ROOT, 'dist', 'cli.js');
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  let seconds: number;
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', cli, 'redact', file], { cwd: ROOT, stdio: ['ignore', devNull, 'pipe'] });
    seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`profiled nbguard redact failed (status ${r.status}): ${r.stderr?.toString()}`);
  } finally {
    closeSync(devNull);
  }
  const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!prof) throw new Error(`no .cpuprofile in ${dir}`);
  return { summary: summarizeProfile(join(dir, prof), cli), file: join(dir, prof), seconds };
}
