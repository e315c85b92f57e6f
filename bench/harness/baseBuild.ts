// The code of an earlier commit, built, for benchmarks that compare it side by side with this
// checkout in one run: a git worktree in the temporary folder (kept between runs), sharing the
// repository's node_modules.

import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './config';

/** The dist/ folder of the code at `rev`, built once. */
export function builtAt(rev: string): string {
  const dir = join(os.tmpdir(), `nbguard-base-${rev}`);
  if (!existsSync(join(dir, 'dist', 'server.js'))) {
    rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['worktree', 'prune'], { cwd: ROOT, stdio: 'ignore' });
    execFileSync('git', ['worktree', 'add', '--force', '--detach', dir, rev], { cwd: ROOT, stdio: 'ignore' });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'ignore' });
  }
  return join(dir, 'dist');
}
