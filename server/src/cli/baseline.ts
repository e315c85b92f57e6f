// Baseline files: the fingerprints (fingerprints.ts) of the findings a team has accepted, so a
// later run reports only new ones. `--write-baseline FILE` records a run, `--baseline FILE`
// filters by it; scan and audit share the format.

import { describeJsonError } from '../analysis/notebook/jsonError';
import { readFileSync, writeFileSync } from 'node:fs';

interface BaselineFile {
  readonly version: 1;
  readonly fingerprints: readonly string[];
}

export class BaselineError extends Error {}

export function readBaseline(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BaselineError(`${path}: cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  let data: BaselineFile;
  try {
    data = JSON.parse(text) as BaselineFile;
  } catch {
    throw new BaselineError(`${path}: cannot be read as an nbguard baseline: ${describeJsonError(text)}`);
  }
  if (data?.version !== 1 || !Array.isArray(data.fingerprints)) throw new BaselineError(`${path}: not an nbguard baseline (version 1 with fingerprints)`);
  return new Set(data.fingerprints);
}

export function writeBaseline(path: string, fingerprints: Iterable<string>): void {
  writeFileSync(path, `${JSON.stringify({ version: 1, fingerprints: [...new Set(fingerprints)].sort() }, null, 2)}\n`);
}
