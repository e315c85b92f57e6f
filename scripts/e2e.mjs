// The end-to-end test in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) on 127.0.0.1 and
// Debian's Chromium driven by playwright-core. Builds the extension, bundles the mocha suite
// (test/e2e/suite), opens the workbench on a temporary copy of examples/ with the URL payload
// that makes VS Code load the extension from this folder and run the suite in its extension
// host (what @vscode/test-electron does with a desktop VS Code), takes the screenshots the suite
// asks for, and exits with the suite's result.
//
//   npm run test:e2e                 (node scripts/e2e.mjs [--skip-build] [--keep])
//
// Writes to test-results/: e2e.json (outcome, timings, activation time), the screenshots
// (notebook-squiggles.png, hover-trace.png, quick-fix.png, databricks-py.png, problems-trace.png,
// problems-panel.png, scan-notebook.png), and the logs of the run (e2e-*.log).

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { bundleSuite, outDir as suiteDir } from './e2e/bundle.mjs';
import { CODE_SERVER_VERSION, ensureCodeServer, ensureSystemPackages, startCodeServer } from './e2e/codeServer.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, 'test-results');
const args = new Set(process.argv.slice(2));
const TIMEOUT_MS = 5 * 60_000;
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = ['notebook-squiggles', 'hover-trace', 'quick-fix', 'databricks-py', 'problems-trace', 'problems-panel', 'scan-notebook'];

// Workbench start-up messages that reach the same log as the suite's output (kept in e2e-suite.log).
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore)/;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);

