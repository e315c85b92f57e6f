// Helpers of the end-to-end suite, which runs inside VS Code's extension host (code-server's,
// or the desktop one under @vscode/test-electron): polling for diagnostics, and the handshake
// with the runner (scripts/e2e.mjs) that takes the screenshots.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** The diagnostic's rule id: nbguard sends `code` with a link to docs/rules.md. */
export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

export function nbguardDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nbguard');
}

/** `NBG101@7:4` per diagnostic (0-based line and character of the start), sorted. */
export function describeDiagnostics(uri: vscode.Uri): string[] {
  return nbguardDiagnostics(uri)
    .map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`)
    .sort();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, last?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last seen: ${last()}` : ''}`);
    await sleep(100);
  }
}

/** Waits until `uri` has exactly the nbguard diagnostics `expected` (as describeDiagnostics). */
export async function waitForDiagnostics(uri: vscode.Uri, expected: readonly string[], timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const want = [...expected].sort().join(', ');
  return waitFor(
    `nbguard diagnostics [${want}] on ${uri.toString()}`,
    () => (describeDiagnostics(uri).join(', ') === want ? nbguardDiagnostics(uri) : undefined),
    timeoutMs,
    () => `[${describeDiagnostics(uri).join(', ')}]`,
  );
}

/** Where the runner wants the suite's results (test-results/), if it set it. */
export function outDir(): string | undefined {
  const dir = process.env.NBGUARD_E2E_OUT;
  if (dir) mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Asks the runner for a screenshot of the workbench as it is now and waits until it is taken.
 * The suite writes `<name>.request` into $NBGUARD_E2E_SIGNALS; the runner takes
 * test-results/<name>.png and answers with `<name>.done`. Without a runner (test-electron) this
 * only waits a moment.
 */
export async function screenshot(name: string, options: { waitForSelector?: string; waitForText?: string } = {}): Promise<void> {
  const dir = process.env.NBGUARD_E2E_SIGNALS;
  if (!dir) {
    await sleep(300);
    return;
  }
  writeFileSync(join(dir, `${name}.request`), JSON.stringify(options));
  await waitFor(`the runner's screenshot ${name}`, () => (existsSync(join(dir, `${name}.done`)) ? true : undefined), 60_000);
}

/** What the workbench shows for a CSS selector: how many elements match, and their text. */
export interface Seen {
  readonly count: number;
  readonly texts: string[];
}

/**
 * Asks the runner what the user sees: the elements of the workbench page matching `selector`
 * (`.squiggly-error` decorations in the cell editors, the hover's text, the quick-fix menu), after
 * waiting up to `timeoutMs` for one to be visible (and to hold `waitForText`). The suite writes
 * `<name>.look`; the runner answers with `<name>.seen`. Without a runner (test-electron, where
 * the page is not reachable) it returns undefined.
 */
export async function look(name: string, selector: string, options: { waitForText?: string; timeoutMs?: number } = {}): Promise<Seen | undefined> {
  const dir = process.env.NBGUARD_E2E_SIGNALS;
  if (!dir) return undefined;
  writeFileSync(join(dir, `${name}.look`), JSON.stringify({ selector, ...options }));
  const answer = join(dir, `${name}.seen`);
  await waitFor(`the runner's look at ${selector}`, () => (existsSync(answer) ? true : undefined), (options.timeoutMs ?? 15_000) + 30_000);
  return JSON.parse(readFileSync(answer, 'utf8')) as Seen;
}
