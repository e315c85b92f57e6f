// The JupyterLab extension's end-to-end test (jupyterlab/), run by `npm test` after the Spark
// job's: creates jupyterlab/.venv on first use with the pinned packages of
// jupyterlab/requirements.lock (JupyterLab 4.6 with ipykernel, the wheel builders, ruff), builds
// the extension and its wheel, installs the wheel there, starts JupyterLab on 127.0.0.1 and drives
// Debian's Chromium with playwright-core through what a user sees: marks on the right cells and
// lines, the hover text with its trace, the findings panel, an edit that adds a leak, cells run
// in a new order, a click on a trace step. Screenshots go to test-results/jupyterlab-*.png.
//
//   node scripts/jupyterlabTests.mjs      (NBGUARD_SKIP_JUPYTERLAB=1 skips, saying so)

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ext = join(root, 'jupyterlab');
const venv = join(ext, '.venv');
const bin = (name) => join(venv, 'bin', name);
const shots = join(root, 'test-results');
const env = { ...process.env, PATH: `${join(venv, 'bin')}:${process.env.PATH}`, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' };

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.env.NBGUARD_SKIP_JUPYTERLAB) {
  console.log('jupyterlab tests: skipped (NBGUARD_SKIP_JUPYTERLAB is set)');
  process.exit(0);
}
if (!existsSync(bin('python'))) {
  console.log('jupyterlab tests: creating jupyterlab/.venv with the pinned packages of jupyterlab/requirements.lock');
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

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** The AWS secret key of examples/jdbc_ingest.ipynb (a sample, not a live key). */
const KEY = '2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kj';

/** The test's notebook: a secret read in Cell 1, printed in Cell 3, a key pasted in Cell 4; nothing run yet. */
function leaksNotebook() {
  const code = (id, source) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: [
      code('read', 'import os\ntoken = os.environ.get("API_TOKEN", "")'),
      { cell_type: 'markdown', id: 'notes', metadata: {}, source: '# Partner data' },
      code('show', 'print(token)'),
      code('pasted', `aws_secret_access_key = "${KEY}"`),
    ],
  };
}

