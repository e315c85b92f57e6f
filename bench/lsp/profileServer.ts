// CPU profile of the language server while it handles the benchmark's edits: the measured run
// of one size with the server started as `node --cpu-prof dist/server.js --stdio`. The profile
// covers the whole server process; only the samples taken while the measured edits ran are
// kept (V8's profile timestamps and process.hrtime are both CLOCK_MONOTONIC), so start-up and
// opening the notebook do not dilute it. Summarized like the analysis benchmark's profiles
// (bench/harness/cpuProfileSummary.ts), with bundle positions mapped to source lines through
// the snapshot's source map.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshResultsDir, profileFileIn } from '../harness/cliProfile';
import { summarizeProfile, type ProfileSummary } from '../harness/cpuProfileSummary';
import { measureLsp, type LspSizeResult } from './measureLsp';

interface RawProfile {
  nodes: unknown[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ServerProfile {
  cells: number;
  /** The whole profile and the edits-only one written next to it. */
  file: string;
  editsFile: string;
  summary: ProfileSummary;
  /** Sampled time in the edit window that the server was idle (waiting for the client). */
  idleMs: number;
  /** The measurement taken under the profiler (slower than the real one). */
  result: LspSizeResult;
}

/** Keeps the samples taken between `startUs` and `endUs` (the first delta is the gap from startTime). */
function windowed(profile: RawProfile, startUs: number, endUs: number): RawProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let t = profile.startTime;
  let last = startUs;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < startUs || t > endUs) continue;
    samples.push(profile.samples[i]);
    timeDeltas.push(t - last);
    last = t;
  }
  return { ...profile, startTime: startUs, endTime: endUs, samples, timeDeltas };
}

export async function profileServer(server: string, cells: number, log: (s: string) => void = () => undefined, edits?: number, serverFlags: string[] = []): Promise<ServerProfile> {
  const dir = freshResultsDir(`profile-lsp-${cells}`);
  let window: [number, number] | undefined;
  const result = await measureLsp(cells, {
    server,
    nodeFlags: [...serverFlags, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200'],
    onEditWindow: (start, end) => (window = [start, end]),
    edits,
    log,
  });
  const file = profileFileIn(dir, ' (did the server exit cleanly?)');
  if (!window) throw new Error('the server reported no edit window');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as RawProfile;
  if (window[0] < profile.startTime || window[1] > profile.endTime + 1e6) {
    throw new Error(`the edit window ${window.join('-')} µs is outside the profile ${profile.startTime}-${profile.endTime} µs: clocks differ`);
  }
  const editsFile = join(dir, 'edits-only.cpuprofile');
  writeFileSync(editsFile, JSON.stringify(windowed(profile, window[0], window[1])));
  const summary = summarizeProfile(editsFile, server);
  const idleMs = summary.selfTime.find(([k]) => k === '(idle)')?.[1] ?? 0;
  return { cells, file, editsFile, summary, idleMs, result };
}
