// The `generate` command of the benchmark runner: writes a generated notebook to a file (or
// stdout), to look at or to try the analysis on.
//
//   node bench/run.mjs generate --cells 300 [--seed 20240601] [--out notebook.ipynb]

import { writeFileSync } from 'node:fs';
import { DEFAULT_SEED, generateNotebook } from '../generateNotebook';

/** `generate --cells N [--seed S] [--out file]`: writes the notebook (stdout without --out). */
export function generateCommand(args: readonly string[]): void {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const cells = Number(value('--cells') ?? 300);
  const seed = Number(value('--seed') ?? DEFAULT_SEED);
  if (!Number.isInteger(cells) || cells < 1) throw new Error('--cells must be a positive integer');
  const nb = generateNotebook({ codeCells: cells, seed });
  const out = value('--out');
  if (out) {
    writeFileSync(out, nb.text);
    console.error(`${out}: ${nb.codeCells} code cells, ${nb.markdownCells} markdown cells, ${nb.codeLines} lines of code, planted ${JSON.stringify(nb.planted)}`);
  } else process.stdout.write(nb.text);
}
