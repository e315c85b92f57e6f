// The flat copy of a syntax tree (server/src/analysis/parse/flatTree.ts) says exactly what
// web-tree-sitter's node objects say: every node's type, whether it is named or missing, its
// field, its offsets, rows and columns (in UTF-16 code units, on lines split at '\n' only), in
// the same order, for clean code, broken code, non-ASCII text and trees bigger than the arrays
// it starts with; both ways of copying: the cursor walk, and the reader of the runtime's memory
// (treeMemory.ts). Lowering reads nothing else of the tree, so this keeps the facts the same.

import type { Node, Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTreeMemory, flatten, flattenTree, type FlatTree } from '../server/src/analysis/parse/flatTree';
import { canReadTreeMemory, unbindTreeMemory } from '../server/src/analysis/parse/treeMemory';
import { initPython, newPythonParser } from '../server/src/analysis/parse/pythonParser';
import { nodeParserWasm } from '../server/src/node/assets';

let parser: Parser;

beforeAll(async () => {
  await initPython(nodeParserWasm());
  parser = newPythonParser();
});

/** One line per node, indented by depth, as web-tree-sitter's objects give it. */
function fromNodes(node: Node, depth = 0, field: string | null = null, out: string[] = []): string[] {
  const s = node.startPosition;
  const e = node.endPosition;
  const flags = `${node.isNamed ? 'named' : 'anon'}${node.isMissing ? ' missing' : ''}`;
  out.push(`${' '.repeat(depth)}${node.type} ${flags} ${field ?? '-'} ${node.startIndex}-${node.endIndex} ${s.row}:${s.column}-${e.row}:${e.column}`);
  node.children.forEach((child, i) => fromNodes(child!, depth + 1, node.fieldNameForChild(i), out));
  return out;
}

/** The same lines, read from the flat tree. */
function fromFlat(tree: FlatTree, fields: (string | null)[], n = 0, depth = 0, field: string | null = null, out: string[] = []): string[] {
  const { r, c, er, ec } = tree.span(n);
  const flags = `${tree.isNamed(n) ? 'named' : 'anon'}${tree.isMissing(n) ? ' missing' : ''}`;
  out.push(`${' '.repeat(depth)}${tree.type(n)} ${flags} ${field ?? '-'} ${tree.startIndex(n)}-${tree.endIndex(n)} ${r}:${c}-${er}:${ec}`);
  for (const child of tree.children(n)) {
    // The field a child sits in, found the way lowering asks: by name, from the parent.
    const name = fields.find((f) => f !== null && tree.fieldAll(n, f).includes(child)) ?? null;
    fromFlat(tree, fields, child, depth + 1, name, out);
  }
  return out;
}

/** The tree as the node objects give it, as the cursor walk copies it and as the memory reader does. */
function both(code: string): { nodes: string[]; flat: string[]; memory: string[] } {
  const tree = parser.parse(code)!;
  const read = (flat: FlatTree) => {
    try {
      return fromFlat(flat, tree.language.fields);
    } finally {
      flat.release();
    }
  };
  try {
    return { nodes: fromNodes(tree.rootNode), flat: read(flatten(tree.rootNode, code, tree.language)), memory: read(flattenTree(tree, code)) };
  } finally {
    tree.delete();
  }
}

