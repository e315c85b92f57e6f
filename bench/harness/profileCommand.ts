// CPU profiling of the analysis: runs a timing child under `node --cpu-prof` for one size and
// phase (full analysis or edits), keeps the profile in bench/results/ and summarizes it. Used by
// the `profile` command and by `--write` / `--profile` runs for the report.
//
//   node bench/run.mjs profile --cells 300 --phase full|edit [--top 25]

import { runChild } from './childProcesses';
import { freshResultsDir, profileFileIn } from './cliProfile';
import { profileText, summarizeProfile, type ProfileSummary } from './cpuProfileSummary';

/** CPU-profiles a timing child (one phase, one size) and summarizes the profile. */
export function profilePhase(cells: number, phase: 'full' | 'edit'): ProfileSummary {
  const dir = freshResultsDir(`profile-${cells}-${phase}`);
  runChild(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200'], ['--child', 'timing', '--cells', String(cells), '--phase', phase]);
  return summarizeProfile(profileFileIn(dir), process.argv[1]);
}

/** `profile --cells N --phase full|edit [--top K]`: prints the summary of one profile. */
export function profileCommand(args: string[]): void {
  const value = (flag: string, d: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : d;
  };
  const phase = value('--phase', 'full');
  if (phase !== 'full' && phase !== 'edit') throw new Error('--phase is full or edit');
  console.log(profileText(profilePhase(Number(value('--cells', '300')), phase), Number(value('--top', '25'))));
}
