// What each benchmark's --write does with its report: writes the generated markdown to a file
// of the repository (docs/performance*.md), creating the folder if need be.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './config';

/** Writes `text` to `path` (relative to the repository root) and returns the absolute path. */
export function writeDoc(path: string, text: string): string {
  const out = join(ROOT, path);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  return out;
}
