// Bundles the fuzzer (fuzz/main.ts and the nbguard sources it imports) with esbuild into
// fuzz/.build/main.cjs and runs it with node, passing the arguments on: `npm run fuzz -- --seed 7`.
// Node 20 cannot run TypeScript itself. As in bench/run.mjs, each source file's import.meta.url
// is replaced by its own URL (the analysis finds its wasm files and rules from it), and npm
// packages stay external.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceImportMetaUrl } from '../scripts/sourceImportMetaUrl.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'fuzz', '.build', 'main.cjs');

await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'fuzz', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [sourceImportMetaUrl],
});

const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.on('SIGINT', () => child.kill('SIGINT'));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