function step(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed with status ${r.status}`);
}

/** Every file under `dir` whose name matches. */
function findFiles(dir, re, found = []) {
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p, { throwIfNoEntry: false });
    if (s?.isDirectory()) findFiles(p, re, found);
    else if (s && re.test(name)) found.push(p);
  }
  return found;
}

const report = { passed: false, codeServer: CODE_SERVER_VERSION, chromium: undefined, timings: {}, screenshots: [], tests: [], errors: [], warnings: [] };
let server;
let browser;
let work;
let exitCode = 1;

/** Stops Chromium and code-server (its whole process group) and removes the temporary files. */
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (work && !args.has('--keep')) rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}

// Ctrl-C: code-server runs in a process group of its own, which the terminal's signal misses.
let interrupted;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    console.error(`\nE2E FAILED: interrupted (${signal}), stopping code-server and Chromium`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  mkdirSync(results, { recursive: true });
  for (const f of readdirSync(results)) if (/^e2e.*\.(json|log)$/.test(f) || SCREENSHOTS.includes(f.replace(/\.png$/, ''))) rmSync(join(results, f), { force: true });

  if (!args.has('--skip-build')) {
    say('building the extension (npm run build)');
    step('npm', ['run', 'build', '--silent']);
  }
  await bundleSuite();
  report.timings.buildS = (Date.now() - t0) / 1000;

  const installStarted = Date.now();
  ensureSystemPackages();
  ensureCodeServer();
  report.timings.installS = (Date.now() - installStarted) / 1000;

  work = mkdtempSync(join(tmpdir(), 'nbguard-e2e-'));
  const workspace = join(work, 'examples');
  const signals = join(work, 'signals');
  const suiteOut = join(work, 'out');
  mkdirSync(signals);
  mkdirSync(suiteOut);
  cpSync(join(root, 'examples'), workspace, { recursive: true });

  const serverStarted = Date.now();
  server = await startCodeServer({ workspace, keepTemp: args.has('--keep'), env: { NBGUARD_E2E_SIGNALS: signals, NBGUARD_E2E_OUT: suiteOut } });
  report.timings.codeServerStartS = (Date.now() - serverStarted) / 1000;
  say(`code-server ${CODE_SERVER_VERSION} listening on ${server.url} (process group ${server.pid})`);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our handlers stop code-server too; playwright's own would exit before that.
    handleSIGINT: false,
    handleSIGTERM: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  report.chromium = browser.version();
  const context = await browser.newContext({ viewport: { width: 1500, height: 940 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const browserLog = [];
  page.on('console', (m) => browserLog.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));

  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  const suiteLog = [];
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    suiteLog.push(line);
    if (WORKBENCH_NOISE.test(line)) return;
    for (const l of line.replace(/\n$/, '').split('\n')) console.log(`  | ${l}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  page.on('crash', () => {
    report.errors.push('the workbench page crashed');
    resolveExit(1);
  });

  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root.replace(/\/$/, ''))],
    ['extensionTestsPath', remote(join(suiteDir, 'suite', 'index.js'))],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  say('opening the workbench in Chromium; the suite runs in the extension host');
  const suiteStarted = Date.now();
  await page.goto(url);

  // Screenshots on the suite's requests (test/e2e/suite/helpers.ts screenshot()).
  const served = new Set();
  let code;
  const deadline = Date.now() + TIMEOUT_MS;
  exited.then((c) => (code = c));
  while (code === undefined) {
    if (Date.now() > deadline) throw new Error(`the suite did not finish in ${TIMEOUT_MS / 60_000} minutes`);
    // Looks: what the page shows for a selector, for the suite's assertions (helpers.ts look()).
    for (const f of readdirSync(signals).filter((n) => n.endsWith('.look'))) {
      const name = f.slice(0, -'.look'.length);
      if (served.has(`look:${name}`)) continue;
      served.add(`look:${name}`);
      const { selector, waitForText, timeoutMs = 15_000 } = JSON.parse(readFileSync(join(signals, f), 'utf8'));
      const all = page.locator(selector);
      const wanted = waitForText ? all.filter({ hasText: waitForText }) : all;
      await wanted.first().waitFor({ state: 'attached', timeout: timeoutMs }).catch(() => {});
      await sleep(200);
      const texts = (await all.evaluateAll((els) => els.slice(0, 50).map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()))).filter((t, i, a) => a.indexOf(t) === i);
      const seen = { count: await all.count(), texts };
      say(`look ${name}: ${seen.count} × ${selector}`);
      writeFileSync(join(signals, `${name}.seen`), JSON.stringify(seen));
    }
    for (const f of readdirSync(signals).filter((n) => n.endsWith('.request'))) {
      const name = f.slice(0, -'.request'.length);
      if (served.has(name)) continue;
      served.add(name);
      const options = JSON.parse(readFileSync(join(signals, f), 'utf8') || '{}');
      if (options.waitForSelector) {
        const locator = page.locator(options.waitForSelector, options.waitForText ? { hasText: options.waitForText } : {}).first();
        await locator.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => report.warnings.push(`screenshot ${name}: ${options.waitForSelector} did not appear in 15 s`));
      }
      await sleep(400); // let the last frame paint
      const file = join(results, `${name}.png`);
      await page.screenshot({ path: file });
      report.screenshots.push(`test-results/${name}.png`);
      say(`screenshot test-results/${name}.png`);
      writeFileSync(join(signals, `${name}.done`), '');
    }
    await sleep(100);
  }
  report.timings.suiteS = (Date.now() - suiteStarted) / 1000;
  exitCode = code;

  // The suite's outcome and measurements, and the extension's own log line.
  const suite = existsSync(join(suiteOut, 'suite.json')) ? JSON.parse(readFileSync(join(suiteOut, 'suite.json'), 'utf8')) : undefined;
  const metrics = existsSync(join(suiteOut, 'metrics.json')) ? JSON.parse(readFileSync(join(suiteOut, 'metrics.json'), 'utf8')) : {};
  report.tests = suite?.tests ?? [];
  report.vscode = metrics.vscodeVersion;
  report.suiteMetrics = metrics;
  report.activation = { activateMs: metrics.activateMs, activeBeforeTest: metrics.activeBeforeTest, notebookFirstDiagnosticsMs: metrics.notebookFirstDiagnosticsMs };
  report.typeToSquiggle = metrics.typeToSquiggle;
  const extLogs = findFiles(server.tmp, /nbguard.*\.log$/i);
  const extLog = extLogs.map((f) => readFileSync(f, 'utf8')).join('\n');
  const logged = /nbguard activated in (\d+) ms/.exec(extLog);
  if (logged) report.activation.loggedMs = Number(logged[1]);
  writeFileSync(join(results, 'e2e-nbguard.log'), extLog);
  writeFileSync(join(results, 'e2e-suite.log'), suiteLog.join('\n'));
  writeFileSync(join(results, 'e2e-browser.log'), browserLog.join('\n'));
  if (!suite) report.errors.push('the suite wrote no results (did it load? see e2e-browser.log)');
  if (code === 0 && suite?.failures === 0 && report.tests.length > 0) {
    const missing = SCREENSHOTS.filter((s) => !served.has(s));
    if (missing.length > 0) report.errors.push(`screenshots not taken: ${missing.join(', ')}`);
  }
} catch (error) {
  report.errors.push(String(error?.stack ?? error));
  console.error(error);
  exitCode = 1;
} finally {
  if (server) writeFileSync(join(results, 'e2e-code-server.log'), server.output());
  await cleanup();
  if (interrupted) {
    // The signal handler exits once the cleanup is done.
    await new Promise(() => {});
  }
  report.passed = exitCode === 0 && report.errors.length === 0 && report.tests.length > 0 && report.tests.every((t) => t.state !== 'failed');
  report.timings.totalS = (Date.now() - t0) / 1000;
  writeFileSync(join(results, 'e2e.json'), JSON.stringify(report, null, 2) + '\n');
  const passed = report.tests.filter((t) => t.state === 'passed').length;
  const failed = report.tests.filter((t) => t.state === 'failed');
  for (const t of failed) console.error(`FAILED: ${t.title}\n${t.error}`);
  for (const e of report.errors) console.error(`error: ${e.split('\n')[0]}`);
  for (const w of report.warnings) console.error(`warning: ${w}`);
  const t = report.typeToSquiggle;
  const activation = (report.activation?.activateMs !== undefined ? `, activation ${report.activation.activateMs} ms` : '') + (t ? `, type to squiggle at ${t.cells} cells p50 ${t.p50Ms} ms / p95 ${t.p95Ms} ms` : '');
  console.log(
    `E2E ${report.passed ? 'PASSED' : 'FAILED'}: ${passed} passed, ${failed.length} failed in VS Code ${report.vscode ?? '?'} (code-server ${CODE_SERVER_VERSION}), ${elapsed()}${activation}; screenshots and e2e.json in test-results/`,
  );
  process.exit(report.passed ? 0 : 1);
}
