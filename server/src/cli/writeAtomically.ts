// Writes a file in one step: a temporary file beside it, renamed over it, so a reader (a CI step,
// git, an editor) sees the old content or the new, never half. An existing file keeps its mode.

import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeAtomically(file: string, text: string): void {
  const mode = statSync(file, { throwIfNoEntry: false })?.mode;
  const temporary = join(dirname(file), `.${basename(file)}.nbguard-${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    if (mode !== undefined) chmodSync(temporary, mode & 0o7777);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
