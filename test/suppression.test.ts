// Suppression comments: `# nbguard: ignore` silences every finding on the reported line;
// `# nbguard: ignore[NBG101,...]` only the listed rules.

import { describe, expect, it } from 'vitest';
import { cells, databricks, summary } from './helpers';

const SECRET = 'pw = dbutils.secrets.get("db", "password")';
const GHP = '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';

describe('suppression comments', () => {
  it('the same code without a comment is reported (control)', async () => {
    expect(await cells(SECRET, 'print(pw)')).toEqual(['NBG101@1:1']);
  });

  it('# nbguard: ignore silences the finding on its line', async () => {
    expect(await cells(SECRET, 'print(pw)  # nbguard: ignore')).toEqual([]);
  });

  it('# nbguard: ignore[NBG101] silences NBG101', async () => {
    expect(await cells(SECRET, 'print(pw)  # nbguard: ignore[NBG101]')).toEqual([]);
  });

  it('an ignore for another rule id leaves the finding', async () => {
    expect(await cells(SECRET, 'print(pw)  # nbguard: ignore[NBG201]')).toEqual(['NBG101@1:1']);
  });

  it('ignore[NBG101] on a line with a hardcoded token and its print keeps the NBG201', async () => {
    expect(await cells(`token = "${GHP}"; print(token)  # nbguard: ignore[NBG101]`)).toEqual(['NBG201@0:1']);
    expect(await cells(`token = "${GHP}"; print(token)  # nbguard: ignore[NBG101,NBG201]`)).toEqual([]);
  });

  it('ignore[NBG201] on a hardcoded literal silences it, but not the print in another cell', async () => {
    expect(await cells(`token = "${GHP}"  # nbguard: ignore[NBG201]`, 'print(token)')).toEqual(['NBG101@1:1']);
  });

  it('only silences its own line', async () => {
    expect(await cells(`${SECRET}  # nbguard: ignore\nprint(pw)`)).toEqual(['NBG101@0:2']);
    expect(await cells(SECRET, 'print(pw)  # nbguard: ignore\nprint(pw)')).toEqual(['NBG101@1:2']);
  });

  it('a multi-line call is silenced by a comment on its first (reported) line', async () => {
    expect(await cells(SECRET, 'print(  # nbguard: ignore\n    pw\n)')).toEqual([]);
  });

  it('works in a Databricks source file (line of the file)', async () => {
    expect(await summary('n.py', databricks([SECRET, 'print(pw)  # nbguard: ignore[NBG101]', 'display(pw)']))).toEqual(['NBG101@2:10']);
  });

  it('a marker inside a string literal is not a comment', async () => {
    expect(await cells(SECRET, 'print(pw, "# nbguard: ignore")')).toEqual(['NBG101@1:1']);
  });

  it('a comment alone on its line silences the line below (where a multi-line string leaves no room)', async () => {
    const pem = 'key = """-----BEGIN RSA PRIVATE KEY-----\nz+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN\n-----END RSA PRIVATE KEY-----"""';
    expect(await cells(pem)).toEqual(['NBG201@0:1']);
    expect(await cells(`# nbguard: ignore[NBG201]\n${pem}`)).toEqual([]);
    expect(await cells(`# nbguard: ignore[NBG101]\n${pem}`)).toEqual(['NBG201@0:2']);
  });
});
