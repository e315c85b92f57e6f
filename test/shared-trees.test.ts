// Two threads parsing one notebook's cells (server/src/analysis/parse/sharedTrees.ts), played
// out on one thread in an order the two could take: the main thread claims some cells before
// the helper gets going, the helper parses the others, the main thread takes the helper's trees.
// The facts of every cell must be those the main thread computes alone; a cell the helper
// cannot give a clean tree for is the main thread's; and nobody parses a cell twice.

import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParsedCell } from '../server/src/analysis/parse/cellParser';
import { initPython, newPythonParser, pythonLanguage } from '../server/src/analysis/parse/pythonParser';
import { HELPER_MAX_CELL, newTreeJob, parseAhead, SharedTrees, type TreeJob } from '../server/src/analysis/parse/sharedTrees';
import { nodeParserWasm } from '../server/src/node/assets';

let main: Parser;
let helper: Parser;

beforeAll(async () => {
  await initPython(nodeParserWasm());
  main = newPythonParser();
  helper = newPythonParser();
});

const CODES = [
  'import requests\ntoken = dbutils.secrets.get("s", "k")',
  'def send(x, *, h=None):\n    """doc"""\n    return requests.post("https://e.com", json=x, headers=h)',
  'show = lambda v: print(v)\nshow(token)',
  'class K:\n    def m(self):\n        return [y for y in range(3) if y]',
  's = "日本語 🔑"  # 注釈\r\nprint(s)',
  'if token\n    print(token',
  'x = 1',
  'x = 1',
  'headers = {"Authorization": f"Bearer {token}"}\nsend({"a": 1}, h=headers);',
  '',
  'match token:\n    case "a" | "b": pass\n    case _: print(token)',
];

/** The facts of each code as the main thread alone computes them. */
function alone(codes: readonly string[]): unknown[] {
  return codes.map((code, i) => new ParsedCell(main, String(i), code).facts);
}

/** Main claims the first `first` cells, the helper parses the others, main takes them. */
function together(job: TreeJob, first: number): { facts: unknown[]; trees: SharedTrees; parsed: number } {
  const trees = new SharedTrees(job, pythonLanguage());
  const facts: unknown[] = job.codes.slice(0, first).map((code, i) => new ParsedCell(main, String(i), code, undefined, trees).facts);
  const parsed = parseAhead(helper, job);
  for (let i = first; i < job.codes.length; i++) facts.push(new ParsedCell(main, String(i), job.codes[i], undefined, trees).facts);
  trees.finish();
  return { facts, trees, parsed };
}

describe('cells parsed on two threads', () => {
  it('give the facts one thread gives, the helper taking the cells the main thread did not claim', () => {
    for (const first of [0, 3, CODES.length]) {
      const { facts, trees, parsed } = together(newTreeJob(CODES), first);
      expect(facts).toEqual(alone(CODES));
      // The broken cell (index 5) is declined when the helper reaches it: error recovery is the main thread's.
      const helperCells = CODES.length - first - (first <= 5 ? 1 : 0);
      expect(parsed).toBe(helperCells);
      expect(trees.fromHelper).toBe(helperCells);
    }
  });

  it('the helper skips the cells the main thread claimed, and after finish() parses nothing', () => {
    const job = newTreeJob(CODES);
    const trees = new SharedTrees(job, pythonLanguage());
    const facts = [CODES[0], CODES[1]].map((code, i) => new ParsedCell(main, String(i), code, undefined, trees).facts);
    expect(facts).toEqual(alone(CODES.slice(0, 2)));
    trees.finish();
    expect(parseAhead(helper, job)).toBe(0);
    expect(trees.fromHelper).toBe(0);
  });

  it('a cell over HELPER_MAX_CELL is declined by the helper and parsed by the main thread', () => {
    const big = `rows = [\n${'    "row",\n'.repeat(Math.ceil(HELPER_MAX_CELL / 11))}]`;
    expect(big.length).toBeGreaterThan(HELPER_MAX_CELL);
    const codes = ['a = 1', big, 'c = 3'];
    const { facts, trees, parsed } = together(newTreeJob(codes), 0);
    expect(facts).toEqual(alone(codes));
    expect(parsed).toBe(2);
    expect(trees.fromHelper).toBe(2);
  });

  it('an arena too small for a tree: the helper declines the cell and the main thread parses it', () => {
    const codes = ['a = 1', `b = [${Array.from({ length: 400 }, (_, i) => i).join(', ')}]`, 'c = 3'];
    const full = newTreeJob(codes);
    const job: TreeJob = { ...full, arena: new SharedArrayBuffer(1024) };
    const { facts, trees, parsed } = together(job, 0);
    expect(facts).toEqual(alone(codes));
    expect(parsed).toBe(2);
    expect(trees.fromHelper).toBe(2);
  });

  it('a cell the helper is still parsing is waited for briefly, then parsed here; a helper that kept it waiting is not waited for again', () => {
    const codes = ['a = 1', 'b = 2', 'c = 3'];
    const job = newTreeJob(codes);
    const states = new Int32Array(job.states);
    states[0] = states[1] = 1; // the helper's "parsing", and it never says more
    const trees = new SharedTrees(job, pythonLanguage());
    let started = performance.now();
    expect(trees.take('a = 1')).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(1.9);
    started = performance.now();
    expect(trees.take('b = 2')).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1.9);
    // A cell nobody started is the main thread's.
    expect(trees.take('c = 3')).toBeUndefined();
    expect(states[2]).toBe(3);
  });

  it('repeated cells each take a tree of their own text', () => {
    const codes = ['x = 1', 'y = 2', 'x = 1', 'y = 2'];
    const { facts, trees } = together(newTreeJob(codes), 1);
    expect(facts).toEqual(alone(codes));
    expect(trees.fromHelper).toBe(3);
  });
});
