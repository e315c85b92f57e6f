// Bundles the benchmark (bench/analysis.bench.ts and the analysis sources it imports) with
// esbuild into bench/.build/analysis.bench.mjs and runs it with node, passing the arguments on.
// `calibrate` bundles and runs bench/calibrate.ts (the entropy calibration) instead, `redact`
// bench/redact.bench.ts (redaction throughput against ripgrep and secretlint), `lsp`
// bench/lsp.bench.ts (the language server, dist/server.js, driven over stdio), `audit`
// bench/audit.bench.ts (nbguard audit over a generated audit log).
// Node 20 cannot run TypeScript itself.
//
//   node bench/run.mjs                       measure, print the table
//   node bench/run.mjs --write               ... and rewrite docs/performance.md (npm run bench)
//   node bench/run.mjs --sizes 50,300        other notebook sizes
//   node bench/run.mjs --profile             ... and CPU-profile the 300-cell runs (always with --write)
//   node bench/run.mjs profile --cells 300 --phase full|edit
//                                            CPU profile, top self-time functions
//   node bench/run.mjs generate --cells 300 --seed 1 --out nb.ipynb
//                                            write a generated notebook
//   node bench/run.mjs calibrate [--seed 1]  entropy calibration: rewrites
//                                            docs/entropy-calibration.md and docs/entropy-histogram.svg
//   node bench/run.mjs redact [--write]      nbguard redact on a generated 1 GiB Spark driver log,
//                                            against rg -P and secretlint (docs/performance-redact.md)
//   node bench/run.mjs lsp [--write]         edit -> published diagnostics through the language server,
//                                            and its memory (docs/performance-lsp.md; needs npm run build)
//   node bench/run.mjs scanners [--write]    nbguard's detectors against secretlint, gitleaks, detect-secrets
//                                            and trufflehog on the detectors' test vectors, in notebooks and in a log (docs/scanners.md)
//   node bench/run.mjs spark [--write]       the Spark job (spark/) at 1 and 2 executor cores against one
//                                            process on the same audit log (docs/performance-spark.md)
//   node bench/run.mjs cli [--base REV] [--write]
//                                            the command's start on a small notebook and a 40-notebook scan
//                                            (--jobs 1 and every core), beside the code at REV
//                                            (docs/performance-cli.md; needs npm run build)
//   node bench/run.mjs edit-cost [--base REV] [--write]
//                                            the language server's main-thread CPU per edit and per open at
//                                            500 to 5,000 cells, beside REV (docs/performance-edit-cost.md)
//   node bench/run.mjs audit [--write]       nbguard audit on a generated 1 GiB Databricks audit log: one
//                                            core, sessionizing, partitioned runs, a Spark projection
//                                            (docs/performance-audit.md; needs npm run build)
//
// The analysis sources find their wasm files and the built-in rules from import.meta.url when
// they are not the production bundle. In a bundle import.meta.url would be the bundle's own
// URL, so each source file gets its own URL substituted at build time instead; npm packages
// stay external and load from node_modules as they do under the tests.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceImportMetaUrl } from '../scripts/sourceImportMetaUrl.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const calibrate = process.argv[2] === 'calibrate';
const redact = process.argv[2] === 'redact';
const lsp = process.argv[2] === 'lsp';
const audit = process.argv[2] === 'audit';
const recovery = process.argv[2] === 'recovery';
const scanners = process.argv[2] === 'scanners';
const sparkBench = process.argv[2] === 'spark';
const cliBench = process.argv[2] === 'cli';
const editCost = process.argv[2] === 'edit-cost';
const entry = editCost ? 'editCost.bench' : cliBench ? 'cli.bench' : calibrate ? 'calibrate' : sparkBench ? 'spark.bench' : scanners ? 'scanners.bench' : redact ? 'redact.bench' : lsp ? 'lsp.bench' : audit ? 'audit.bench' : recovery ? 'recovery.bench' : 'analysis.bench';
const outfile = join(root, 'bench', '.build', `${entry}.mjs`);

await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'bench', `${entry}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [sourceImportMetaUrl],
});

const child = spawn(process.execPath, [outfile, ...process.argv.slice(calibrate || redact || lsp || audit || recovery || scanners || sparkBench || cliBench || editCost ? 3 : 2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
