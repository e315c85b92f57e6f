// The incremental API the language server uses: replacing one cell re-parses that cell only,
// and the result always equals a fresh analysis of the same notebook.

import { describe, expect, it } from 'vitest';
import { readNotebookText } from '../server/src/analysis';
import { analyzer, ipynb } from './helpers';

const summary = (fs: { ruleId: string; cell: number; line: number }[]) => fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}`);

describe('NotebookAnalysis', () => {
  const source = ['pw = dbutils.secrets.get("s", "k")', 'x = 1', { source: '# Notes', type: 'markdown' as const }, 'print(x)', 'y = 2'];

  it('re-parses only the edited cell and agrees with a fresh analysis', async () => {
    const a = await analyzer();
    const nb = a.open(readNotebookText('n.ipynb', ipynb(source)));
    expect(nb.parses).toBe(4); // code cells only
    expect(summary(nb.analyze().findings)).toEqual([]);

    nb.updateCell(1, 'x = f"pw={pw}"');
    expect(nb.parses).toBe(5);
    expect(summary(nb.analyze().findings)).toEqual(['NBG101@3:1']);
    const fresh = a.analyze(readNotebookText('n.ipynb', ipynb(['pw = dbutils.secrets.get("s", "k")', 'x = f"pw={pw}"', { source: '# Notes', type: 'markdown' }, 'print(x)', 'y = 2'])));
    expect(nb.analyze().findings).toEqual(fresh.findings);

    nb.updateCell(1, 'x = f"pw={pw}"'); // same text: nothing to do
    expect(nb.parses).toBe(5);
    nb.updateCell(1, 'x = "clean"');
    expect(summary(nb.analyze().findings)).toEqual([]);
    nb.dispose();
  });

  it('keeps parses of cells that moved and follows a new execution order', async () => {
    const a = await analyzer();
    const nb = a.open(readNotebookText('n.ipynb', ipynb(['print(tok)', 'tok = dbutils.secrets.get("s", "t")'])));
    expect(summary(nb.analyze().findings)).toEqual([]); // never executed: document order, print runs first
    nb.setExecutionCount(1, 1);
    nb.setExecutionCount(0, 2);
    expect(summary(nb.analyze().findings)).toEqual(['NBG101@0:1']);

    const parsesBefore = nb.parses;
    const [first, second] = nb.cells;
    nb.setCells([{ ...second, index: 0, executionCount: null }, { ...first, index: 1, executionCount: null }]);
    expect(nb.parses).toBe(parsesBefore);
    expect(summary(nb.analyze().findings)).toEqual(['NBG101@1:1']);
    nb.dispose();
  });

  it('can switch to document order', async () => {
    const a = await analyzer();
    const cells = [{ source: 'print(tok)', count: 2 }, { source: 'tok = dbutils.secrets.get("s", "t")', count: 1 }];
    const nb = a.open(readNotebookText('n.ipynb', ipynb(cells)));
    expect(summary(nb.analyze().findings)).toEqual(['NBG101@0:1']);
    nb.setOrder('document');
    expect(summary(nb.analyze().findings)).toEqual([]);
    nb.dispose();
  });
});
