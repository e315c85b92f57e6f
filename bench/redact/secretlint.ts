// secretlint (npm, pinned in devDependencies) as the comparison scanner: run with the
// recommended preset from bench/redact/.secretlintrc.json (AWS access key id scanning switched
// on: the preset leaves it off by default, which would make the comparison pointless for logs
// full of AKIA... ids). `--format json` gives the findings; `--format mask-result` gives
// secretlint's own redacted copy of a file, scored like nbguard's.

import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, type Measured } from '../harness/processTiming';

export interface SecretlintFinding {
  file: string;
  /** The rule without the @secretlint/secretlint-rule- prefix, and the message id. */
  rule: string;
  messageId: string;
  /** 1-based line, and offsets into the file's text (UTF-16 code units of the decoded text). */
  line: number;
  start: number;
  end: number;
}

export interface SecretlintRun {
  measured: Measured;
  findings: SecretlintFinding[];
}

export function secretlintPaths(root: string): { bin: string; rc: string } {
  return { bin: join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js'), rc: join(root, 'bench', 'redact', '.secretlintrc.json') };
}

export function secretlintVersion(root: string): string {
  const pkg = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { version: string }).version;
  return `secretlint ${pkg('secretlint')}, @secretlint/secretlint-rule-preset-recommend ${pkg('@secretlint/secretlint-rule-preset-recommend')}`;
}

interface JsonResult {
  filePath: string;
  messages: { ruleId: string; messageId: string; range: [number, number]; loc: { start: { line: number } } }[];
}

/** `secretlint --format json` over the files (one process), with its time and peak RSS. */
export async function runSecretlint(root: string, files: readonly string[]): Promise<SecretlintRun> {
  const { bin, rc } = secretlintPaths(root);
  // --output, not stdout: secretlint exits before a big report has drained into a pipe.
  const out = join(tmpdir(), `nbguard-bench-secretlint-${process.pid}.json`);
  const measured = await measure(process.execPath, [bin, '--secretlintrc', rc, '--format', 'json', '--no-color', '--no-glob', '--output', out, ...files], { cwd: root });
  if (measured.status !== 0 && measured.status !== 1) throw new Error(`secretlint failed (status ${measured.status}): ${measured.stderr.slice(0, 2000)}`);
  const results = JSON.parse(readFileSync(out, 'utf8')) as JsonResult[];
  rmSync(out, { force: true });
  const findings: SecretlintFinding[] = [];
  for (const r of results)
    for (const m of r.messages)
      findings.push({ file: r.filePath, rule: m.ruleId.replace('@secretlint/secretlint-rule-', ''), messageId: m.messageId, line: m.loc.start.line, start: m.range[0], end: m.range[1] });
  return { measured, findings };
}

/** `secretlint --format mask-result --output OUT FILE`: secretlint's redacted copy of one file. */
export async function secretlintMask(root: string, file: string, out: string): Promise<Measured> {
  const { bin, rc } = secretlintPaths(root);
  const measured = await measure(process.execPath, [bin, '--secretlintrc', rc, '--format', 'mask-result', '--output', out, '--no-glob', file], { cwd: root });
  if (measured.status !== 0 && measured.status !== 1) throw new Error(`secretlint mask-result failed (status ${measured.status}): ${measured.stderr.slice(0, 2000)}`);
  return measured;
}
