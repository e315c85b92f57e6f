// The Spark job's tests (spark/: Python, pytest, ruff), run by `npm test` after the TypeScript
// suite: creates spark/.venv on first use with the pinned packages of spark/requirements.lock
// (pyspark carries Spark itself; Java 17 must be installed), installs the package in it, checks
// the code with ruff and runs pytest (local mode and a standalone cluster on loopback).
//
//   node scripts/sparkTests.mjs [pytest args...]      (NBGUARD_SKIP_SPARK=1 skips, saying so)

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const spark = join(root, 'spark');
const venv = join(spark, '.venv');
const bin = (name) => join(venv, 'bin', name);

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.env.NBGUARD_SKIP_SPARK) {
  console.log('spark tests: skipped (NBGUARD_SKIP_SPARK is set)');
  process.exit(0);
}
if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) {
  console.error('spark tests: Java is missing (Spark needs a JDK 17: apt-get install -y openjdk-17-jre-headless)');
  process.exit(1);
}
if (!existsSync(bin('python'))) {
  console.log('spark tests: creating spark/.venv with the pinned packages of spark/requirements.lock');
  run('python3', ['-m', 'venv', venv]);
  run(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', join(spark, 'requirements.lock')]);
}
// The package itself, editable (its code is imported by Spark's Python workers too).
run(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-build-isolation', '-e', spark]);
run(bin('ruff'), ['check', spark]);
run(bin('ruff'), ['format', '--check', spark]);
run(bin('python'), ['-m', 'pytest', '-q', ...process.argv.slice(2)], { cwd: spark });