const SAMPLES: Record<string, string> = {
  'statements and expressions': [
    'import os, sys as system',
    'from a.b import c as d, e',
    '@decorator(1)',
    'def f(a, b: int = 2, *args, key=None, **kwargs) -> str:',
    '    global g',
    '    return f"{a!r:>{b}} {{x}}" + rb"\\x41" "more"',
    'class K(Base, metaclass=M):',
    '    x: int = 1',
    'for i, (j, *k) in enumerate(items):',
    '    if i > 1 and not j: continue',
    '    elif j: break',
    '    else: pass',
    'while x := next(it): del d[x], e.y',
    'try:\n    raise E("m") from None\nexcept (A, B) as err:\n    pass\nelse:\n    y = lambda q, *r: q[1:2, ::3]\nfinally:\n    z = {k: v for k, v in d.items() if v} | {**o}',
    'with open(p) as fh, lock: print(*[x async for x in g()], sep="")',
    'match cmd:\n    case [1, *rest] if rest: pass\n    case {"k": v}: pass',
    'a = b = c; d += 1  # nbguard: ignore',
  ].join('\n'),
  'broken code (ERROR and MISSING nodes)': 'if x\n    print(secret\ny = [1, 2\nz = foo(a=, b)\ndef (:\n',
  'non-ASCII text: columns count UTF-16 code units': 'é = "日本語 🔑 key"  # ключ\nπ = f"{é}🙂{π}"\nx = "a\u0301" + \'\\N{BULLET}\'\n',
  'CRLF and lone CR line ends: rows count \\n only': 'a = 1\r\nb = "x\ry"\r\nif a:\r\n\tc = (b,\r\n\t\td)\r\n',
  'empty cell': '',
  'only comments and blank lines': '# one\n\n   # two\n',
};

describe('the flat tree gives what the node objects give', () => {
  it('reads whole trees from the runtime memory: its check at load passed on this web-tree-sitter', () => {
    expect(canReadTreeMemory()).toBe(true);
    expect(checkTreeMemory(parser)).toBe(true);
    // The check compares every node: one column apart is a difference.
    const a = parser.parse('x = 1\n')!;
    const b = parser.parse(' x = 1\n')!;
    const fa = flattenTree(a, 'x = 1\n');
    const fb = flatten(b.rootNode, ' x = 1\n', b.language);
    expect(fa.sameAs(fb)).toBe(false);
    fa.release();
    fb.release();
    a.delete();
    b.delete();
  });

  for (const [name, code] of Object.entries(SAMPLES)) {
    it(name, () => {
      const { nodes, flat, memory } = both(code);
      expect(flat).toEqual(nodes);
      expect(memory).toEqual(nodes);
      expect(flat.length).toBeGreaterThan(0);
    });
  }

  it('grows past the arrays it starts with (thousands of nodes), and reuses them for the next tree', () => {
    const big = Array.from({ length: 800 }, (_, i) => `v${i} = call(a[${i}], "s${i}", k=${i}) + 1`).join('\n');
    const first = both(big);
    expect(first.flat.length).toBeGreaterThan(10_000);
    expect(first.flat).toEqual(first.nodes);
    expect(first.memory).toEqual(first.nodes);
    // The next tree is read from the arrays the big one gave back.
    const small = both('x = 1\n');
    expect(small.flat).toEqual(small.nodes);
    expect(small.memory).toEqual(small.nodes);
  });

  it('puts a stand-in root above a list of nodes (error recovery lowers top-level statements that way)', () => {
    const code = 'a = 1\nb = (2,\nc = 3\n';
    const tree = parser.parse(code)!;
    const tops = tree.rootNode.children.filter((n): n is Node => n !== null);
    const flat = flatten(tops, code, tree.language);
    try {
      expect(flat.type(0)).toBe('module');
      const lines = flat.children(0).flatMap((child) => fromFlat(flat, tree.language.fields, child));
      expect(lines).toEqual(tops.flatMap((n) => fromNodes(n)));
      expect(flat.hasError).toBe(true);
    } finally {
      flat.release();
      tree.delete();
    }
  });

  // Last: it turns the reader off for the rest of this file.
  it('walks whole trees with the cursor when the memory reader is off (its check failed), and says the same', () => {
    unbindTreeMemory();
    expect(canReadTreeMemory()).toBe(false);
    for (const code of Object.values(SAMPLES)) {
      const { nodes, memory } = both(code);
      expect(memory).toEqual(nodes);
    }
  });
});
