// JupyterLab for nbguard's end-to-end test and benchmark: jupyterlab/.venv made from the pinned
// packages of jupyterlab/requirements.lock, the extension built, packaged as a wheel and
// installed there, a JupyterLab started on 127.0.0.1 over a temporary folder, and Debian's
// Chromium driven by playwright-core.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const ext = join(root, 'jupyterlab');
const venv = join(ext, '.venv');
const bin = (name) => join(venv, 'bin', name);
const env = { ...process.env, PATH: `${join(venv, 'bin')}:${process.env.PATH}`, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' };

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Makes the venv on first use, checks and builds the extension, and installs its wheel in the venv. */
export function installExtension() {
  if (!existsSync(bin('python'))) {
    console.log('jupyterlab: creating jupyterlab/.venv with the pinned packages of jupyterlab/requirements.lock');
    run('python3', ['-m', 'venv', venv]);
    run(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', join(ext, 'requirements.lock')]);
  }
  if (!existsSync(join(ext, 'node_modules'))) run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ext });
  run('npm', ['run', 'typecheck'], { cwd: ext });
  run(bin('ruff'), ['check', join(ext, 'nbguard_jupyterlab')]);
  run(bin('ruff'), ['format', '--check', join(ext, 'nbguard_jupyterlab')]);
  run('npm', ['run', 'build'], { cwd: ext });
  rmSync(join(ext, 'dist'), { recursive: true, force: true });
  run(bin('python'), ['-m', 'build', '--wheel', '--no-isolation', '--outdir', join(ext, 'dist'), ext], { stdio: ['ignore', 'ignore', 'inherit'] });
  const wheel = readdirSync(join(ext, 'dist')).find((f) => f.endsWith('.whl'));
  run(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', '--force-reinstall', '--no-deps', join(ext, 'dist', wheel)]);
  return join(ext, 'nbguard_jupyterlab', 'labextension');
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * Starts JupyterLab over a temporary folder holding `notebooks` (name -> nbformat JSON);
 * `disabled` names labextensions to turn off (a JupyterLab without nbguard, to compare with).
 */
export async function startLab(notebooks, { disabled = [] } = {}) {
  const work = mkdtempSync(join(os.tmpdir(), 'nbguard-jupyterlab-'));
  const config = join(work, '.jupyter');
  mkdirSync(join(config, 'labconfig'), { recursive: true });
  // JupyterLab's news pop-up would cover the notebook.
  writeFileSync(join(config, 'labconfig', 'page_config.json'), JSON.stringify({ disabledExtensions: Object.fromEntries(['@jupyterlab/apputils-extension:announcements', ...disabled].map((id) => [id, true])) }));
  for (const [name, notebook] of Object.entries(notebooks)) writeFileSync(join(work, name), JSON.stringify(notebook));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    bin('jupyter'),
    ['lab', '--no-browser', '--allow-root', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', '--IdentityProvider.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True', `--ServerApp.root_dir=${work}`],
    { env: { ...env, JUPYTER_CONFIG_DIR: config, JUPYTER_RUNTIME_DIR: join(work, '.runtime'), JUPYTER_DATA_DIR: join(work, '.data') }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/status`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    log: () => log,
    stop() {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
}
