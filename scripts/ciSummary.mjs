// The closing line of a CI run: unit, Spark job (pytest) and end-to-end tests together, as
// "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

const unit = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
const e2e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
const e2ePassed = e2e.tests.filter((t) => t.state === 'passed').length;
const e2eFailed = e2e.tests.filter((t) => t.state === 'failed').length;
// pytest's JUnit XML: <testsuite tests="N" failures="F" errors="E" skipped="S">.
const junit = existsSync('test-results/pytest.xml') ? readFileSync('test-results/pytest.xml', 'utf8') : '';
const attr = (name) => Number(new RegExp(`<testsuite[^>]*\\b${name}="(\\d+)"`).exec(junit)?.[1] ?? 0);
const sparkFailed = attr('failures') + attr('errors');
const sparkPassed = attr('tests') - sparkFailed - attr('skipped');
const failed = unit.numFailedTests + e2eFailed + sparkFailed;
console.log(`${unit.numPassedTests + sparkPassed + e2ePassed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
