// Propagation: how a secret reaches a sink through expressions, containers, unpacking and
// loops; flow sensitivity (reassignment clears, branches and loops merge); names that persist
// from cell to cell.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';
/** A cell holding the secret on line 1 and `lines` after it; the sink is expected on the last line. */
const lastLine = (lines: string[]) => lines.length + 1;

describe('propagation through expressions', () => {
  it.each([
    ['an f-string', ['u = f"jdbc://u:{pw}@h"', 'print(u)']],
    ['+', ['u = "Bearer " + pw', 'print(u)']],
    ['% formatting', ['u = "pw=%s" % pw', 'print(u)']],
    ['% with a tuple', ['u = "%s:%s" % ("u", pw)', 'print(u)']],
    ['str.format', ['u = "pw={}".format(pw)', 'print(u)']],
    ['str.format with a keyword', ['u = "pw={p}".format(p=pw)', 'print(u)']],
    ['str.join', ['u = ",".join(["a", pw])', 'print(u)']],
    ['a generator in join', ['print(",".join(x for x in [pw]))']],
    ['an open slice', ['u = pw[2:]', 'print(u)']],
    ['str()', ['u = str(pw)', 'print(u)']],
    ['repr()', ['u = repr(pw)', 'print(u)']],
    ['bytes()', ['u = bytes(pw, "utf-8")', 'print(u)']],
    ['encode()', ['u = pw.encode()', 'print(u)']],
    ['string methods', ['u = pw.strip().upper().replace("A", "B")', 'print(u)']],
    ['base64', ['import base64', 'u = base64.b64encode(f"user:{pw}".encode()).decode()', 'print(u)']],
    ['json.dumps', ['import json', 'u = json.dumps({"pw": pw})', 'print(u)']],
    ['augmented assignment', ['u = "Bearer "', 'u += pw', 'print(u)']],
  ])('carries a secret through %s', async (_name, lines) => {
    expect(await cells([SECRET, ...lines].join('\n'))).toEqual([`NBG101@0:${lastLine(lines)}`]);
  });

  it('carries taint through decode() of getBytes', async () => {
    expect(await cells('b = dbutils.secrets.getBytes("s", "k")', 'u = b.decode("utf-8")', 'print(u)')).toEqual(['NBG101@2:1']);
  });
});

describe('propagation through containers', () => {
  it.each([
    ['a list literal', ['l = ["a", pw]', 'print(l)']],
    ['a tuple literal', ['l = ("a", pw)', 'print(l)']],
    ['a set literal', ['l = {"a", pw}', 'print(l)']],
    ['a dict literal', ['d = {"password": pw}', 'print(d)']],
    ['d[k] = s', ['d = {}', 'd["password"] = pw', 'print(d)']],
    ['append', ['l = []', 'l.append(pw)', 'print(l)']],
    ['extend', ['l = []', 'l.extend([pw])', 'print(l)']],
    ['insert', ['l = []', 'l.insert(0, pw)', 'print(l)']],
    ['add', ['s = set()', 's.add(pw)', 'print(s)']],
    ['update with a dict', ['d = {"user": "u"}', 'd.update({"password": pw})', 'print(d)']],
    ['update with keywords', ['d = {"user": "u"}', 'd.update(password=pw)', 'print(d)']],
    ['setdefault', ['d = {}', 'd.setdefault("password", pw)', 'print(d)']],
    ['reading the secret field of a dict', ['d = {"user": "u", "password": pw}', 'print(d["password"])']],
    ['reading an element of a list', ['l = ["a", pw]', 'print(l[1])']],
    ['a list comprehension', ['l = [x.upper() for x in [pw]]', 'print(l)']],
    ['a dict comprehension', ['d = {k: v for k, v in {"p": pw}.items()}', 'print(d)']],
  ])('carries a secret through %s', async (_name, lines) => {
    expect(await cells([SECRET, ...lines].join('\n'))).toEqual([`NBG101@0:${lastLine(lines)}`]);
  });

  it('keeps a clean field of a dict clean', async () => {
    expect(await cells(SECRET, 'd = {"user": "u", "password": pw}\nprint(d["user"])')).toEqual([]);
  });

  it('records the container mutation as a trace hop', async () => {
    const [f] = await cellFindings(SECRET, 'l = []\nl.append(pw)', 'print(l)');
    expect(f.trace?.map((s) => `${s.message}@${s.cell}:${s.line}`)).toEqual(['source@0:1', 'pw@0:1', 'l.append()@1:2', 'sink@2:1']);
  });

  it('carries a secret through dict(password=pw)', async () => {
    expect(await cells(SECRET, 'opts = dict(user="u", password=pw)\nprint(opts)')).toEqual(['NBG101@1:2']);
  });
});

