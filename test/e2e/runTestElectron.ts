// The same end-to-end suite under @vscode/test-electron, for machines that can download VS Code
// (CI here cannot, and runs it in code-server instead: scripts/e2e.mjs).
//   npm run test:e2e:electron          (VSCODE_VERSION=1.100.3 to pin the editor; default stable)

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Bundled to dist-e2e/runTestElectron.js, next to dist-e2e/suite/.
  const root = resolve(__dirname, '..');
  const workspace = mkdtempSync(join(tmpdir(), 'nbguard-e2e-ws-'));
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { NBGUARD_E2E_OUT: join(root, 'test-results', 'e2e-electron') },
    });
    console.log('E2E (test-electron) PASSED');
  } catch (error) {
    console.error(`E2E (test-electron) FAILED: ${(error as Error).message ?? error}`);
    process.exitCode = 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main();
