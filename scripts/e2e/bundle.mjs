// Bundles the end-to-end suite for VS Code's extension host into dist-e2e/ (gitignored):
// dist-e2e/suite/index.js (extensionTestsPath), one dist-e2e/suite/*.e2e.js per test file, and
// dist-e2e/runTestElectron.js. `vscode` comes from the editor; mocha and @vscode/test-electron
// are loaded from node_modules at run time (mocha's describe/it must be the runner's).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const outDir = `${root}dist-e2e`;

export async function bundleSuite() {
  rmSync(outDir, { recursive: true, force: true });
  const suite = `${root}test/e2e/suite`;
  const tests = readdirSync(suite).filter((f) => f.endsWith('.e2e.ts')).map((f) => `${suite}/${f}`);
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning', external: ['vscode', 'mocha', '@vscode/test-electron'] };
  await build({ ...common, entryPoints: [`${suite}/index.ts`, ...tests], outdir: `${outDir}/suite` });
  await build({ ...common, entryPoints: [`${root}test/e2e/runTestElectron.ts`], outdir: outDir });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleSuite();
