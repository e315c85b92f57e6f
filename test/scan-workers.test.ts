// The scan's worker pool (server/src/cli/scanWorkers.ts) with stand-in workers: results come back
// in the files' order whatever order the workers finish in, and a worker that dies mid-scan ends
// the scan with an error instead of leaving it waiting.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanInWorkers } from '../server/src/cli/scanWorkers';

const setup = { order: 'execution' as const, maxFileSize: 1 << 20, keepRawText: false, rules: [] };

/** A stand-in worker: answers each file after `delay(index)` ms, or exits when told to. */
function standIn(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nbguard-workers-')), 'worker.cjs');
  writeFileSync(file, `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => {\n  if (m === null) return parentPort.close();\n${body}\n});\nparentPort.postMessage({ ready: true });\n`);
  return file;
}

describe('the scan worker pool', () => {
  it('returns the scans in the files\' order, the slow first file included', async () => {
    const worker = standIn(`  setTimeout(() => parentPort.postMessage({ index: m.index, scan: { file: m.file, findings: [], syntaxErrors: [], lines: [] } }), m.index === 0 ? 200 : 5);`);
    const files = Array.from({ length: 9 }, (_, i) => `f${i}.ipynb`);
    const scans = await scanInWorkers(worker, files, setup, 3);
    expect(scans.map((s) => s.file)).toEqual(files);
  });

  it('fails the scan when a worker dies before answering', async () => {
    const worker = standIn(`  if (m.index === 2) process.exit(3);\n  parentPort.postMessage({ index: m.index, scan: { file: m.file, findings: [], syntaxErrors: [], lines: [] } });`);
    await expect(scanInWorkers(worker, ['a', 'b', 'c', 'd'], setup, 2)).rejects.toThrow(/a scan worker stopped \(exit code 3\) before the scan was done/);
  });
});
