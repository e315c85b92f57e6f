// The incremental dataflow (roll back to the first changed cell, replay earlier findings) must
// always agree with a fresh analysis. Random edits, leaks added and removed, execution counts
// changed and cells moved on a generated notebook, compared after every step.

import { describe, expect, it } from 'vitest';
import { readNotebookText, type Cell } from '../server/src/analysis';
import { editCell, generateNotebookText, prng } from '../bench/generateNotebook';
import { analyzer } from './helpers';

const EDITS = [
  (src: string) => `${src}\nprint(db_password)`,
  (src: string) => `db_password = None\n${src}`,
  (src: string) => `${src}\ntoken = dbutils.secrets.get("s", "t")`,
  (src: string) => `${src}\nlogger.info(token)`,
  (src: string) => src.split('\n').slice(1).join('\n'),
  (src: string) => `${src}\ndef helper_${src.length}(x):\n    print(x)\nhelper_${src.length}(token)`,
  (src: string) => `${src}\nif (`, // a syntax error while typing
];

describe('incremental analysis', () => {
  it.each([99, 7, 2024])('agrees with a fresh analysis after every one of 60 random edits (seed %i)', async (seed) => {
    const a = await analyzer();
    const text = generateNotebookText(40, seed);
    const nb = a.open(readNotebookText('gen.ipynb', text));
    const r = prng(seed);
    let cells: Cell[] = [...nb.cells];
    // Stable identities, as an editor's cell URIs: they move with their cells.
    let keys = cells.map((_, i) => `cell-${i}`);
    nb.setCells(cells, keys);
    const code = () => cells.filter((c) => c.kind === 'code').map((c) => c.index);
    for (let step = 0; step < 60; step++) {
      const codeCells = code();
      const index = codeCells[Math.floor(r() * codeCells.length)];
      const kind = r();
      if (kind < 0.3) {
        const edit = r() < 0.5 ? (s: string) => editCell(s, r) : EDITS[Math.floor(r() * EDITS.length)];
        nb.updateCell(index, edit(nb.cells[index].code));
      } else if (kind < 0.6) {
        // the language server's way: the whole cell list with keys, one cell's text changed
        const edit = r() < 0.5 ? (s: string) => editCell(s, r) : EDITS[Math.floor(r() * EDITS.length)];
        const parses = nb.parses;
        nb.setCells(nb.cells.map((c) => (c.index === index ? { ...c, code: edit(c.code) } : c)), keys);
        expect(nb.parses - parses).toBeLessThanOrEqual(1);
      } else if (kind < 0.8) {
        nb.setExecutionCount(index, r() < 0.3 ? null : 1 + Math.floor(r() * 80));
      } else {
        // move a cell to another place: indices follow document order
        const moved = [...nb.cells];
        const movedKeys = [...keys];
        const [cell] = moved.splice(index, 1);
        const [key] = movedKeys.splice(index, 1);
        const to = Math.floor(r() * moved.length);
        moved.splice(to, 0, cell);
        movedKeys.splice(to, 0, key);
        keys = movedKeys;
        const parses = nb.parses;
        nb.setCells(moved.map((c, i) => ({ ...c, index: i })), keys);
        expect(nb.parses, 'a move re-parses nothing').toBe(parses);
      }
      cells = [...nb.cells];
      const incremental = nb.analyze().findings;
      const fresh = a.analyze({ path: 'gen.ipynb', format: 'ipynb', cells });
      expect(incremental, `step ${step}`).toEqual(fresh.findings);
    }
    nb.dispose();
  });

  it.each([5, 31])('a Databricks source file re-read after every edit agrees with a fresh analysis (seed %i): cells shift, values computed again are the same', async (seed) => {
    // The language server re-reads a .py file whole on every change: the cells after an edit get
    // new first lines, and an edited cell that computes what it computed before must not leave
    // stale places in the findings replayed from the cells after it.
    const a = await analyzer();
    const r = prng(seed);
    const sources = readNotebookText('gen.ipynb', generateNotebookText(30, seed)).cells.filter((c) => c.kind === 'code').map((c) => c.code);
    const text = () => `# Databricks notebook source\n${sources.join('\n\n# COMMAND ----------\n\n')}\n`;
    const SAME = [(src: string) => `${src}\n# a note`, (src: string) => `# a note\n${src}`, (src: string) => `${src}\nunused_${src.length % 7} = 1`, (src: string) => `${src}\n\n`];
    const nb = a.open(readNotebookText('gen.py', text()));
    nb.analyze();
    for (let step = 0; step < 40; step++) {
      const i = Math.floor(r() * sources.length);
      const edits = r() < 0.6 ? SAME : EDITS;
      sources[i] = edits[Math.floor(r() * edits.length)](sources[i]);
      const reread = readNotebookText('gen.py', text());
      nb.setCells(reread.cells);
      const incremental = nb.analyze().findings;
      expect(incremental, `step ${step}`).toEqual(a.analyze(reread).findings);
    }
    nb.dispose();
  });
});
