// nbguard must never become the leak it reports: a notebook full of credentials in the places
// fuzzing found them echoed (a source call's default value or arguments, a private key's body
// lines in a code frame, a token in a comment) is scanned and audited in every output format,
// opened in the language server, and no output anywhere holds a whole planted credential.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditLog, attach, run as runEvent } from './auditLog';
import { maskSecret } from '../server/src/analysis';
import { ipynb } from './helpers';
import { sharedServer } from './lsp/harness';
import { openNotebook } from './lsp/notebookMessages';

const cli = process.env.NBGUARD_CLI ? resolve(process.env.NBGUARD_CLI) : resolve(__dirname, '..', 'dist', 'cli.js');

const AWS_SECRET = 'Zq3vT8yPw1Lx0cR5nB7mK2jH4gF6dS9aQeWrTyUi';
const PASSWORD = 'Tr0ub4dor-3xyz@9';
const SCOPE_TOKEN = 'dapi1f2e3d4c5b6a79880123456789abcdef';
const COMMENT_TOKEN = 'dapi99887766554433221100ffeeddccbbaa';
const PEM_BODY = [
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yZp0T1Ruq7BfxP3Nq9kXbGtYjxTgEbT3m6nQ0cW4zHoF5RrLe8Iu',
  'k2Yq7WvXo4Nf1JsD9aMhUyC3tP6zKgE0bR5iQx8lVwSd2HnOe7ArmLc1FjGpTu4B',
];
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----'].join('\n');

const CELLS = [
  `import os\nkey = os.getenv("AWS_SECRET_ACCESS_KEY", "${AWS_SECRET}")\nprint(key)`,
  `pw = os.environ.get("DB_PASSWORD", "${PASSWORD}")\nprint(pw)`,
  `tok = dbutils.secrets.get("${SCOPE_TOKEN}", "k")\nprint(tok)`,
  `KEY = """${PEM}"""\nprint(KEY)`,
  `# the old token was ${COMMENT_TOKEN}\nprint(pw)`,
];

const PLANTED = [AWS_SECRET, PASSWORD, SCOPE_TOKEN, COMMENT_TOKEN, ...PEM_BODY];

function expectNoSecret(where: string, text: string): void {
  for (const secret of PLANTED) expect(text.includes(secret), `${where} holds ${secret.slice(0, 6)}…`).toBe(false);
}

function cliRun(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('no report holds a whole planted credential', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-hygiene-'));
  writeFileSync(join(dir, 'leaky.ipynb'), ipynb(CELLS));

  it('scan, in every format and in the baseline file', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = cliRun(['scan', '--format', format, '--no-color', 'leaky.ipynb'], dir);
      expect(r.status, r.out).toBe(1);
      expectNoSecret(`scan --format ${format}`, r.out);
    }
    const r = cliRun(['scan', '--write-baseline', 'base.json', 'leaky.ipynb'], dir);
    expectNoSecret('the baseline', r.out + readFileSync(join(dir, 'base.json'), 'utf8'));
  });

  it('names the source without its default value, and masks credential-shaped arguments', () => {
    const doc = JSON.parse(cliRun(['scan', '--format', 'json', 'leaky.ipynb'], dir).out) as { findings: { ruleId: string; message: string }[] };
    const messages = doc.findings.filter((f) => f.ruleId === 'NBG101').map((f) => f.message);
    expect(messages).toContain('Secret from os.getenv("AWS_SECRET_ACCESS_KEY", …) reaches print()');
    expect(messages).toContain('Secret from os.environ.get("DB_PASSWORD", …) reaches print()');
    expect(messages).toContain(`Secret from dbutils.secrets.get("${maskSecret(SCOPE_TOKEN)}", "k") reaches print()`);
  });

  it('text code frames mask key bodies and tokens in comments, keeping the rest of the line', () => {
    const text = cliRun(['scan', '--no-color', 'leaky.ipynb'], dir).out;
    expect(text).toContain(`# the old token was ${maskSecret(COMMENT_TOKEN)}`);
    expect(text).toContain('-----END RSA PRIVATE KEY-----');
  });

  it('audit, in every format', () => {
    const log = auditLog([attach('nb1', 0, '/Users/ana/leaky'), ...CELLS.map((code, i) => runEvent('nb1', 10 + i, `c${i}`, code))]);
    writeFileSync(join(dir, 'audit.jsonl'), log);
    for (const format of ['text', 'json', 'jsonl', 'sarif']) {
      const r = cliRun(['audit', '--format', format, '--no-color', 'audit.jsonl'], dir);
      expect(r.status, r.out).toBe(1);
      expectNoSecret(`audit --format ${format}`, r.out);
    }
  });

  describe('the language server', () => {
    const server = sharedServer();

    it('diagnostics, their data, code actions and scan results', async () => {
      const nb = await openNotebook(server(), CELLS);
      await nb.client.waitFor(() => (nb.diagnostics(1) ?? []).some((d) => d.code === 'NBG101'));
      const result = await nb.client.scanDocument(nb.uri);
      const diagnostics = CELLS.map((_, i) => nb.diagnostics(i) ?? []);
      const actions = await Promise.all(CELLS.map((_, i) => nb.client.codeActions(nb.uriOf(i))));
      expectNoSecret('diagnostics', JSON.stringify(diagnostics));
      expectNoSecret('code actions', JSON.stringify(actions));
      expectNoSecret('the scan result', JSON.stringify(result));
      expectNoSecret('the server log', JSON.stringify(nb.client.logs));
    });
  });
});

describe('CodeMasker', () => {
  it('masks each of 24,000 known secrets sharing a prefix, the longest match first, and nothing else', async () => {
    const { analyzer } = await import('./helpers');
    const { CodeMasker } = await import('../server/src/analysis');
    const tokens = Array.from({ length: 24_000 }, (_, i) => `tokn${i.toString(36).padStart(8, 'x')}`);
    const masker = new CodeMasker((await analyzer()).rules.detectors, [...tokens, 'toknlonger-than-the-others', 'tok']);
    const lines = [`a = "${tokens[23_999]}"  # and ${tokens[5]}`, 'b = "toknlonger-than-the-others"', 'c = "tok is too short to mask, tokn unknown"'];
    const shown = masker.lines(lines);
    expect(shown(0)).toBe(`a = "${maskSecret(tokens[23_999])}"  # and ${maskSecret(tokens[5])}`);
    expect(shown(1)).toBe(`b = "${maskSecret('toknlonger-than-the-others')}"`);
    expect(shown(2)).toBe(lines[2]);
  });
});
