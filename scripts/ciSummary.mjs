// The closing line of a CI run: unit, Spark job (pytest), JupyterLab and VS Code end-to-end tests
// together, as "N passed, N failed".
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
const lab = existsSync('test-results/jupyterlab.json') ? JSON.parse(readFileSync('test-results/jupyterlab.json', 'utf8')) : { passed: 0, failed: 1 };
const failed = unit.numFailedTests + e2eFailed + sparkFailed + lab.failed;
console.log(`${unit.numPassedTests + sparkPassed + lab.passed + e2ePassed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
