// code-server (VS Code 1.100 in a browser) for the end-to-end test and the demo.
//
// VS Code itself cannot be downloaded on the CI machines; code-server comes from the npm
// registry. `npm install code-server` does not work offline as is (its postinstall refuses root,
// @vscode/ripgrep downloads from GitHub, kerberos needs libkrb5-dev), so it is installed with
// --ignore-scripts and the native modules it needs are rebuilt one by one
// (../shared/notes/e2e-vscode.md). The result is cached outside the clone, keyed by version:
// ~/.cache/nbguard-code-server/4.100.3-node-abi115 (or under $NBGUARD_CODE_SERVER_CACHE).
//
// The server only ever binds 127.0.0.1, on a port the system picks (or a given one), without
// authentication, with every file it writes (settings, logs, extensions) in a temporary folder,
// and in its own process group so that stopping it stops its file watcher and extension host.
//
//   node scripts/e2e/codeServer.mjs install     install (or check) the cached code-server

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

const cacheRoot = process.env.NBGUARD_CODE_SERVER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'nbguard-code-server');
// Native modules are built for this Node's ABI: one install per code-server version and ABI.
export const installDir = join(cacheRoot, `${CODE_SERVER_VERSION}-node-abi${process.versions.modules}`);
const packageDir = join(installDir, 'node_modules', 'code-server');
export const codeServerBin = join(packageDir, 'out', 'node', 'entry.js');
const marker = join(installDir, '.installed');

const log = (msg) => console.log(`[code-server] ${msg}`);

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env } });
  if (r.status !== 0) {
    process.stderr.write(r.stdout.slice(-4000) + r.stderr.slice(-4000));
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with status ${r.status}`);
  }
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const SYSTEM_PACKAGES = { chromium: () => existsSync('/usr/bin/chromium'), ripgrep: () => which('rg') !== undefined };

/** Debian packages (chromium, ripgrep): installed with apt-get when missing and running as root (CI). */
export function ensureSystemPackages(names = ['chromium', 'ripgrep']) {
  const missing = names.filter((name) => !SYSTEM_PACKAGES[name]());
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    throw new Error(`Debian's ${missing.join(' and ')} is missing: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install -y ${missing.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], '/', env);
  run('apt-get', ['install', '-y', '-qq', ...missing], '/', env);
}

/**
 * Installs code-server into the cache unless it is already there; returns the entry script.
 * The install goes to a staging folder renamed into place when complete, so an interrupted or
 * concurrent install never leaves a half-installed cache behind.
 */
