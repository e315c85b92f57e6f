// Pathological code never takes the analysis down: a cell nested deeper than the stack is
// skipped with a note, a cell that does not parse keeps its other statements, and the other
// cells are analysed as usual.

import { describe, expect, it } from 'vitest';
import { readNotebookText } from '../server/src/analysis';
import { analyzer, percent } from './helpers';

describe('robustness', () => {
  it('skips a cell nested too deeply and analyses the rest', async () => {
    const deep = `x = ${Array.from({ length: 60_000 }, () => '"a"').join(' + ')}`;
    const text = percent(['pw = dbutils.secrets.get("a", "b")', deep, 'print(pw)']);
    const result = (await analyzer()).analyze(readNotebookText('deep.py', text));
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@2:8']);
    expect(result.syntaxErrors.map((p) => `${p.cell}: ${p.message}`)).toEqual(['1: the cell is nested too deeply to analyse; it was skipped']);
  });

  it('keeps analysing statements after a syntax error in the same cell', async () => {
    const text = percent(['pw = dbutils.secrets.get("a", "b")', 'def f(:\n    pass\nprint(pw)']);
    const result = (await analyzer()).analyze(readNotebookText('broken.py', text));
    // cell 1 is lines 4-7: `# %%`, `def f(:`, `    pass`, `print(pw)`
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@1:7']);
    expect(result.syntaxErrors.length).toBeGreaterThan(0);
    expect(result.syntaxErrors[0]).toMatchObject({ cell: 1, line: 5 });
  });
});
