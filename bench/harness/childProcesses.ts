// Every measurement runs in a fresh node process (the benchmark bundle again, with `--child`),
// so that sizes do not share JIT state, heap growth or peak RSS. The child prints its result as
// one tagged JSON line on stdout; the parent runs it and reads that line back.

import { spawnSync } from 'node:child_process';
import { ROOT } from './config';

const RESULT_TAG = '@@bench-result ';

/** Runs the benchmark bundle in a child node process and returns the result it printed. */
export function runChild<T>(nodeFlags: string[], args: string[]): T {
  const bundle = process.argv[1];
  const out = spawnSync(process.execPath, [...nodeFlags, bundle, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) {
    process.stderr.write(out.stdout ?? '');
    process.stderr.write(out.stderr ?? '');
    throw new Error(`benchmark child ${args.join(' ')} failed (status ${out.status}, signal ${out.signal})`);
  }
  const line = out.stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (!line) throw new Error(`benchmark child ${args.join(' ')} printed no result`);
  return JSON.parse(line.slice(RESULT_TAG.length)) as T;
}

/** In a child: prints the result for the parent to read. */
export function printChildResult(result: unknown): void {
  process.stdout.write(`${RESULT_TAG}${JSON.stringify(result)}\n`);
}
