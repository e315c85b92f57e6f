// NBG101 secret-to-output: print, logging, loggers, display, pprint, stdout/stderr, warnings,
// raise, assert messages, the cell echo, and the sanitizers that make a value safe to show.

import { describe, expect, it } from 'vitest';
import { cellFindings, cells, cellsWithSeverity } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';
/** One cell: the secret on line 1, then `lines` from line 2 on. */
const withSecret = (...lines: string[]) => cells([SECRET, ...lines].join('\n'));

describe('NBG101 output sinks', () => {
  it('reports print of a secret from another cell, at the print', async () => {
    expect(await cells(SECRET, 'print(pw)')).toEqual(['NBG101@1:1']);
  });

  it('does not report print of clean values next to a secret', async () => {
    expect(await cells(SECRET, 'print("connected")\nuser = "etl"\nprint(user)')).toEqual([]);
  });

  it('reports print with the secret among other arguments and with file=sys.stderr', async () => {
    expect(await withSecret('import sys', 'print("pw:", pw, file=sys.stderr)')).toEqual(['NBG101@0:3']);
  });

  it('reports every logging module function that receives a secret', async () => {
    expect(
      await withSecret('import logging', 'logging.info("x %s", pw)', 'logging.warning(pw)', 'logging.error(f"{pw}")', 'logging.debug("ok")'),
    ).toEqual(['NBG101@0:3', 'NBG101@0:4', 'NBG101@0:5']);
  });

  it('reports logger objects from logging.getLogger, whatever their name', async () => {
    expect(await withSecret('import logging', 'log = logging.getLogger(__name__)', 'log.info("pw=%s", pw)')).toEqual(['NBG101@0:4']);
    expect(await withSecret('import logging', 'audit = logging.getLogger("audit")', 'audit.info(pw)')).toEqual(['NBG101@0:4']);
    expect(await withSecret('import logging', 'logging.getLogger("x").warning("pw %s", pw)')).toEqual(['NBG101@0:3']);
  });

  it('reports logger.exception and logger.log', async () => {
    expect(
      await withSecret('import logging', 'logger = logging.getLogger(__name__)', 'logger.exception("failed with %s", pw)', 'logger.log(logging.INFO, pw)'),
    ).toEqual(['NBG101@0:4', 'NBG101@0:5']);
  });

  it('does not report a logger call with a clean message or a sanitized value', async () => {
    expect(
      await withSecret('import logging', 'logger = logging.getLogger(__name__)', 'logger.info("connected")', 'logger.info("key length %d", len(pw))'),
    ).toEqual([]);
  });

  it('reports loggers from logging.LoggerAdapter and a from-imported getLogger', async () => {
    expect(await withSecret('import logging', 'logger = logging.LoggerAdapter(logging.getLogger(), {})', 'logger.info(pw)')).toEqual(['NBG101@0:4']);
    expect(await withSecret('from logging import getLogger', 'log = getLogger(__name__)', 'log.error(pw)')).toEqual(['NBG101@0:4']);
  });

  it('reports print of a starred tainted list and of a tainted sep=', async () => {
    expect(await withSecret('items = [pw]', 'print(*items)')).toEqual(['NBG101@0:3']);
    expect(await withSecret('print("a", "b", sep=pw)')).toEqual(['NBG101@0:2']);
  });

  it('reports display and displayHTML', async () => {
    expect(await cells(SECRET, 'display(pw)\ndisplayHTML(f"<b>{pw}</b>")')).toEqual(['NBG101@1:1', 'NBG101@1:2']);
  });

  it('reports IPython.display objects built from a secret once', async () => {
    expect(await withSecret('from IPython.display import display, HTML', 'display(HTML(f"<pre>{pw}</pre>"))')).toEqual(['NBG101@0:3']);
  });

  it('reports pprint.pprint, from-imported pprint and pprint.pp', async () => {
    expect(await withSecret('import pprint', 'pprint.pprint({"p": pw})')).toEqual(['NBG101@0:3']);
    expect(await withSecret('from pprint import pprint', 'pprint({"p": pw})')).toEqual(['NBG101@0:3']);
    expect(await withSecret('import pprint', 'pprint.pp([pw])')).toEqual(['NBG101@0:3']);
  });

  it('reports sys.stdout.write and sys.stderr.write', async () => {
    expect(await withSecret('import sys', 'sys.stdout.write(pw)', 'sys.stderr.write(pw + "\\n")', 'sys.stdout.write("done\\n")')).toEqual([
      'NBG101@0:3',
      'NBG101@0:4',
    ]);
  });

  it('reports warnings.warn, also when imported by name', async () => {
    expect(await withSecret('import warnings', 'warnings.warn(f"bad {pw}")')).toEqual(['NBG101@0:3']);
    expect(await withSecret('from warnings import warn', 'warn(pw)')).toEqual(['NBG101@0:3']);
    expect(await withSecret('import warnings', 'warnings.warn("token looks expired")')).toEqual([]);
  });

  it('reports raise of an exception whose message holds the secret', async () => {
    expect(await withSecret('raise ValueError(f"bad password {pw}")')).toEqual(['NBG101@0:2']);
    expect(await withSecret('raise ValueError(pw)')).toEqual(['NBG101@0:2']);
  });

  it('reports raise ... from e inside an except block, and a raised exception object built earlier', async () => {
    expect(await withSecret('try:', '    connect()', 'except Exception as e:', '    raise RuntimeError("failed for " + pw) from e')).toEqual([
      'NBG101@0:5',
    ]);
    expect(await withSecret('err = ValueError(f"pw={pw}")', 'raise err')).toEqual(['NBG101@0:3']);
  });

  it('does not report raise with a clean message', async () => {
    expect(await withSecret('raise ValueError("bad password")')).toEqual([]);
  });

  it('reports the message of an assert, not its condition', async () => {
    expect(await withSecret('assert len(pw) > 3, pw')).toEqual(['NBG101@0:2']);
    expect(await withSecret('assert pw.startswith("dapi"), f"bad token {pw}"')).toEqual(['NBG101@0:2']);
    expect(await withSecret('assert pw')).toEqual([]);
    expect(await withSecret('assert len(pw) > 3, "too short"')).toEqual([]);
  });

  it('reports one finding per sink however many secrets reach it', async () => {
    expect(await withSecret('tok = dbutils.secrets.get("s", "t")', 'print(pw, tok)')).toEqual(['NBG101@0:3']);
  });

  it('reports a sink reached by a presumed and a real secret once, with the stronger severity', async () => {
    const fs = await cellFindings('def f(password):\n    print(password)', SECRET, 'f(pw)');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}/${f.severity}`)).toEqual(['NBG101@0:2/error']);
    expect(fs[0].message).toMatch(/^Secret from dbutils\.secrets\.get/);
  });

  it('reports a sink with an error severity and a message naming source and sink', async () => {
    const [f] = await cellFindings(SECRET, 'print(pw)');
    expect(f).toMatchObject({
      ruleId: 'NBG101',
      severity: 'error',
      cell: 1,
      line: 1,
      column: 1,
      message: 'Secret from dbutils.secrets.get("db", "password") reaches print()',
    });
  });
});

describe('NBG101 cell echo', () => {
  it('reports a secret as the last expression of a cell', async () => {
    expect(await cells(SECRET, 'pw')).toEqual(['NBG101@1:1']);
    expect(await cells(SECRET + '\npw')).toEqual(['NBG101@0:2']);
  });

  it('says in the message that the value is echoed', async () => {
    const [f] = await cellFindings(SECRET, 'pw');
    expect(f.message).toMatch(/echo/);
  });

  it('reports echoed f-strings, dict reads and tuples', async () => {
    expect(await cells(SECRET, 'f"{pw}"')).toEqual(['NBG101@1:1']);
    expect(await cells(SECRET, 'conn_opts = {"user": "u", "password": pw}\nconn_opts["password"]')).toEqual(['NBG101@1:2']);
    expect(await cells(SECRET, 'pw, 1')).toEqual(['NBG101@1:1']);
  });

  it('reports the echo when a comment follows the expression', async () => {
    expect(await cells(SECRET, 'pw  # show it')).toEqual(['NBG101@1:1']);
    expect(await cells(SECRET, 'pw\n# done')).toEqual(['NBG101@1:1']);
  });

  it('reports the last statement of a line with several statements', async () => {
    expect(await cells(SECRET, 'x = 1; pw')).toEqual(['NBG101@1:1']);
  });

  it('a semicolon inside a trailing comment does not suppress the echo', async () => {
    expect(await cells(SECRET, 'pw  # shown;')).toEqual(['NBG101@1:1']);
  });

  it('does not report an echo suppressed by a trailing semicolon', async () => {
    expect(await cells(SECRET, 'pw;')).toEqual([]);
    expect(await cells(SECRET, 'pw ;')).toEqual([]);
    expect(await cells(SECRET, 'pw;  # hidden')).toEqual([]);
  });

  it('still reports print(...) ended with a semicolon (the semicolon only hides the echo)', async () => {
    expect(await cells(SECRET, 'print(pw);')).toEqual(['NBG101@1:1']);
  });

  it('does not report an expression followed by a line magic or a shell escape', async () => {
    expect(await cells(SECRET, 'pw\n%time x = 1')).toEqual([]);
    expect(await cells(SECRET, 'pw\n!ls')).toEqual([]);
  });

  it('does not report an expression that is not the last statement', async () => {
    expect(await cells(SECRET, 'pw\nx = 1')).toEqual([]);
  });

  it('does not report an assignment as the last statement', async () => {
    expect(await cells(SECRET)).toEqual([]);
    expect(await cells(SECRET, 'token = pw')).toEqual([]);
  });

  it('does not report an expression nested in a block or a function', async () => {
    expect(await cells(SECRET, 'if True:\n    pw')).toEqual([]);
    expect(await cells(SECRET, 'def f():\n    pw')).toEqual([]);
  });

  it('does not report clean echoes: a clean field, a length, a digest', async () => {
    expect(await cells(SECRET, 'conn_opts = {"user": "u", "password": pw}\nconn_opts["user"]')).toEqual([]);
    expect(await cells(SECRET, 'len(pw)')).toEqual([]);
    expect(await cells(SECRET, 'import hashlib\nhashlib.sha256(pw.encode()).hexdigest()')).toEqual([]);
  });

  it('reports a multi-line echoed call at its first line', async () => {
    expect(await cells(SECRET, '"{}:{}".format(\n    "u",\n    pw,\n)')).toEqual(['NBG101@1:1']);
  });
});

describe('NBG101 sanitizers', () => {
  it.each([
    ['len()', 'print(len(pw))'],
    ['hashlib digest', 'import hashlib\nprint(hashlib.sha256(pw.encode()).hexdigest())'],
    ['hmac', 'import hmac, hashlib\nsig = hmac.new(pw.encode(), b"msg", hashlib.sha256).hexdigest()\nprint(sig)'],
    ['bcrypt.hashpw', 'import bcrypt\nh = bcrypt.hashpw(pw.encode(), bcrypt.gensalt())\nprint(h)'],
    ['is not None', 'print(pw is not None)'],
    ['is None', 'print(pw is None)'],
    ['==', 'print(pw == "x")'],
    ['!=', 'print(pw != "")'],
    ['in', 'print("a" in pw)'],
    ['startswith', 'print(pw.startswith("dapi"))'],
    ['endswith', 'print(pw.endswith("=="))'],
    ['bool()', 'print(bool(pw))'],
    ['hash()', 'print(hash(pw))'],
    ['type()', 'print(type(pw))'],
    ['isinstance()', 'print(isinstance(pw, str))'],
    ['a 4-character suffix preview', 'print(pw[-4:])'],
    ['a 4-character prefix preview', 'print(pw[:4])'],
    ['a 4-character inner slice', 'print(pw[2:6])'],
    ['a preview inside an f-string', 'print(f"key ends with ...{pw[-4:]}")'],
    ['stars of the same length', 'print("*" * len(pw))'],
    ['a user-defined mask_* function', 'def mask_secret(s):\n    return s[:2] + "***"\nprint(mask_secret(pw))'],
    ['an unknown redact_* function', 'print(redact_value(pw))'],
    ['an unknown hash_* function', 'print(hash_value(pw))'],
  ])('treats %s as clean', async (_name, code) => {
    expect(await cells(SECRET, code)).toEqual([]);
  });

  it.each([
    ['an 8-character prefix', 'print(pw[:8])'],
    ['an 8-character suffix', 'print(pw[-8:])'],
    ['a slice from index 2 to the end', 'print(pw[2:])'],
    ['the reversed secret', 'print(pw[::-1])'],
    ['all but the last 4 characters', 'print(pw[:-4])'],
    ['all but the first 4 characters', 'print(pw[4:])'],
    ['all but the first and last character', 'print(pw[1:-1])'],
    ['a slice with a variable bound', 'n = 4\nprint(pw[-n:])'],
    ['a user function not named mask/redact/hash', 'def show_token(t):\n    return t\nprint(show_token(pw))'],
  ])('does not treat %s as a sanitizer', async (_name, code) => {
    const lines = code.split('\n').length;
    expect(await cells(SECRET, code)).toEqual([`NBG101@1:${lines}`]);
  });
});

describe('NBG101 severity', () => {
  it('is an error for a secret-store source and a warning for a presumed secret', async () => {
    expect(await cellsWithSeverity(SECRET, 'print(pw)')).toEqual(['NBG101@1:1/error']);
    expect(await cellsWithSeverity('def connect(host, password):\n    print(password)')).toEqual(['NBG101@0:2/warning']);
  });

  it('takes an attribute named like a logger for a logger', async () => {
    expect(await cells('pw = dbutils.secrets.get("db", "password")', 'app.logger.info("pw %s", pw)\nself_log = 1')).toEqual(['NBG101@1:1']);
    expect(await cells('pw = dbutils.secrets.get("db", "password")', 'app.catalog.info(pw)\nx = 1')).toEqual([]);
  });
});
