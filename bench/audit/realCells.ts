// Real notebook code for the audit benchmark's sessions: a session that runs consecutive code
// cells of one public notebook (bench/realworld's corpus, or any folder of .ipynb files), as a
// workspace's sessions mostly run code that reads no secret. Read at generation time, never
// stored in the repository. Without a folder the log holds only the generator's sessions.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptCommand } from './sessionScript';

/** The code cells of each notebook under `dir` (sorted paths: the same pool for the same folder). */
export function loadRealCells(dir: string, maxNotebooks = 5000): string[][] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ipynb')) files.push(p);
    }
  };
  walk(dir);
  const pool: string[][] = [];
  for (const f of files.slice(0, maxNotebooks)) {
    try {
      const nb = JSON.parse(readFileSync(f, 'utf8')) as { cells?: { cell_type?: string; source?: string | string[] }[] };
      const cells = (nb.cells ?? []).filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : String(c.source ?? ''))).filter((t) => t.trim() !== '' && t.length < 64 * 1024);
      if (cells.length > 0) pool.push(cells);
    } catch {
      // not a notebook: skip it
    }
  }
  return pool;
}

/** A session of real cells: `length` consecutive cells of one notebook (from a random start). */
export class RealCellScript {
  private position = 0;
  private readonly cells: string[];

  constructor(pool: readonly string[][], pick: (n: number) => number, length: number) {
    const notebook = pool[pick(pool.length)];
    const start = notebook.length > length ? pick(notebook.length - length + 1) : 0;
    this.cells = notebook.slice(start, start + length);
  }

  get done(): boolean {
    return this.position >= this.cells.length;
  }

  next(): ScriptCommand {
    return { text: this.cells[this.position++], kind: 'code', planted: {} };
  }
}
