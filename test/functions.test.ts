// User-defined functions and lambdas: a sink inside a function fires when a secret is passed
// in, at the sink in the defining cell, with the call site as a trace hop; a returned secret
// taints the call; functions never given a secret stay quiet.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';
const SHOW = 'def show(v):\n    print(v)';

const steps = (f: { trace?: readonly { message: string; cell: number; line: number; column: number }[] }) =>
  f.trace?.map((s) => `${s.message}@${s.cell}:${s.line}:${s.column}`);

describe('functions defined in one cell and called in another', () => {
  it('reports the sink inside the function, in the defining cell, with the call site in the trace', async () => {
    const fs = await cellFindings(SHOW, SECRET, 'show(pw)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG101@0:2:5']);
    expect(steps(fs[0])).toEqual(['source@1:1:6', 'pw@1:1:1', 'argument "v" of show()@2:1:6', 'sink@0:2:5']);
  });

  it('passes keyword arguments and *args', async () => {
    expect(await cells(SHOW, SECRET, 'show(v=pw)')).toEqual(['NBG101@0:2']);
    expect(await cells('def show(*args):\n    print(*args)', SECRET, 'show("a", pw)')).toEqual(['NBG101@0:2']);
  });

  it('reports once however many calls reach the sink, and not for clean calls', async () => {
    expect(await cells(SHOW, SECRET, 'show("a")', 'show(pw)', 'show(pw + "!")')).toEqual(['NBG101@0:2']);
    expect(await cells(SHOW, SECRET, 'show("hello")')).toEqual([]);
  });

  it('a function never called with a secret, with non-credential parameters, is clean', async () => {
    expect(await cells('def show(v, n):\n    print(v, n)', SECRET, 'show("a", 1)')).toEqual([]);
    expect(await cells(SHOW, SECRET, 'x = 1')).toEqual([]);
    expect(await cells(SECRET, SHOW)).toEqual([]);
  });

  it('follows nested calls through several cells, one hop per call site', async () => {
    const fs = await cellFindings('import logging\ndef inner(x):\n    logging.info(x)', 'def outer(y):\n    inner(y)', SECRET, 'outer(pw)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG101@0:3:5']);
    expect(steps(fs[0])).toEqual([
      'source@2:1:6',
      'pw@2:1:1',
      'argument "y" of outer()@3:1:7',
      'argument "x" of inner()@1:2:11',
      'sink@0:3:5',
    ]);
  });

  it('uses the latest definition in analysis order', async () => {
    expect(await cells(SHOW, 'def show(v):\n    print(len(v))', SECRET, 'show(pw)')).toEqual([]);
  });

  it('a default parameter value holding the secret', async () => {
    expect(await cells(SECRET, 'def show(v=pw):\n    print(v)', 'show()')).toEqual(['NBG101@1:2']);
  });

  it('a function reading a module-level secret, when called', async () => {
    expect(await cells(SECRET, 'def show():\n    print(pw)', 'show()')).toEqual(['NBG101@1:2']);
  });

  it('a local of the function shadows the module secret', async () => {
    expect(await cells(SECRET, 'def f():\n    pw = "x"\n    print(pw)', 'f()')).toEqual([]);
  });

  it('decorated functions are followed', async () => {
    expect(await cells('import functools\n@functools.lru_cache\ndef show(v):\n    print(v)', SECRET, 'show(pw)')).toEqual(['NBG101@0:4']);
  });

  it('recursive functions terminate and report', async () => {
    expect(
      await cells('def f(x, n):\n    if n == 0:\n        print(x)\n        return x\n    return f(x, n - 1)', SECRET, 'r = f(pw, 3)'),
    ).toEqual(['NBG101@0:3']);
  });
});

describe('return values', () => {
  it('a function returning a secret taints its call, with a "returned by" hop', async () => {
    const fs = await cellFindings('def get_pw():\n    return dbutils.secrets.get("db", "password")', 'p = get_pw()', 'print(p)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG101@2:1']);
    expect(steps(fs[0])).toEqual(['source@0:2:12', 'returned by get_pw()@1:1:5', 'p@1:1:1', 'sink@2:1:1']);
  });

  it('a function returning a value built from a secret it reads itself', async () => {
    expect(
      await cells('def conn_str(user):\n    pw = dbutils.secrets.get("db", "password")\n    return f"{user}:{pw}"', 'print(conn_str("u"))'),
    ).toEqual(['NBG101@1:1']);
  });

  it('a function that reads a secret but returns a clean value', async () => {
    expect(await cells('def conn_user():\n    pw = dbutils.secrets.get("db", "password")\n    return "u"', 'print(conn_user())')).toEqual([]);
    expect(await cells('def get_scope():\n    return "db"', 'print(get_scope())')).toEqual([]);
  });

  it('an identity function returns what it was given', async () => {
    expect(await cells('def ident(x):\n    return x', SECRET, 'print(ident(pw))')).toEqual(['NBG101@2:1']);
    expect(await cells('def ident(x):\n    return x', SECRET, 'print(ident("a"))')).toEqual([]);
  });

  it('a function returning a sanitized value', async () => {
    expect(await cells(SECRET, 'def f(x):\n    return len(x)', 'print(f(pw))')).toEqual([]);
  });
});

describe('lambdas', () => {
  it('a lambda whose body is a sink, defined in another cell', async () => {
    const fs = await cellFindings('emit = lambda v: print(v)', SECRET, 'emit(pw)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG101@0:1:18']);
    expect(steps(fs[0])).toEqual(['source@1:1:6', 'pw@1:1:1', 'argument "v" of <lambda>()@2:1:6', 'sink@0:1:18']);
  });

  it('a lambda returning a value derived from its argument', async () => {
    expect(await cells(SECRET, 'wrap = lambda v: "Bearer " + v\nprint(wrap(pw))')).toEqual(['NBG101@1:2']);
    expect(await cells(SECRET, 'wrap = lambda v: "Bearer " + v\nprint(wrap("x"))')).toEqual([]);
  });
});

describe('methods of user-defined classes', () => {
  it('a method printing a secret stored by __init__ is reported at the print', async () => {
    const cls = 'class Db:\n    def __init__(self, p):\n        self.p = p\n    def dump(self):\n        print(self.p)';
    expect(await cells(SECRET, cls, 'd = Db(pw)\nd.dump()\nx = 1')).toEqual(['NBG101@1:5']);
  });

  it('a method call that returns None is not echoed as the secret', async () => {
    const cls = 'class Db:\n    def __init__(self, p):\n        self.p = p\n    def dump(self):\n        print(self.p)';
    expect(await cells(SECRET, cls, 'd = Db(pw)\nd.dump()')).toEqual(['NBG101@1:5']);
  });

  it('a method receiving the secret as an argument', async () => {
    expect(await cells(SECRET, 'class Out:\n    def show(self, v):\n        print(v)', 'o = Out()\no.show(pw)')).toEqual(['NBG101@1:3']);
  });
});
