// Syntax-error recovery (server/src/analysis/parse/recovery.ts): a broken statement loses only
// its own facts, rows and columns stay the cell's, and the work stays linear: a handful of
// parser calls for one error in thousands of lines (counted, never timed).

import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CellFacts, Stmt } from '../server/src/analysis/lower/ir';
import { ParsedCell } from '../server/src/analysis/parse/cellParser';
import { initPython, newPythonParser } from '../server/src/analysis/parse/pythonParser';
import { statementGroups } from '../server/src/analysis/parse/statementGroups';
import { cells } from './helpers';
import { nodeParserWasm } from '../server/src/node/assets';

let parser: Parser;
let calls = 0;

/** The real parser, counting its parse() calls. */
function countingParser(): Parser {
  return new Proxy(parser, {
    get(target, key) {
      if (key === 'parse') return (...args: Parameters<Parser['parse']>) => (calls++, target.parse(...args));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function parse(code: string): { facts: CellFacts; parses: number } {
  calls = 0;
  const cell = new ParsedCell(countingParser(), 'c', code);
  const facts = cell.facts;
  cell.dispose();
  return { facts, parses: calls };
}

/** Top-level assignment targets with their rows: `name@row`. */
function assigned(body: readonly Stmt[]): string[] {
  return body.flatMap((s) => (s.k === 'assign' ? s.targets.map((t) => `${t.k === 'name' ? t.id : '?'}@${s.span.r}`) : []));
}

const lines = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join('\n');

beforeAll(async () => {
  await initPython(nodeParserWasm());
  parser = newPythonParser();
});

describe('statement-by-statement recovery', () => {
  it('keeps every statement after `if x` (no colon) with the rows of the cell', () => {
    const { facts } = parse(`if x\nprint(secret)\n${lines(5, (i) => `v${i} = ${i}`)}\n`);
    expect(assigned(facts.body)).toEqual(['v0@2', 'v1@3', 'v2@4', 'v3@5', 'v4@6']);
    expect(facts.syntaxErrors.map((e) => e.r)).toEqual([0]);
  });

  it('loses only the broken statement in the middle, columns included', () => {
    const { facts } = parse('a = 1\n  \nb = = 2\nc  = 3\nif y\nd = 4');
    // `b = = 2` still says what it can (as before: the broken statement is lowered on its own).
    expect(assigned(facts.body)).toEqual(['a@0', 'b@2', 'c@3', 'd@5']);
    expect(facts.syntaxErrors.map((e) => e.r)).toEqual([2, 4]);
    const c = facts.body.find((s) => s.k === 'assign' && s.span.r === 3)!;
    expect(c.k === 'assign' && c.value.span).toEqual({ r: 3, c: 5, er: 3, ec: 6 });
  });

  it('takes a handful of parses, not one per statement, for one error above 20,000 lines', () => {
    const { facts, parses } = parse(`if x\n${lines(20_000, (i) => `a${i} = ${i}`)}`);
    expect(facts.body).toHaveLength(20_000);
    expect(assigned(facts.body.slice(-1))).toEqual(['a19999@20000']);
    // The cell's own parse, the broken group alone, then runs doubling in length: ~2 + log2(20,000).
    expect(parses).toBeLessThanOrEqual(20);
  });

  it('finds an error in the middle and at the end with a few dozen parses', () => {
    for (const code of [`${lines(5000, (i) => `a${i} = ${i}`)}\nif x\n${lines(5000, (i) => `b${i} = ${i}`)}`, `${lines(10_000, (i) => `a${i} = ${i}`)}\nfoo(`]) {
      const { facts, parses } = parse(code);
      expect(facts.body).toHaveLength(10_000);
      expect(facts.syntaxErrors).toHaveLength(1);
      expect(parses).toBeLessThanOrEqual(40);
    }
  });

  it('stays linear in parser calls when every other statement is broken', () => {
    const { facts, parses } = parse(lines(1000, (i) => (i % 2 ? `if x${i}` : `a${i} = ${i}`)));
    expect(assigned(facts.body)).toHaveLength(500);
    expect(facts.syntaxErrors).toHaveLength(500);
    expect(parses).toBeLessThanOrEqual(3 * 1000);
  });

  it('keeps multi-line statements whole and handles an unclosed bracket holding the rest', () => {
    const { facts } = parse('x = foo(\n  1,\n  2)\nif y\nz = """a\nb"""\n');
    expect(assigned(facts.body)).toEqual(['x@0', 'z@4']);
    expect(statementGroups('x = foo(\n  1,\n  2)\nif y\nz = """a\nb"""\n')).toEqual([0, 3, 4]);
    const unclosed = parse(`print(\n${lines(3000, (i) => `a${i} = ${i}`)}`);
    expect(unclosed.facts.syntaxErrors.length).toBeGreaterThan(0);
  });

  it('keeps the echo `;` and the suppressions of a broken cell', () => {
    const { facts } = parse('if x\ny = 1  # nbguard: ignore[NBG101]\ny;');
    const last = facts.body[facts.body.length - 1];
    expect(last.k === 'expr' && last.semicolon).toBe(true);
    expect(facts.suppressions.get(1)).toEqual(new Set(['NBG101']));
  });

  it('re-parses incrementally into and out of a syntax error, agreeing with a fresh parse', () => {
    const base = lines(300, (i) => `a${i} = ${i}`);
    const cell = new ParsedCell(parser, 'e', base);
    for (const text of [`if x\n${base}`, `if x:\n${base}`, base, `${base}\nfoo(`, `${base}\nfoo()`]) {
      cell.update(text);
      const fresh = new ParsedCell(parser, 'e', text);
      expect(cell.facts.body).toEqual(fresh.facts.body);
      expect(cell.facts.syntaxErrors).toEqual(fresh.facts.syntaxErrors);
      fresh.dispose();
    }
    cell.dispose();
  });

  it('still finds a leak below a broken line in a notebook', async () => {
    expect(await cells(`import os\nif x\nprint(os.environ["API_TOKEN"])\n${lines(2000, (i) => `a${i} = ${i}`)}`)).toContain('NBG101@0:3');
  });
});
