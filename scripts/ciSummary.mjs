// The closing line of a CI run: unit and end-to-end tests together, as "N passed, N failed".
import { readFileSync } from 'node:fs';

const unit = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
const e2e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
const e2ePassed = e2e.tests.filter((t) => t.state === 'passed').length;
const e2eFailed = e2e.tests.filter((t) => t.state === 'failed').length;
console.log(`${unit.numPassedTests + e2ePassed} passed, ${unit.numFailedTests + e2eFailed} failed`);
process.exitCode = unit.numFailedTests + e2eFailed > 0 ? 1 : 0;