export function ensureCodeServer() {
  if (existsSync(marker) && existsSync(codeServerBin)) return codeServerBin;
  ensureSystemPackages(['ripgrep']);
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${installDir} (once; about 1-2 minutes)`);
  const staging = `${installDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'nbguard-code-server', private: true }, null, 2));
    run('npm', ['install', '--no-save', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], staging);
    // Password hashing: unused with --auth none, but loaded at start; no prebuilt binary offline.
    run('npm', ['rebuild', 'argon2'], staging);
    const vscodeDir = join(staging, 'node_modules', 'code-server', 'lib', 'vscode');
    run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], vscodeDir);
    run('npm', ['rebuild', '@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'native-watchdog', 'node-pty'], vscodeDir, { npm_config_yes: 'true' });
    rmSync(join(vscodeDir, 'node_modules.asar'), { recursive: true, force: true });
    symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
    const link = (dir, target, name) => {
      rmSync(join(vscodeDir, dir, name), { force: true });
      symlinkSync(target, join(vscodeDir, dir, name));
    };
    link('bin/remote-cli', 'code-linux.sh', 'code-server');
    link('bin/helpers', 'browser-linux.sh', 'browser.sh');
    // Search in files: Debian's ripgrep instead of the one @vscode/ripgrep downloads from GitHub.
    mkdirSync(join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
    link('node_modules/@vscode/ripgrep/bin', which('rg'), 'rg');
    // The built-in extensions' own dependencies (the ipynb serializer among them).
    run('npm', ['install', '--omit=dev', '--no-package-lock'], join(vscodeDir, 'extensions'));
    writeFileSync(join(staging, '.installed'), `code-server ${CODE_SERVER_VERSION} installed ${new Date().toISOString()}\n`);
    if (!existsSync(marker)) {
      rmSync(installDir, { recursive: true, force: true });
      renameSync(staging, installDir);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerBin;
}

/** User settings that keep the workbench quiet and deterministic for tests and screenshots. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'notebook.lineNumbers': 'on',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * Starts code-server on 127.0.0.1 (never another address) with `workspace` open, on `port` or
 * by default a port the system picks.
 * `extensions` are .vsix files or extension ids to install first (--install-extension).
 * Resolves once /healthz answers; `stop()` kills the whole process group and removes the
 * temporary folder (unless keepTemp).
 */
export async function startCodeServer({ workspace, extensions = [], env = {}, settings = {}, port = 0, keepTemp = false, quiet = true } = {}) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${port}`);
  const bin = ensureCodeServer();
  const tmp = mkdtempSync(join(tmpdir(), 'nbguard-code-server-'));
  const dirs = { userData: join(tmp, 'user-data'), extensions: join(tmp, 'extensions'), xdg: join(tmp, 'xdg') };
  for (const d of [dirs.userData, dirs.extensions, join(dirs.userData, 'User'), join(dirs.xdg, 'data'), join(dirs.xdg, 'cache'), join(dirs.xdg, 'config')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  const config = join(tmp, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const childEnv = {
    ...process.env,
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    // code-server would otherwise pick these up and bind or authenticate differently.
    PASSWORD: '',
    HASHED_PASSWORD: '',
    PORT: '',
    VSCODE_PROXY_URI: '',
    // No extension gallery (open-vsx.org): nothing is installed from the network, nothing is looked up.
    EXTENSIONS_GALLERY: '{}',
    ...env,
  };
  delete childEnv.PASSWORD;
  delete childEnv.HASHED_PASSWORD;
  delete childEnv.PORT;
  delete childEnv.VSCODE_PROXY_URI;
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  for (const ext of extensions) {
    execFileSync(process.execPath, [bin, ...common, '--install-extension', ext], { env: childEnv, stdio: quiet ? 'pipe' : 'inherit' });
  }
  const args = [
    bin,
    ...common,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-file-downloads',
    '--ignore-last-opened',
    workspace,
  ];
  const logFile = join(tmp, 'code-server.log');
  let output = '';
  // detached: a process group of its own, so that stop() reaches the watcher and extension host.
  const child = spawn(process.execPath, args, { cwd: tmp, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (chunk) => {
    output += chunk.toString();
    appendFileSync(logFile, chunk);
    if (!quiet) process.stdout.write(chunk);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  child.on('exit', () => (exited = true));

  let stopping;
  const stop = () => (stopping ??= stopGroup());
  const stopGroup = async () => {
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        break; // the group is gone
      }
      for (let i = 0; i < 30 && groupAlive(child.pid); i++) await sleep(100);
      if (!groupAlive(child.pid)) break;
    }
    if (!keepTemp) rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + 60_000;
    let listening;
    while (!listening) {
      if (exited) throw new Error(`code-server exited at start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`code-server did not report its port in 60 s:\n${output}`);
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) listening = Number(m[1]);
      else await sleep(100);
    }
    const url = `http://127.0.0.1:${listening}`;
    while (true) {
      if (Date.now() > deadline) throw new Error(`code-server did not answer ${url}/healthz in 60 s:\n${output}`);
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) break;
      } catch {
        // not yet
      }
      await sleep(100);
    }
    return { url, port: listening, pid: child.pid, tmp, userDataDir: dirs.userData, logFile, stop, output: () => output, child };
  } catch (e) {
    await stop();
    throw e;
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'install') {
    const bin = ensureCodeServer();
    const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
    log(`code-server ${version} ready: ${bin}`);
  } else {
    console.error('usage: node scripts/e2e/codeServer.mjs install');
    process.exit(2);
  }
}
