// CPU profile of `node dist/cli.js redact FILE > /dev/null` (node --cpu-prof, 200 µs sampling),
// summarized with the analysis benchmark's profile reader (bundle positions mapped back to
// server/ source lines through dist/cli.js.map). The profile is kept in
// bench/results/profile-redact/ and opens in Chrome DevTools.

import { join } from 'node:path';
import { profileCli } from '../harness/cliProfile';
import { summarizeProfile, type ProfileSummary } from '../harness/cpuProfileSummary';
import { ROOT } from './config';

export function profileRedact(file: string): { summary: ProfileSummary; file: string; seconds: number } {
  const cli = join(ROOT, 'dist', 'cli.js');
  const run = profileCli('profile-redact', cli, ['redact', file]);
  return { summary: summarizeProfile(run.file, cli), ...run };
}