const checks = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(os.tmpdir(), 'nbguard-jupyterlab-'));
const config = join(work, '.jupyter');
mkdirSync(join(config, 'labconfig'), { recursive: true });
// JupyterLab's news pop-up would cover the notebook.
writeFileSync(join(config, 'labconfig', 'page_config.json'), JSON.stringify({ disabledExtensions: { '@jupyterlab/apputils-extension:announcements': true } }));
writeFileSync(join(work, 'leaks.ipynb'), JSON.stringify(leaksNotebook()));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(
  bin('jupyter'),
  ['lab', '--no-browser', '--allow-root', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', '--IdentityProvider.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True', `--ServerApp.root_dir=${work}`],
  { env: { ...env, JUPYTER_CONFIG_DIR: config, JUPYTER_RUNTIME_DIR: join(work, '.runtime'), JUPYTER_DATA_DIR: join(work, '.data') }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
);
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
let browser;
try {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/status`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/lab/tree/leaks.ipynb?reset`);
  await page.waitForSelector('.jp-Notebook .cm-content', { timeout: 60_000 });
  const cells = page.locator('.jp-Notebook .jp-Cell');
  const marksIn = (i) => cells.nth(i).locator('.cm-lintRange').allTextContents();
  await page.waitForSelector('.cm-lintRange', { timeout: 60_000 });

  // What the notebook shows when it opens.
  check('the leak is marked in Cell 3, on print(token)', JSON.stringify(await marksIn(2)) === JSON.stringify(['print(token)']), JSON.stringify(await marksIn(2)));
  check('the hardcoded key is marked in Cell 4', (await marksIn(3)).length === 1);
  check('the cell that reads the secret has no mark', (await marksIn(0)).length === 0);
  await cells.nth(2).locator('.cm-lintRange').first().hover();
  await page.waitForSelector('.cm-tooltip-hover, .cm-tooltip-lint', { timeout: 10_000 });
  const hover = (await page.locator('.cm-tooltip').allTextContents()).join('\n');
  check('the hover names the source, the sink and the cells of the trace', hover.includes('reaches print()') && hover.includes('(from Cell 1)') && hover.includes('Cell 1, line 2'), JSON.stringify(hover.slice(0, 300)));
  await page.mouse.move(5, 5);
  await page.waitForTimeout(500);
  await cells.nth(3).locator('.cm-lintRange').first().hover();
  await page.waitForSelector('.cm-tooltip-hover, .cm-tooltip-lint', { timeout: 10_000 });
  const keyHover = (await page.locator('.cm-tooltip').allTextContents()).join('\n');
  check('the hover of the hardcoded key masks it', keyHover.includes('AWS secret access key') && keyHover.includes('2hpC') && !keyHover.includes(KEY), JSON.stringify(keyHover.slice(0, 200)));
  await page.mouse.move(5, 5);

  // The panel, opened from the palette.
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.type('nbguard: Scan Notebook');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.jp-nbguard-finding', { timeout: 10_000 });
  const rules = await page.locator('.jp-nbguard-finding').evaluateAll((rows) => rows.map((r) => `${r.dataset.rule}@${r.dataset.cell}`));
  check('the panel lists both findings with their cells', JSON.stringify(rules.sort()) === JSON.stringify(['NBG101@2', 'NBG201@3']), JSON.stringify(rules));
  await page.screenshot({ path: join(shots, 'jupyterlab-open.png') });
  await page.locator('.jp-nbguard-step', { hasText: 'Cell 1, line 2' }).first().click();
  const active = await cells.evaluateAll((all) => all.findIndex((c) => c.classList.contains('jp-mod-active')));
  check('a click on a trace step selects its cell', active === 0, `active cell ${active}`);

  // Typing a leak into Cell 1 marks it a moment later.
  await cells.nth(0).locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nprint("token:", token)');
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[0]?.querySelector('.cm-lintRange') !== null, null, { timeout: 10_000 });
  check('an edit that adds a leak gets a mark', JSON.stringify(await marksIn(0)) === JSON.stringify(['print("token:", token)']), JSON.stringify(await marksIn(0)));
  await page.screenshot({ path: join(shots, 'jupyterlab-edit.png') });

  // Running Cell 3 (the print) before Cell 1 (the read): in execution order it leaks nothing.
  await cells.nth(2).locator('.jp-InputPrompt').click();
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction(() => /\[1\]/.test(document.querySelectorAll('.jp-Notebook .jp-Cell')[2]?.querySelector('.jp-InputPrompt')?.textContent ?? ''), null, { timeout: 60_000 });
  await cells.nth(0).locator('.jp-InputPrompt').click();
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction(() => /\[2\]/.test(document.querySelectorAll('.jp-Notebook .jp-Cell')[0]?.querySelector('.jp-InputPrompt')?.textContent ?? ''), null, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[2]?.querySelector('.cm-lintRange') === null, null, { timeout: 10_000 }).catch(() => undefined);
  check('after running Cell 3 before Cell 1, print(token) in Cell 3 is no longer a leak', (await marksIn(2)).length === 0, JSON.stringify(await marksIn(2)));
  check('the leak typed into Cell 1 stays marked', (await marksIn(0)).length === 1);
  await page.screenshot({ path: join(shots, 'jupyterlab-run-order.png') });
  check('no error in the page', pageErrors.length === 0, pageErrors.join(' | '));
} catch (error) {
  check('the run finished', false, `${error.message}\n${serverLog.slice(-2000)}`);
} finally {
  await browser?.close();
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(work, { recursive: true, force: true });
}
const failed = checks.filter((c) => !c.ok).length;
mkdirSync(shots, { recursive: true });
writeFileSync(join(shots, 'jupyterlab.json'), JSON.stringify({ passed: checks.length - failed, failed, checks }, null, 1));
console.log(`jupyterlab tests: ${checks.length - failed} passed, ${failed} failed (screenshots in test-results/jupyterlab-*.png)`);
process.exit(failed > 0 || checks.length === 0 ? 1 : 0);
