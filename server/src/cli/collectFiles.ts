// Expands the PATH arguments of `nbguard scan`: files as given, folders searched recursively
// for .ipynb and .py files (skipping node_modules, .git, virtual environments and checkpoints).
// Paths stay as the user wrote them, so relative stays relative.

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', '.ipynb_checkpoints', '__pycache__', '.tox', '.mypy_cache']);

export interface CollectedFiles {
  readonly files: string[];
  readonly errors: { file: string; message: string }[];
}

export function collectFiles(paths: readonly string[]): CollectedFiles {
  const files: string[] = [];
  const errors: { file: string; message: string }[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      errors.push({ file: dir, message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    for (const entry of entries) {
      const name = entry.name;
      const path = join(dir, name);
      // The folder listing says what each entry is; only a link is followed, with a stat.
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDir = statSync(path).isDirectory();
        } catch {
          continue; // a dangling link
        }
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (/\.(ipynb|py)$/i.test(name)) files.push(path);
    }
  };
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch (error) {
      errors.push({ file: p, message: `cannot read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}` });
      continue;
    }
    if (stat.isDirectory()) {
      const before = files.length;
      walk(p);
      // Scanning nothing is not a clean result: CI must not pass a job pointed at the wrong folder.
      if (files.length === before) errors.push({ file: p, message: 'holds no .ipynb or .py file' });
    } else files.push(p);
  }
  return { files, errors };
}
