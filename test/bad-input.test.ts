// Bad input: broken JSON, unsupported nbformat, unknown extensions (NotebookInputError with a
// useful message), cells that do not parse (the rest is still analysed) and huge cells.

import { describe, expect, it } from 'vitest';
import { NotebookInputError, readNotebookText } from '../server/src/analysis';
import { analyzer, cells, ipynb, summary } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';

function inputError(path: string, text: string): NotebookInputError {
  try {
    readNotebookText(path, text);
  } catch (error) {
    expect(error).toBeInstanceOf(NotebookInputError);
    return error as NotebookInputError;
  }
  throw new Error(`readNotebookText(${path}) did not throw`);
}

describe('unreadable notebooks', () => {
  it('broken JSON: the error names the line and column', () => {
    const e = inputError('b.ipynb', '{\n  "nbformat": 4,\n  "cells": [\n    {"cell_type": "code",, }\n  ]\n}');
    expect(e.file).toBe('b.ipynb');
    expect(e.message).toMatch(/^not valid JSON at line 4, column \d+/);
  });

  it('truncated JSON: the error names the last line', () => {
    const e = inputError('b.ipynb', '{\n  "nbformat": 4,\n  "cells": [');
    expect(e.message).toMatch(/^not valid JSON at line 3\b/);
  });

  it('nbformat 3 is refused with a hint to convert', () => {
    const e = inputError('old.ipynb', JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [{ cells: [] }] }));
    expect(e.message).toMatch(/nbformat 3/);
    expect(e.message).toMatch(/nbconvert/);
    // A field that is not a number is never quoted: it may hold anything (fuzzing put a token there).
    const token = 'dapi9b2e7d41c6f08a35e1d4b9c72f0a6e13';
    expect(inputError('b.ipynb', JSON.stringify({ nbformat: token, cells: [] })).message).toBe(
      'unsupported nbformat of type string: only nbformat 4 is read (convert with "jupyter nbconvert --to notebook --nbformat 4")',
    );
  });

  it('JSON that is not a notebook', () => {
    expect(inputError('b.ipynb', '[]').message).toMatch(/not a Jupyter notebook/);
    expect(inputError('b.ipynb', JSON.stringify({ nbformat: 4, cells: {} })).message).toMatch(/"cells" is not a list/);
    expect(inputError('b.ipynb', JSON.stringify({ cells: [] })).message).toMatch(/nbformat missing/);
  });

  it('an unknown extension is refused', () => {
    const e = inputError('notes.txt', 'print(1)');
    expect(e.message).toMatch(/unknown format/);
    expect(e.message).toMatch(/\.ipynb/);
  });

  it('empty notebooks and files have no findings', async () => {
    expect(await summary('e.ipynb', ipynb([]))).toEqual([]);
    expect(await summary('e.py', '')).toEqual([]);
  });
});

describe('cells that do not parse', () => {
  it('the other cells are still analysed', async () => {
    expect(await cells(SECRET, 'def broken(:\n    pass', 'print(pw)')).toEqual(['NBG101@2:1']);
  });

  it('a syntax error is reported as a syntax problem, not a finding', async () => {
    const result = (await analyzer()).analyze(readNotebookText('b.ipynb', ipynb([SECRET, 'x = = 1', 'print(pw)'])));
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@2:1']);
    expect(result.syntaxErrors.map((p) => p.cell)).toContain(1);
  });

  it('statements before and after a broken line in the same cell are analysed', async () => {
    expect(await cells(`${SECRET}\nprint(pw)\nx = = 1\nprint(pw)`)).toEqual(['NBG101@0:2', 'NBG101@0:4']);
    expect(await cells(`${SECRET}\ndef f(:\n    pass\nprint(pw)`)).toEqual(['NBG101@0:4']);
    expect(await cells(`${SECRET}\nfor x in :\n    pass\nprint(pw)`)).toEqual(['NBG101@0:4']);
    expect(await cells(`${SECRET}\nx = 'abc\nprint(pw)`)).toEqual(['NBG101@0:3']);
    expect(await cells(`${SECRET}\nprint 'hello'\nprint(pw)`)).toEqual(['NBG101@0:3']);
  });

  it('a function defined in a cell with a syntax error elsewhere still works', async () => {
    expect(await cells('def show(v):\n    print(v)\nx = = 1', SECRET, 'show(pw)')).toEqual(['NBG101@0:2']);
  });

  it('a statement after an if header missing its colon is analysed', async () => {
    expect(await cells(`${SECRET}\nif x\n    y = 1\nprint(pw)`)).toEqual(['NBG101@0:4']);
  });
});

describe('large input', () => {
  it('analyses a 20,000-line cell without crashing and finds the flow at its end', async () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `x${i} = ${i}`).join('\n');
    const started = Date.now();
    expect(await cells(`${SECRET}\n${body}\nprint(pw)`)).toEqual(['NBG101@0:20002']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('analyses a notebook with many cells', async () => {
    const many = Array.from({ length: 500 }, (_, i) => `v${i} = ${i}`);
    expect(await cells(SECRET, ...many, 'print(pw)')).toEqual(['NBG101@501:1']);
  });
});
