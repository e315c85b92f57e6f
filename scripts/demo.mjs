// See the extension in a real VS Code: code-server (VS Code 1.100 in the browser) on 127.0.0.1
// with nbguard installed from the packaged .vsix and a workspace holding the examples. Prints the
// URL and runs until Ctrl-C. The workspace is the user's: a stable folder (~/nbguard-demo by
// default) that gets the examples it does not have yet and is never deleted, so notebooks made
// or edited there survive a restart; code-server's settings and logs are temporary.
//
//   npm run demo                         a port the system picks
//   npm run demo -- --port 8080          a fixed port (e.g. for `ssh -L 8080:127.0.0.1:8080 host`)
//   npm run demo -- --workspace DIR      another workspace folder (created if missing)
//   npm run demo -- --from-folder        load the extension from this folder (npm run build)
//                                        instead of the .vsix, as an extension development host

import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedWorkspace } from './demoWorkspace.mjs';
import { CODE_SERVER_VERSION, ensureCodeServer, startCodeServer } from './e2e/codeServer.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, workspace: { type: 'string', default: join(homedir(), 'nbguard-demo') }, 'from-folder': { type: 'boolean', default: false } },
});

function npm(...args) {
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const fromFolder = values['from-folder'];
if (fromFolder) npm('run', 'build', '--silent');
else npm('run', 'package', '--silent'); // dist/ in production mode and nbguard.vsix
ensureCodeServer();

const workspace = resolve(values.workspace);
const added = seedWorkspace(join(root, 'examples'), workspace);

const server = await startCodeServer({
  workspace,
  port: Number(values.port),
  extensions: fromFolder ? [] : [join(root, 'nbguard.vsix')],
});
let url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
if (fromFolder) url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${root}`]]))}`;

console.log(`
nbguard in VS Code ${fromFolder ? '(extension loaded from this folder)' : '(installed from nbguard.vsix)'}, code-server ${CODE_SERVER_VERSION} on loopback only:

  ${url}

Open jdbc_ingest.ipynb or databricks_vendor_landing.py in the Explorer; the findings are
squiggles in the cells and in the Problems panel (Ctrl+Shift+M), Ctrl+. on one shows its quick
fixes, and the command palette has "nbguard: Scan Notebook". From another machine:
ssh -L ${server.port}:127.0.0.1:${server.port} THIS_HOST.

The workspace is ${workspace}${added.length > 0 ? ` (examples copied in: ${added.join(', ')})` : ''}.
It is yours: what you create or change there stays after Ctrl-C, which stops code-server.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server');
  await server.stop();
  console.log(`your workspace stays in ${workspace}`);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  if (stopping) return;
  console.error(`code-server exited (${code}):\n${server.output().slice(-4000)}`);
  stopping = true;
  void server.stop().then(() => process.exit(1));
});
