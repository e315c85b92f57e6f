// The notebook model as a user sees it: cell indices (markdown cells count), lines and
// columns in .ipynb, Databricks source, percent-format and plain .py files, IPython and
// Databricks magics, and the analysis order (execution counts vs document order).

import { describe, expect, it } from 'vitest';
import { ipynbNotebook, readNotebookText } from '../server/src/analysis';
import { analyzer, databricks, findings, ipynb, located, percent, summary } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';

describe('execution order', () => {
  // Document order: print(pw) comes first; it ran second (count 2), after the secret (count 1).
  const runLater = ipynb([
    { source: 'print(pw)', count: 2 },
    { source: SECRET, count: 1 },
  ]);

  it('finds a flow that exists only in execution order, by default', async () => {
    expect(await summary('o.ipynb', runLater)).toEqual(['NBG101@0:1']);
    expect(await summary('o.ipynb', runLater, 'execution')).toEqual(['NBG101@0:1']);
  });

  it('does not find it in document order', async () => {
    expect(await summary('o.ipynb', runLater, 'document')).toEqual([]);
  });

  // The reverse: in document order pw is printed before `pw = None`, but `pw = None` ran first.
  const clearedFirst = ipynb([
    { source: SECRET, count: 1 },
    { source: 'print(pw)', count: 3 },
    { source: 'pw = None', count: 2 },
  ]);

  it('respects a later cell that cleared the secret before the print ran', async () => {
    expect(await summary('o.ipynb', clearedFirst)).toEqual([]);
    expect(await summary('o.ipynb', clearedFirst, 'document')).toEqual(['NBG101@1:1']);
  });

  it('runs never-executed cells (null or 0) after the executed ones', async () => {
    expect(await summary('o.ipynb', ipynb([{ source: 'print(pw)', count: null }, { source: SECRET, count: 1 }]))).toEqual(['NBG101@0:1']);
    expect(await summary('o.ipynb', ipynb([{ source: 'print(pw)', count: 0 }, { source: SECRET, count: 5 }]))).toEqual(['NBG101@0:1']);
  });

  it('keeps document order between cells with the same execution count', async () => {
    const ties = ipynb([
      { source: SECRET, count: 1 },
      { source: 'pw = None', count: 1 },
      { source: 'print(pw)', count: 2 },
    ]);
    expect(await summary('o.ipynb', ties)).toEqual([]);
  });

  it('follows a function defined by a cell that ran before its caller', async () => {
    const nb = ipynb([
      { source: 'show(pw)', count: 3 },
      { source: 'def show(v):\n    print(v)', count: 2 },
      { source: SECRET, count: 1 },
    ]);
    expect(await summary('o.ipynb', nb)).toEqual(['NBG101@1:2']);
  });

  it('uses cell metadata execution_count when execution_count is null', async () => {
    const cell = (source: string, n: number) => ({ cell_type: 'code', metadata: { execution_count: n }, source, execution_count: null, outputs: [] });
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('print(pw)', 2), cell(SECRET, 1)] });
    expect(await summary('m.ipynb', text)).toEqual(['NBG101@0:1']);
  });
});

describe('.ipynb cells', () => {
  it('counts markdown and raw cells in the cell index', async () => {
    const nb = ipynb([{ source: '# Title', type: 'markdown' }, SECRET, { source: 'raw text', type: 'raw' }, 'print(pw)']);
    expect(await summary('m.ipynb', nb)).toEqual(['NBG101@3:1']);
  });

  it('does not analyse markdown cells that look like code', async () => {
    expect(await summary('m.ipynb', ipynb([SECRET, { source: 'print(pw)', type: 'markdown' }]))).toEqual([]);
  });

  it('reads sources given as a list of lines', async () => {
    const text = JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'code', metadata: {}, source: [`${SECRET}\n`, 'print(pw)'], execution_count: null, outputs: [] }],
    });
    expect(await summary('l.ipynb', text)).toEqual(['NBG101@0:2']);
  });

  it('reports 1-based columns within the cell, and trace steps in other cells', async () => {
    const [f] = await findings('c.ipynb', ipynb([SECRET, 'if True:\n    x = 1\n    print(f"{x}", pw)']));
    expect(f).toMatchObject({ ruleId: 'NBG101', cell: 1, line: 3, column: 5, endLine: 3, endColumn: 22 });
    expect(f.trace).toEqual([
      { file: 'c.ipynb', cell: 0, line: 1, column: 6, message: 'source' },
      { file: 'c.ipynb', cell: 0, line: 1, column: 1, message: 'pw' },
      { file: 'c.ipynb', cell: 1, line: 3, column: 5, message: 'sink' },
    ]);
  });

  it('does not analyse a notebook whose kernel is not Python', async () => {
    expect(await summary('r.ipynb', ipynb([SECRET, 'print(pw)'], 'R'))).toEqual([]);
  });
});

