// The entry point VS Code loads as extensionTestsPath: runs every bundled *.e2e.js file next to
// it with mocha inside the extension host, and writes each test's outcome to
// $NBGUARD_E2E_OUT/suite.json for the runner. A rejected promise makes the run exit with 1.

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { outDir } from './helpers';

interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.e2e.js')).sort()) mocha.addFile(join(__dirname, file));
  const outcomes: TestOutcome[] = [];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const dir = outDir();
      if (dir) writeFileSync(join(dir, 'suite.json'), JSON.stringify({ failures, durationMs: Date.now() - started, tests: outcomes }, null, 2));
      if (failures > 0) reject(new Error(`${failures} end-to-end test${failures === 1 ? '' : 's'} failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: String(err?.stack ?? err) }));
    runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), state: 'pending' }));
  });
}