describe('propagation through bindings', () => {
  it('tuple unpacking taints the name bound to the secret, not its neighbour', async () => {
    expect(await cells(SECRET, 'a, b = "u", pw\nprint(b)')).toEqual(['NBG101@1:2']);
    expect(await cells(SECRET, 'a, b = "u", pw\nprint(a)')).toEqual([]);
  });

  it('unpacking a tainted tuple variable', async () => {
    expect(await cells(SECRET, 't = ("u", pw)\nuser, p = t\nprint(p)')).toEqual(['NBG101@1:3']);
  });

  it('the walrus operator binds the secret', async () => {
    expect(await cells('if (t := dbutils.secrets.get("s", "k")):\n    print(t)')).toEqual(['NBG101@0:2']);
    expect(await cells(SECRET, 'if (n := pw) is not None:\n    print(n)')).toEqual(['NBG101@1:2']);
  });

  it('for targets over a tainted iterable, and over the secret itself', async () => {
    expect(await cells(SECRET, 'for ch in [pw]:\n    print(ch)')).toEqual(['NBG101@1:2']);
    expect(await cells(SECRET, 'for ch in pw:\n    print(ch)')).toEqual(['NBG101@1:2']);
  });

  it('with ... as binds the context value', async () => {
    expect(await cells(SECRET, 'import contextlib\nwith contextlib.nullcontext(pw) as t:\n    print(t)')).toEqual(['NBG101@1:3']);
  });

  it('attributes of a tainted object are secrets', async () => {
    expect(await cells('creds = dbutils.credentials.getCurrentCredentials()\nprint(creds.secret)')).toEqual(['NBG101@0:2']);
    expect(await cells(SECRET, 'class C: pass\no = C()\no.password = pw\nprint(o.password)')).toEqual(['NBG101@1:4']);
  });

  it('a global assigned in a function persists after the call', async () => {
    expect(await cells(SECRET, 'def f():\n    global g\n    g = pw\nf()\nprint(g)')).toEqual(['NBG101@1:5']);
  });
});

describe('flow sensitivity', () => {
  it('reassigning a clean value clears the taint, across cells', async () => {
    expect(await cells(SECRET, 'pw = "hello"', 'print(pw)')).toEqual([]);
    expect(await cells(SECRET, 'pw = None', 'print(pw)')).toEqual([]);
  });

  it('the print before the reassignment is still reported', async () => {
    expect(await cells(SECRET, 'print(pw)\npw = None\nprint(pw)')).toEqual(['NBG101@1:1']);
  });

  it('branches merge: tainted on either path', async () => {
    expect(await cells(SECRET, 'if cond:\n    x = pw\nelse:\n    x = "clean"\nprint(x)')).toEqual(['NBG101@1:5']);
    expect(await cells(SECRET, 'x = "clean"\nif cond:\n    x = "also"\nelse:\n    x = pw\nprint(x)')).toEqual(['NBG101@1:6']);
  });

  it('a branch that clears on one path only keeps the taint', async () => {
    expect(await cells(SECRET, 'if cond:\n    pw = "a"\nprint(pw)')).toEqual(['NBG101@1:3']);
  });

  it('clearing on every path clears', async () => {
    expect(await cells(SECRET, 'if cond:\n    pw = "a"\nelse:\n    pw = "b"\nprint(pw)')).toEqual([]);
  });

  it('try/except merges the handler with the body', async () => {
    expect(await cells(SECRET, 'try:\n    x = pw\nexcept Exception:\n    x = ""\nprint(x)')).toEqual(['NBG101@1:5']);
  });

  it('a local assignment inside a function does not clear the module secret', async () => {
    expect(await cells(SECRET, 'def f():\n    pw = None\nf()\nprint(pw)')).toEqual(['NBG101@1:4']);
  });

  it('a global assignment inside a called function clears it', async () => {
    expect(await cells(SECRET, 'def clear():\n    global pw\n    pw = None\nclear()\nprint(pw)')).toEqual([]);
  });

  it('a conditional expression is tainted by its values, not by its test', async () => {
    expect(await cells(SECRET, 'x = pw if cond else "a"\nprint(x)')).toEqual(['NBG101@1:2']);
    expect(await cells(SECRET, 'x = "a" if pw else "b"\nprint(x)')).toEqual([]);
    expect(await cells(SECRET, 'x = pw or "default"\nprint(x)')).toEqual(['NBG101@1:2']);
    expect(await cells(SECRET, 'if pw:\n    print("have secret")')).toEqual([]);
  });

  it('a comprehension variable does not rebind the module name', async () => {
    expect(await cells(SECRET, '[pw for pw in ["a"]]\nprint(pw)')).toEqual(['NBG101@1:2']);
  });

  it('loops carry taint into the next iteration', async () => {
    expect(await cells(SECRET, 'x = ""\nfor i in range(3):\n    print(x)\n    x = pw')).toEqual(['NBG101@1:3']);
    expect(await cells(SECRET, 'x = ""\nwhile cond:\n    print(x)\n    x = pw')).toEqual(['NBG101@1:3']);
  });

  it('a loop that never touches the secret stays clean', async () => {
    expect(await cells(SECRET, 'total = 0\nfor i in range(3):\n    total += i\nprint(total)')).toEqual([]);
  });
});

describe('cross-cell flows', () => {
  it('follows a secret through three cells with a trace into each', async () => {
    const [f, ...rest] = await cellFindings(SECRET, 'url = f"jdbc://u:{pw}@h"', 'print(url)');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'NBG101', cell: 2, line: 1, column: 1 });
    expect(f.trace?.map((s) => `${s.message}@${s.cell}:${s.line}:${s.column}`)).toEqual(['source@0:1:6', 'pw@0:1:1', 'url@1:1:1', 'sink@2:1:1']);
  });

  it('every trace starts with source and ends with sink', async () => {
    const fs = await cellFindings(SECRET, 'import requests, logging\nd = {"p": pw}\nlogging.info(d)\nr = requests.get(f"https://x/?k={pw}")\ndbutils.notebook.exit(pw)');
    expect(fs.map((f) => f.ruleId)).toEqual(['NBG101', 'NBG104', 'NBG102']);
    for (const f of fs) {
      expect(f.trace?.[0].message).toBe('source');
      expect(f.trace?.at(-1)).toMatchObject({ message: 'sink', cell: f.cell, line: f.line, column: f.column });
    }
  });
});