describe('IPython magics', () => {
  it('masks %pip lines and keeps line numbers', async () => {
    expect(await summary('m.ipynb', ipynb([`%pip install requests\n${SECRET}\nprint(pw)`]))).toEqual(['NBG101@0:3']);
  });

  it('masks shell escapes, captured shell output and help lines', async () => {
    expect(await summary('m.ipynb', ipynb([`!ls -la\n${SECRET}\nprint(pw)`]))).toEqual(['NBG101@0:3']);
    expect(await summary('m.ipynb', ipynb([`files = !ls\n${SECRET}\nprint(pw)`]))).toEqual(['NBG101@0:3']);
    expect(await summary('m.ipynb', ipynb([`${SECRET}\nprint?\nprint(pw)`]))).toEqual(['NBG101@0:3']);
  });

  it('masks a shell escape inside an indented block', async () => {
    expect(await located('m.ipynb', ipynb([`${SECRET}\nfor i in range(2):\n    !echo hi\n    print(pw)`]))).toEqual(['NBG101@0:4:5']);
  });

  it('does not treat shell output captured into a name as a secret', async () => {
    expect(await summary('m.ipynb', ipynb([`${SECRET}\nfiles = !echo $pw\nprint(files)`]))).toEqual([]);
  });

  it('skips %%sql and %%bash cells', async () => {
    expect(await summary('m.ipynb', ipynb([SECRET, "%%sql\nSELECT * FROM t WHERE p = '{pw}'\nprint(pw)"]))).toEqual([]);
    expect(await summary('m.ipynb', ipynb([SECRET, '%%bash\necho $pw\nprint(pw)']))).toEqual([]);
  });

  it('analyses the Python body of a %%time cell, at the body line', async () => {
    expect(await located('m.ipynb', ipynb([SECRET, '%%time\nprint(pw)']))).toEqual(['NBG101@1:2:1']);
  });

  it("masks IPython's automagic lines (pip install without %), which are no syntax error", async () => {
    const text = ipynb([`pip install -U datasets\nconda install -y faiss\ncd data\n${SECRET}\nprint(pw)`, 'pip = 3\npip -1\ncd = 2\nprint(cd + pip)']);
    const result = (await analyzer()).analyze(readNotebookText('a.ipynb', text));
    expect(result.syntaxErrors).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@0:5']);
  });

  it('joins a shell escape or magic continued with a backslash, as IPython does: no syntax error', async () => {
    const text = ipynb([`!pip install -q \\\n    langchain openai \\\n    tiktoken\n%pip install a \\\n  b\n${SECRET}\nprint(pw)`]);
    const result = (await analyzer()).analyze(readNotebookText('c.ipynb', text));
    expect(result.syntaxErrors).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@0:7']);
  });
});

