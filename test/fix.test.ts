// `nbguard fix`: stored outputs that leak are redacted in place (or cleared), findings in code can
// be suppressed, --dry-run prints a diff `git apply` accepts; a file with nothing to fix is never
// rewritten, and a fixed one differs only where a secret or a marker is (its JSON style kept).

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databricks } from './helpers';

const cli = resolve(__dirname, '..', 'dist', 'cli.js');
const GHP = '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';

function nbguard(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A notebook as Jupyter writes it (indent 1, one source line per element), or in another style. */
function notebook(cells: object[], style: { indent?: number; asciiOnly?: boolean; crlf?: boolean } = {}): string {
  const nb = { cells: cells.map((c, i) => ({ cell_type: 'code', execution_count: i + 1, id: `c${i}`, metadata: {}, outputs: [], ...c })), metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
  let text = `${JSON.stringify(nb, null, style.indent ?? 1)}\n`;
  if (style.asciiOnly) text = text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return style.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const stream = (...lines: string[]) => ({ output_type: 'stream', name: 'stdout', text: lines });
const lines = (code: string) => code.split(/(?<=\n)/);

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-fix-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('nbguard fix', () => {
  it('never rewrites a notebook with nothing to fix, whatever its JSON style', () => {
    const styles = [{}, { indent: 2 }, { indent: 0 }, { asciiOnly: true }, { crlf: true }];
    const files = Object.fromEntries(styles.map((style, i) => [`clean${i}.ipynb`, notebook([{ source: lines('x = "é"\nprint(x)'), outputs: [stream('é\n')] }], style)]));
    const dir = workspace(files);
    const before = Object.keys(files).map((f) => statSync(join(dir, f)).mtimeMs);
    const r = nbguard(['fix', '.'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 files changed of 5 scanned.');
    for (const [i, f] of Object.keys(files).entries()) {
      expect(readFileSync(join(dir, f), 'utf8')).toBe(files[f]);
      expect(statSync(join(dir, f)).mtimeMs).toBe(before[i]);
    }
  });

  it.each([
    ['as Jupyter writes it', {}],
    ['with non-ASCII escaped (Python json ensure_ascii)', { asciiOnly: true }],
    ['with CRLF line ends', { crlf: true }],
    ['minified', { indent: 0 }],
  ])('redacts a credential in a stored output in place, the rest byte for byte (%s)', (_what, style) => {
    const original = notebook([{ source: lines('import os\ntoken = os.environ["GH"]\nprint("token", token)'), outputs: [stream(`token ${GHP} é\n`, 'done\n')] }], style);
    const dir = workspace({ 'n.ipynb': original });
    chmodSync(join(dir, 'n.ipynb'), 0o640);
    const r = nbguard(['fix', 'n.ipynb'], dir);
    expect(r.stdout).toContain('fixed n.ipynb: Cell 1: redacted the credentials in its output');
    expect(r.status).toBe(0);
    const fixed = readFileSync(join(dir, 'n.ipynb'), 'utf8');
    expect(fixed).toBe(original.replace(GHP, 'REDACTED_GITHUB_TOKEN'));
    expect(statSync(join(dir, 'n.ipynb')).mode & 0o777).toBe(0o640);
    expect(nbguard(['scan', 'n.ipynb'], dir).stdout).not.toContain('NBG401');
  });

  it('redacts a credential found by the name printed beside it, and a private key across output lines', () => {
    const key = ['-----BEGIN RSA PRIVATE KEY-----\n', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC1bDDmiBOCiwpbu/c0sQx4a75o0DID1Us\n', 'NXtszFjAbDijRvnDZ38Hsa19SLRyThaBv1gjRNJx8bozyW8aWobSvs++SSJTIQxs\n', '-----END RSA PRIVATE KEY-----\n'];
    const original = notebook([
      { source: lines('print(config)'), outputs: [stream("{'api_key': 'Xk9mQ2vLp7wRt5Zb3Nc8', 'n': 1}\n")] },
      { source: lines('print(pem)'), outputs: [stream('key:\n', ...key, 'ok\n')] },
    ]);
    const dir = workspace({ 'n.ipynb': original });
    expect(nbguard(['fix', 'n.ipynb'], dir).status).toBe(0);
    const fixed = JSON.parse(readFileSync(join(dir, 'n.ipynb'), 'utf8'));
    expect(fixed.cells[0].outputs[0].text).toEqual(["{'api_key': 'REDACTED_SECRET', 'n': 1}\n"]);
    // As many lines as before, the key's lines gone.
    expect(fixed.cells[1].outputs[0].text).toHaveLength(6);
    expect(fixed.cells[1].outputs[0].text.join('')).not.toMatch(/MIIE|NXtsz/);
    expect(nbguard(['scan', 'n.ipynb'], dir).stdout).not.toContain('NBG401');
  });

  it('--clear empties the outputs of the cells that leak, and only theirs', () => {
    const original = notebook([{ source: lines('print(1)'), outputs: [stream('1\n')] }, { source: lines('print(t)'), outputs: [stream(`${GHP}\n`)] }]);
    const dir = workspace({ 'n.ipynb': original });
    expect(nbguard(['fix', '--clear', 'n.ipynb'], dir).stdout).toContain('Cell 2: cleared its outputs');
    const fixed = JSON.parse(readFileSync(join(dir, 'n.ipynb'), 'utf8'));
    expect(fixed.cells.map((c: { outputs: unknown[] }) => c.outputs.length)).toEqual([1, 0]);
  });

  it('--suppress adds # nbguard: ignore[...] where a person would, in notebooks and .py files', () => {
    const nb = notebook([
      { source: lines('pw = dbutils.secrets.get("s", "k")\nprint(pw)  # nbguard: ignore[NBG103]\nlogger.info(pw)') },
      { source: lines(`key = """-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC1bDDmiBOCiwpbu/c0sQx4a75o0DID1Us\n-----END RSA PRIVATE KEY-----"""`) },
    ]);
    const py = databricks(['pw = dbutils.secrets.get("s", "k")', '    print(pw)']);
    const dir = workspace({ 'n.ipynb': nb, 'job.py': py });
    const r = nbguard(['fix', '--suppress', '.'], dir);
    expect(r.status).toBe(0);
    const cells = JSON.parse(readFileSync(join(dir, 'n.ipynb'), 'utf8')).cells.map((c: { source: string[] }) => c.source.join(''));
    expect(cells[0]).toBe('pw = dbutils.secrets.get("s", "k")\nprint(pw)  # nbguard: ignore[NBG103, NBG101]\nlogger.info(pw)  # nbguard: ignore[NBG101]');
    expect(cells[1].split('\n')[0]).toBe('# nbguard: ignore[NBG201]');
    expect(readFileSync(join(dir, 'job.py'), 'utf8')).toBe(py.replace('    print(pw)', '    print(pw)  # nbguard: ignore[NBG101]'));
    expect(nbguard(['scan', '.'], dir).stdout).toContain('No findings in 2 files.');
  });

  it('--suppress puts the comment above a line that goes on in the next (a comment at its end would cut the `\\` off)', () => {
    const curl = '%%bash\ncurl "https://api.example.com/v1/generate?key=$GEMINI_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d @request.json';
    const shell = '!echo $OPENAI_API_KEY';
    const dir = workspace({ 'n.ipynb': notebook([{ source: lines(curl) }, { source: lines(shell) }]) });
    expect(nbguard(['fix', '--suppress', 'n.ipynb'], dir).status).toBe(0);
    const cells = JSON.parse(readFileSync(join(dir, 'n.ipynb'), 'utf8')).cells.map((c: { source: string[] }) => c.source.join(''));
    expect(cells[0]).toBe(curl.replace('curl', '# nbguard: ignore[NBG104]\ncurl'));
    expect(cells[1]).toBe('!echo $OPENAI_API_KEY  # nbguard: ignore[NBG101]');
    expect(nbguard(['scan', 'n.ipynb'], dir).stdout).toContain('No findings in 1 file.');
  });

  it('--dry-run writes nothing and prints a diff with its credentials masked', () => {
    const original = notebook([{ source: lines('x = 1') }, { source: lines('print(t)'), outputs: [stream('a\n', `${GHP}\n`, 'b\n')] }, { source: lines('pw = dbutils.secrets.get("s", "k")\nprint(pw)') }]);
    const dir = workspace({ 'n.ipynb': original });
    const dry = nbguard(['fix', '--dry-run', '--suppress', 'n.ipynb'], dir);
    expect(dry.status).toBe(1);
    expect(readFileSync(join(dir, 'n.ipynb'), 'utf8')).toBe(original);
    expect(dry.stdout).toMatch(/^--- a\/n\.ipynb\n\+\+\+ b\/n\.ipynb\n@@ -\d+,\d+ \+\d+,\d+ @@/);
    expect(dry.stdout).not.toContain(GHP);
    expect(dry.stdout).toContain(`-      "${GHP.slice(0, 4)}${'*'.repeat(GHP.length - 8)}${GHP.slice(-4)}\\n",\n+      "REDACTED_GITHUB_TOKEN\\n",`);
    expect(dry.stderr).toContain('would fix n.ipynb: Cell 2: redacted the credentials in its output');
  });

  it('--dry-run prints a diff that git apply turns into what fix writes', () => {
    const original = notebook([{ source: lines('x = 1') }, { source: lines('pw = dbutils.secrets.get("s", "k")\nprint(pw)') }]);
    const dir = workspace({ 'n.ipynb': original });
    const dry = nbguard(['fix', '--dry-run', '--suppress', 'n.ipynb'], dir);
    expect(dry.status).toBe(1);
    // The diff, applied to a copy, gives what fix itself writes.
    const copy = workspace({ 'n.ipynb': original, 'fix.diff': dry.stdout });
    const applied = spawnSync('git', ['apply', 'fix.diff'], { cwd: copy, encoding: 'utf8' });
    expect(applied.status, applied.stderr).toBe(0);
    expect(nbguard(['fix', '--suppress', 'n.ipynb'], dir).status).toBe(0);
    expect(readFileSync(join(copy, 'n.ipynb'), 'utf8')).toBe(readFileSync(join(dir, 'n.ipynb'), 'utf8'));
  });

  it('reports a file it cannot parse (exit 2) and still fixes the others', () => {
    const dir = workspace({ 'broken.ipynb': '{"cells": [', 'n.ipynb': notebook([{ source: lines('print(t)'), outputs: [stream(`${GHP}\n`)] }]) });
    copyFileSync(join(dir, 'broken.ipynb'), join(dir, 'broken.copy'));
    const r = nbguard(['fix', '.'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nbguard: error: broken\.ipynb: not valid JSON/);
    expect(readFileSync(join(dir, 'broken.ipynb'), 'utf8')).toBe(readFileSync(join(dir, 'broken.copy'), 'utf8'));
    expect(readFileSync(join(dir, 'n.ipynb'), 'utf8')).toContain('REDACTED_GITHUB_TOKEN');
  });
});
