// Checks that user-supplied detector regexes finish on adversarial input. A regex that
// backtracks catastrophically cannot be interrupted inside this process, so the check runs in
// a child process with a time limit; a pattern that does not finish in time is rejected with
// an error naming the detector, before it can hang a scan or the language server.

import { spawnSync } from 'node:child_process';
import type { DetectorRule } from '../analysis/rules/ruleFile';
import { adversarialInputs } from '../analysis/detectors/adversarialInputs';

const INPUT_SIZE = 50_000;
const TIME_LIMIT_MS = 3_000;

// Runs in the child: every pattern over every input; prints the id of each as it finishes.
const CHILD = `
const { patterns, inputs } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const p of patterns) {
  const re = new RegExp(p.pattern, (p.flags || '') + 'g');
  for (const input of inputs) { re.lastIndex = 0; while (re.exec(input)) { if (re.lastIndex === 0) break; } }
  process.stdout.write(p.id + '\\n');
}`;

export interface UnsafePattern {
  readonly id: string;
  readonly reason: string;
}

/** The detectors whose regex does not finish on adversarial input within the time limit. */
export function findUnsafePatterns(rules: readonly DetectorRule[]): UnsafePattern[] {
  if (rules.length === 0) return [];
  const inputs = adversarialInputs(INPUT_SIZE).map((i) => i.text);
  const unsafe: UnsafePattern[] = [];
  let remaining = [...rules];
  while (remaining.length > 0) {
    const child = spawnSync(process.execPath, ['-e', CHILD], {
      input: JSON.stringify({ patterns: remaining.map((r) => ({ id: r.id, pattern: r.pattern, flags: r.flags })), inputs }),
      timeout: TIME_LIMIT_MS * remaining.length,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      maxBuffer: 1 << 20,
    });
    const finished = new Set((child.stdout ?? '').split('\n').filter(Boolean));
    const next = remaining.find((r) => !finished.has(r.id));
    if (!next) break;
    if (child.error && (child.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') {
      throw new Error(`cannot check detector patterns: ${child.error.message}`);
    }
    unsafe.push({ id: next.id, reason: `its pattern does not finish on adversarial input within ${TIME_LIMIT_MS / 1000} s (catastrophic backtracking?)` });
    remaining = remaining.slice(remaining.indexOf(next) + 1);
  }
  return unsafe;
}
