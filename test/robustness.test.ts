// Pathological code never takes the analysis down: a cell nested deeper than the stack is
// skipped with a note, a cell that does not parse keeps its other statements, and the other
// cells are analysed as usual.

import { describe, expect, it } from 'vitest';
import { readNotebookText } from '../server/src/analysis';
import { analyzer, percent } from './helpers';

describe('robustness', () => {
  it('analyses a 60,000-term concatenation (lowered as a balanced chain), secret included', async () => {
    const long = `x = ${Array.from({ length: 60_000 }, () => '"a"').join(' + ')} + pw`;
    const text = percent(['pw = dbutils.secrets.get("a", "b")', long, 'print(pw)\nprint(x)']);
    const result = (await analyzer()).analyze(readNotebookText('deep.py', text));
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@2:8', 'NBG101@2:9']);
    expect(result.syntaxErrors).toEqual([]);
  });

  it('skips only the statement nested too deeply and says so', async () => {
    const deep = `x = ${'('.repeat(5_000)}pw${')'.repeat(5_000)}`;
    const text = percent(['pw = dbutils.secrets.get("a", "b")', `${deep}\nprint(pw)`]);
    const result = (await analyzer()).analyze(readNotebookText('deep.py', text));
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@1:6']);
    expect(result.syntaxErrors.map((p) => `${p.cell}:${p.line}: ${p.message}`)).toEqual([
      '1:5: this statement is nested more than 200 levels deep and was not analysed; the rest of the cell was',
    ]);
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
