// Shared helpers of the `nbguard audit` tests (test/audit-*.test.ts), no tests of its own: running
// the CLI (`audit`, `auditAsync`, `auditJson`) in a temporary folder each test file makes for
// itself (`useAuditFolder`), writing log files there, the types of the JSON report, short forms of
// findings, session ids and the constants the tests share. The logs themselves are built by
// auditLog.ts.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { BASE, DEFAULT_WORKSPACE } from './auditLog';

const root = resolve(__dirname, '..');
/** NBGUARD_CLI: another build of the command to run these tests against (default dist/cli.js). */
export const cli = process.env.NBGUARD_CLI ? resolve(process.env.NBGUARD_CLI) : resolve(root, 'dist', 'cli.js');
/** Microsoft's SARIF validator. */
export const validator = resolve(root, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The test folder of the running test file (vitest runs each file in its own process); see useAuditFolder. */
export let dir: string;

/**
 * Checks that the CLI is built and makes a fresh temporary test folder before the tests of the
 * calling file: call it once at the top level of each test file.
 */
export function useAuditFolder(): void {
  beforeAll(() => {
    expect(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'nbguard-audit-'));
  });
}

/** Runs `nbguard audit ARGS` in the test folder, with `input` on standard input. */
export function audit(args: string[], input = ''): Run {
  const r = spawnSync(process.execPath, [cli, 'audit', ...args], { cwd: dir, input, encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without waiting: several processes at once. */
export function auditAsync(args: string[], input = ''): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, 'audit', ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `--format json` over the files: the parsed document (the run must not fail with 2). */
export function auditJson(args: string[], input = ''): { status: number | null; doc: AuditDoc; stderr: string } {
  const r = audit(['--format', 'json', ...args], input);
  expect(r.status, r.stderr).not.toBe(2);
  return { status: r.status, doc: JSON.parse(r.stdout) as AuditDoc, stderr: r.stderr };
}

export interface Step {
  file: string;
  cell: number;
  line: number;
  column: number;
  message: string;
  commandId: string;
}

export interface AuditFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  cell: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  trace?: Step[];
  session: string;
  commandId: string;
  notebookId: string;
  workspaceId?: string;
  user?: string;
}

export interface AuditDoc {
  version: number;
  findings: AuditFinding[];
  errors: { file: string; message: string }[];
  unparsableCommands: { file: string; session: string; commandId: string; cell: number; line: number; column: number; message: string }[];
  malformedLines: { file: string; line: number; reason: string }[];
  summary: {
    lines: number;
    malformedLines: number;
    otherEvents: number;
    lateEvents: number;
    sessions: number;
    commands: number;
    skippedCommands: number;
    unparsableCommands: number;
    findings: number;
    baselinedFindings: number;
    findingsByRule: Record<string, number>;
    topNotebooks: { file: string; workspaceId?: string; findings: number; sessions: number }[];
  };
}

/** A finding in one short line: rule, file, session, cell, command and line. */
export const short = (f: AuditFinding) => `${f.ruleId} ${f.file} ${f.session} cell ${f.cell} ${f.commandId}:${f.line}`;

/** Sorted short forms. */
export const shorts = (fs: AuditFinding[]) => fs.map(short).sort();

/** The session id of a notebook attached `t` seconds after BASE, in the default workspace. */
export const sid = (nb: string, t: number, workspace = DEFAULT_WORKSPACE) => `${workspace}/${nb}@${new Date(BASE + t * 1000).toISOString()}`;

/** Writes a log file in the test folder and returns its name. */
export function write(name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** The command that reads a secret into `pw` (later commands print it). */
export const SOURCE = 'pw = dbutils.secrets.get("db", "password")';
/** A minute, in the seconds auditLog's times are given in. */
export const MIN = 60;