describe('cells that are not Python', () => {
  it('skips cells whose metadata names another language (Snowflake SQL, polyglot C#), without syntax errors', async () => {
    const text = ipynb([
      { source: SECRET },
      { source: "SELECT * FROM t WHERE p = 'x';\nprint(pw)", outputs: [] },
      { source: 'var x = 1;\nprint(pw)' },
      { source: 'print(pw)' },
    ]);
    const nb = JSON.parse(text);
    nb.cells[1].metadata = { language: 'sql', name: 'cell2' };
    nb.cells[2].metadata = { dotnet_interactive: { language: 'csharp' } };
    nb.cells[3].metadata = { language: 'python' };
    const result = (await analyzer()).analyze(readNotebookText('s.ipynb', JSON.stringify(nb)));
    expect(result.syntaxErrors).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@3:1']);
  });

  it('skips a pasted >>> session', async () => {
    const result = (await analyzer()).analyze(readNotebookText('p.ipynb', ipynb([SECRET, '>>> import os\n>>> print(pw)\n...'])));
    expect(result.syntaxErrors).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});

describe('Databricks source format', () => {
  it('splits cells on COMMAND separators and reports file lines', async () => {
    const text = databricks([SECRET, '# MAGIC %md\n# MAGIC # Title', 'print(pw)']);
    // line 1 header, 2 secret, 3 blank, 4 separator, 5 blank, 6-7 markdown, 8 blank, 9 separator, 10 blank, 11 print
    const fs = await findings('n.py', text);
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG101@2:11:1']);
    expect(fs[0].trace?.map((s) => `${s.message}@${s.cell}:${s.line}:${s.column}`)).toEqual(['source@0:2:6', 'pw@0:2:1', 'sink@2:11:1']);
  });

  it('skips %sql and %sh cells, analyses %python cells with the # MAGIC prefix taken into account, masks %pip and %run', async () => {
    const text = databricks([
      '# MAGIC %pip install requests',
      SECRET,
      "# MAGIC %sql\n# MAGIC SELECT secret('db','password')",
      '# MAGIC %python\n# MAGIC print(pw)',
      '# MAGIC %run ./other',
      '# MAGIC %sh\n# MAGIC echo $pw',
      '%pip install x\nprint(pw)',
    ]);
    const lines = text.split('\n');
    const printLines = lines.flatMap((l, i) => (l.endsWith('print(pw)') ? [i + 1] : []));
    expect(printLines).toEqual([16, 30]);
    expect(await located('n.py', text)).toEqual(['NBG101@3:16:9', 'NBG101@6:30:1']);
  });

  it('reports the column of an indented statement in a %python cell', async () => {
    const text = databricks([SECRET, '# MAGIC %python\n# MAGIC x = 1\n# MAGIC if x:\n# MAGIC     print(pw)']);
    expect(await located('n.py', text)).toEqual(['NBG101@1:9:13']);
  });

  it('reports the echo of the last expression of a Databricks cell, also in a %python cell', async () => {
    expect(await located('n.py', databricks([SECRET, 'pw']))).toEqual(['NBG101@1:6:1']);
    expect(await located('n.py', databricks([SECRET, '# MAGIC %python\n# MAGIC pw']))).toEqual(['NBG101@1:7:9']);
  });

  it('treats a DBTITLE line as a comment', async () => {
    expect(await summary('n.py', `# Databricks notebook source\n# DBTITLE 1,Load secret\n${SECRET}\nprint(pw)\n`)).toEqual(['NBG101@0:4']);
  });

  it('accepts CRLF line endings', async () => {
    const text = databricks([SECRET, 'print(pw)']).replace(/\n/g, '\r\n');
    expect(await summary('n.py', text)).toEqual(['NBG101@1:6']);
  });

  it('finds hardcoded credentials at their file line', async () => {
    const text = databricks(['x = 1', 'password = "Xy7!kq2Lm9"']);
    expect(await located('n.py', text)).toEqual(['NBG201@1:6:12']);
  });
});

describe('percent format and plain scripts', () => {
  it('text before the first # %% marker is cell 0; markdown cells count', async () => {
    const text = `import os\n${SECRET}\n\n# %%\nx = 1\n\n# %% [markdown]\n# print(pw)\n\n# %%\nprint(pw)\n`;
    expect(await summary('p.py', text)).toEqual(['NBG101@3:11']);
  });

  it('a file starting with # %% has no extra cell', async () => {
    // lines: 1 `# %%`, 2 secret, 3 blank, 4 `# %%`, 5 print
    expect(await summary('p.py', percent([SECRET, 'print(pw)']))).toEqual(['NBG101@1:5']);
  });

  it('skips %%sql cells and masks ! lines in percent format', async () => {
    const text = `# %%\n${SECRET}\n# %%\n%%sql\nSELECT 1\n# %%\n!pip install x\nprint(pw)\n`;
    expect(await summary('p.py', text)).toEqual(['NBG101@2:8']);
  });

  it('trace steps of a cross-cell function call carry file lines and cells of a percent file', async () => {
    const text = "# %%\nimport os\ntok = os.environ['HF_TOKEN']\n\n# %%\ndef show(v):\n    print(v)\n\n# %%\nshow(tok)\n";
    const [f] = await findings('p.py', text);
    expect(f).toMatchObject({ ruleId: 'NBG101', cell: 1, line: 7, column: 5, message: 'Secret from os.environ["HF_TOKEN"] reaches print()' });
    expect(f.trace?.map((s) => `${s.message}@${s.cell}:${s.line}:${s.column}`)).toEqual([
      'source@0:3:7',
      'tok@0:3:1',
      'argument "v" of show()@2:10:6',
      'sink@1:7:5',
    ]);
  });

  it('a plain .py file is cell 0 with file lines', async () => {
    expect(await summary('s.py', `${SECRET}\n\nprint(pw)\n`)).toEqual(['NBG101@0:3']);
  });

  it('reads the format from the content, not only the extension', () => {
    expect(readNotebookText('a.py', databricks(['x = 1', 'y = 2'])).format).toBe('databricks');
    expect(readNotebookText('a.py', percent(['x = 1'])).format).toBe('percent');
    expect(readNotebookText('a.py', 'x = 1\n').format).toBe('plain');
  });

  it('a plain .py script has no cell output, so its last expression is not an echo', async () => {
    const script = 'tok = dbutils.secrets.get("s", "t")\ntok\n';
    expect(await summary('plain.py', script)).toEqual([]);
    expect(await summary('percent.py', `# %%\n${script}`)).toEqual(['NBG101@0:3']);
  });
});

describe('ipynbNotebook with a memo (an editor handing the same raw cells between keystrokes)', () => {
  it('gives the same Cell for the same raw cell at the same index, a new one when it moved or changed', () => {
    const a = { cell_type: 'code', source: 'pw = dbutils.secrets.get("s", "k")', metadata: {}, outputs: [], execution_count: null };
    const b = { cell_type: 'code', source: 'print(pw)', metadata: {}, outputs: [], execution_count: null };
    const memo = new WeakMap();
    const doc = (cells: object[]) => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
    const first = ipynbNotebook('n.ipynb', doc([a, b]), memo);
    const again = ipynbNotebook('n.ipynb', doc([a, b]), memo);
    expect(again.cells[0]).toBe(first.cells[0]);
    expect(again.cells[1]).toBe(first.cells[1]);
    const edited = { ...b, source: 'print(pw[-4:])' };
    const third = ipynbNotebook('n.ipynb', doc([a, edited]), memo);
    expect(third.cells[0]).toBe(first.cells[0]);
    expect(third.cells[1]).not.toBe(first.cells[1]);
    expect(third.cells[1].code).toBe('print(pw[-4:])');
    const moved = ipynbNotebook('n.ipynb', doc([b, a]), memo);
    expect(moved.cells[0]).not.toBe(first.cells[1]);
    expect(moved.cells.map((c) => c.index)).toEqual([0, 1]);
    // Another notebook language: the same raw cell is read again (an R notebook's cell is skipped).
    const r = ipynbNotebook('n.ipynb', { ...doc([a, b]), metadata: { kernelspec: { language: 'R' } } }, memo);
    expect(r.cells[0]).not.toBe(first.cells[0]);
    expect(r.cells[0].skipReason).toBe('r notebook');
  });
});
