// Chooses the reader for a file by its name and content, so callers never care which
// notebook format they hold.

import { NotebookInputError } from './errors';
import { parseIpynb } from './ipynb';
import type { Notebook } from './model';
import { parsePythonNotebook } from './pythonSource';

export function isNotebookPath(path: string): boolean {
  return /\.(ipynb|py)$/i.test(path);
}

/** Reads notebook text that came from `path` (the name decides the format). */
export function readNotebookText(path: string, text: string): Notebook {
  if (/\.ipynb$/i.test(path)) return parseIpynb(path, text);
  if (/\.py$/i.test(path)) return parsePythonNotebook(path, text);
  throw new NotebookInputError(path, 'unknown format: nbguard reads .ipynb and .py notebooks');
}
