// The JupyterLab extension's end-to-end test (jupyterlab/), run by `npm test` after the Spark
// job's: builds the extension and its wheel and installs it in jupyterlab/.venv (made on first use
// from jupyterlab/requirements.lock), starts JupyterLab on 127.0.0.1 and drives Debian's Chromium
// through what a user sees: marks on the right cells and lines, the hover text with its trace,
// the findings panel, the marked stored outputs, the fixes (from the panel and from a mark's
// hover), an edit that adds a leak, cells run in a new order, a click on a trace step. Screenshots go to test-results/jupyterlab-*.png, the checks to test-results/jupyterlab.json.
//
//   node scripts/jupyterlabTests.mjs      (NBGUARD_SKIP_JUPYTERLAB=1 skips, saying so)

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExtension, launchChromium, root, startLab } from './jupyterlab/lab.mjs';

const shots = join(root, 'test-results');

if (process.env.NBGUARD_SKIP_JUPYTERLAB) {
  console.log('jupyterlab tests: skipped (NBGUARD_SKIP_JUPYTERLAB is set)');
  process.exit(0);
}
installExtension();

/** The AWS secret key of examples/jdbc_ingest.ipynb (a sample, not a live key). */
const KEY = '2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kj';

/** A GitHub token (a detector sample, not a live token), printed into a stored output. */
const TOKEN = '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';

/** A Hugging Face token (a detector sample, not a live token). */
const HF = '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';

/** A code cell that has not run. */
const code = (id, source) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source });

/** An nbformat 4.5 Python notebook of these cells. */
function notebookOf(cells) {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } }, cells };
}

/**
 * The test's notebook: a secret read in Cell 1, printed in Cell 3 and Cell 7, keys pasted in
 * Cell 4 and Cell 6, tokens in the stored outputs of Cell 5 and Cell 8; nothing run yet.
 */
function leaksNotebook() {
  return notebookOf([
    code('read', 'import os\ntoken = os.environ.get("API_TOKEN", "")'),
    { cell_type: 'markdown', id: 'notes', metadata: {}, source: '# Partner data' },
    code('show', 'print(token)'),
    code('pasted', `aws_secret_access_key = "${KEY}"`),
    { ...code('printed', 'print(partner_config)'), outputs: [{ output_type: 'stream', name: 'stdout', text: `{'url': 'https://api.partner.example', 'token': '${TOKEN}'}\n` }] },
    code('hub', `from huggingface_hub import login\nHF_TOKEN = "${HF}"\nlogin(HF_TOKEN)`),
    code('debug', 'if debug:\n    print("key:", token)'),
    { ...code('env', 'show_env()'), outputs: [{ output_type: 'stream', name: 'stdout', text: `HF_TOKEN=${HF}\n` }] },
  ]);
}

/**
 * The hover text of a mark. CodeMirror shows it after the pointer rests on the mark; a page still
 * settling (a kernel starting, a layout shift) can miss the first rest, so move away and back.
 */
async function tooltipOf(page, mark) {
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    await mark.hover();
    try {
      await page.waitForSelector('.cm-tooltip-hover, .cm-tooltip-lint', { timeout: 3_000 });
      return (await page.locator('.cm-tooltip').allTextContents()).join('\n');
    } catch {
      // not shown yet: rest again
    }
  }
  return '';
}

/** Saves the extension's settings as the Settings Editor does (the page reads them when it loads). */
async function putSettings(base, settings) {
  const response = await fetch(`${base}/lab/api/settings/nbguard-jupyterlab:plugin`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ raw: JSON.stringify(settings) }) });
  if (!response.ok) throw new Error(`saving the settings: HTTP ${response.status} ${await response.text()}`);
}

/** A notebook for the settings: a secret from a user-defined source printed; a hardcoded key. */
function customNotebook() {
  return notebookOf([code('read', 'import acme_vault\nsecret = acme_vault.read_secret("db")'), code('show', 'print(secret)'), code('key', `API_KEY = "${HF}"`)]);
}

const checks = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

mkdirSync(shots, { recursive: true });
const EXAMPLE = join(root, 'examples', 'jdbc_ingest.ipynb');
const lab = await startLab({ 'leaks.ipynb': leaksNotebook(), 'custom.ipynb': customNotebook(), 'jdbc_ingest.ipynb': JSON.parse(readFileSync(EXAMPLE, 'utf8')) });
const base = lab.base;
let browser;
try {
  browser = await launchChromium();
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
  const hover = await tooltipOf(page, cells.nth(2).locator('.cm-lintRange').first());
  check('the hover names the source, the sink and the cells of the trace', hover.includes('reaches print()') && hover.includes('(from Cell 1)') && hover.includes('Cell 1, line 2'), JSON.stringify(hover.slice(0, 300)));
  const keyHover = await tooltipOf(page, cells.nth(3).locator('.cm-lintRange').first());
  check('the hover of the hardcoded key masks it', keyHover.includes('AWS secret access key') && keyHover.includes('2hpC') && !keyHover.includes(KEY), JSON.stringify(keyHover.slice(0, 200)));
  await page.mouse.move(5, 5);

  // The panel, opened from the palette.
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.type('nbguard: Scan Notebook');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.jp-nbguard-finding', { timeout: 10_000 });
  const rules = await page.locator('.jp-nbguard-finding').evaluateAll((rows) => rows.map((r) => `${r.dataset.rule}@${r.dataset.cell}`));
  check('the panel lists the findings with their cells, the stored outputs too', JSON.stringify(rules.sort()) === JSON.stringify(['NBG101@2', 'NBG101@6', 'NBG201@3', 'NBG201@5', 'NBG401@4', 'NBG401@7']), JSON.stringify(rules));
  const leakingOutput = cells.nth(4).locator('.jp-nbguard-leaking-output');
  check('the leaking stored output is marked, its tooltip names the rule', (await leakingOutput.count()) === 1 && /NBG401/.test((await leakingOutput.getAttribute('title')) ?? ''), String(await leakingOutput.count()));
  const fixLabels = await page.locator('.jp-nbguard-finding[data-rule="NBG101"][data-cell="6"] .jp-nbguard-fix').allTextContents();
  check("a finding's fixes are buttons in the panel", JSON.stringify(fixLabels) === JSON.stringify(['Mask token', 'Remove statement', 'Suppress']), JSON.stringify(fixLabels));
  const steps = await page.locator('.jp-nbguard-finding[data-rule="NBG101"][data-cell="2"] .jp-nbguard-trace li').allTextContents();
  check('the trace steps in the panel show their cell, line and code', steps.length === 3 && steps[0].startsWith('Cell 1, line 2') && steps[0].includes('token = os.environ.get("API_TOKEN", "")') && steps[2].includes('print(token)'), JSON.stringify(steps));
  await page.screenshot({ path: join(shots, 'jupyterlab-open.png') });
  await page.locator('.jp-nbguard-step', { hasText: 'Cell 1, line 2' }).first().click();
  const active = await cells.evaluateAll((all) => all.findIndex((c) => c.classList.contains('jp-mod-active')));
  check('a click on a trace step selects its cell', active === 0, `active cell ${active}`);

  // The fixes: suppress the pasted key, read the other from the environment (the hover's action),
  // mask the debug print, clear one stored output, redact the other.
  const outputText = () => cells.nth(4).locator('.jp-OutputArea-output').allTextContents();
  await page.locator('.jp-nbguard-finding[data-rule="NBG201"][data-cell="3"] .jp-nbguard-fix', { hasText: 'Suppress' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[3]?.querySelector('.cm-lintRange') === null, null, { timeout: 10_000 }).catch(() => undefined);
  const suppressed = (await cells.nth(3).locator('.cm-content').textContent()) ?? '';
  check('Suppress writes the ignore comment and the mark goes', suppressed.includes('# nbguard: ignore[NBG201]') && (await marksIn(3)).length === 0, JSON.stringify(suppressed.replace(KEY, 'KEY')));
  const hubHover = await tooltipOf(page, cells.nth(5).locator('.cm-lintRange').first());
  check('the hover of a hardcoded key offers its fixes', hubHover.includes('Read from environment') && hubHover.includes('Suppress'), JSON.stringify(hubHover.slice(0, 300)));
  await page.locator('.cm-tooltip .cm-diagnosticAction', { hasText: 'Read from environment' }).first().click();
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[5]?.querySelector('.cm-lintRange') === null, null, { timeout: 10_000 }).catch(() => undefined);
  const hub = await cells.nth(5).locator('.cm-line').allTextContents();
  check('"Read from environment" replaces the key with os.environ, the rest stays, the mark goes', JSON.stringify(hub) === JSON.stringify(['from huggingface_hub import login', 'HF_TOKEN = os.environ["HF_TOKEN"]', 'login(HF_TOKEN)']) && (await marksIn(5)).length === 0, JSON.stringify(hub).replace(HF, 'HF'));
  await page.mouse.move(5, 5);
  await page.locator('.jp-nbguard-finding[data-rule="NBG101"][data-cell="6"] .jp-nbguard-fix', { hasText: 'Mask token' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[6]?.querySelector('.cm-lintRange') === null, null, { timeout: 10_000 }).catch(() => undefined);
  const debug = await cells.nth(6).locator('.cm-line').allTextContents();
  check('"Mask token" prints only its last 4 characters, the string stays, the mark goes', JSON.stringify(debug) === JSON.stringify(['if debug:', '    print("key:", token[-4:])']) && (await marksIn(6)).length === 0, JSON.stringify(debug));
  await page.locator('.jp-nbguard-finding[data-rule="NBG401"][data-cell="7"] .jp-nbguard-fix', { hasText: 'Clear output' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[7]?.querySelector('.jp-OutputArea-output') === null, null, { timeout: 10_000 }).catch(() => undefined);
  check('"Clear output" clears that cell\'s outputs only', (await cells.nth(7).locator('.jp-OutputArea-output').count()) === 0 && (await outputText()).join('').includes('api.partner.example'));
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.type('nbguard: Redact Credentials in Outputs');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !/ghp_/.test(document.querySelectorAll('.jp-Notebook .jp-Cell')[4]?.querySelector('.jp-OutputArea-output')?.textContent ?? 'ghp_'), null, { timeout: 10_000 }).catch(() => undefined);
  const redacted = (await outputText()).join('\n');
  check('Redact Credentials in Outputs replaces the token in the stored output, the rest stays', !redacted.includes(TOKEN) && redacted.includes('REDACTED') && redacted.includes('https://api.partner.example'), JSON.stringify(redacted.replace(TOKEN, 'TOKEN')));
  const left = await page.locator('.jp-nbguard-finding').evaluateAll((rows) => rows.map((r) => r.dataset.rule));
  check('the panel then lists only the leak in code', JSON.stringify(left) === JSON.stringify(['NBG101']), JSON.stringify(left));
  check('the redacted output is no longer marked', (await leakingOutput.count()) === 0);
  await page.screenshot({ path: join(shots, 'jupyterlab-fixes.png') });

  // Cells added, moved and deleted (nothing has run: document order).
  const rows = () => page.locator('.jp-nbguard-finding').evaluateAll((all) => all.map((r) => `${r.dataset.rule}@${r.dataset.cell}`));
  await cells.nth(7).locator('.jp-InputPrompt').click();
  await page.keyboard.press('b');
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell').length === 9, null, { timeout: 10_000 });
  await cells.nth(8).locator('.cm-content').click();
  await page.keyboard.insertText('print("again", token)');
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[8]?.querySelector('.cm-lintRange') !== null, null, { timeout: 10_000 }).catch(() => undefined);
  check('a cell added and typed into is analysed with the others', JSON.stringify(await marksIn(8)) === JSON.stringify(['print("again", token)']) && (await rows()).includes('NBG101@8'), JSON.stringify(await rows()));
  await page.keyboard.press('Escape');
  for (let i = 0; i < 8; i++) await page.keyboard.press('Control+Shift+ArrowUp');
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell')[0]?.textContent?.includes('again'), null, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(600);
  check('moved above the cell that reads the secret, its print leaks nothing', (await cells.nth(0).textContent())?.includes('again') && (await marksIn(0)).length === 0 && !(await rows()).some((r) => r.endsWith('@0')), JSON.stringify(await rows()));
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await page.waitForFunction(() => document.querySelectorAll('.jp-Notebook .jp-Cell').length === 8, null, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(600);
  check('deleted, the cells after it are numbered as before and keep their findings', JSON.stringify(await rows()) === JSON.stringify(['NBG101@2']) && (await marksIn(2)).length === 1, JSON.stringify(await rows()));

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

  // Settings (as the Settings Editor saves them): a user rule file adds a secret source, NBG201
  // is turned off; then a user detector whose regex backtracks catastrophically is refused.
  await putSettings(base, {
    rules: { NBG201: 'off' },
    ruleFiles: [{ name: 'acme-rules', content: { sources: [{ id: 'acme-vault', calls: ['acme_vault.read_secret'] }] } }],
  });
  await page.goto(`${base}/lab/tree/custom.ipynb?reset`);
  await page.waitForFunction(() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')?.getAttribute('data-nbguard-runs') != null, null, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')[1]?.querySelector('.cm-lintRange') !== null, null, { timeout: 20_000 }).catch(() => undefined);
  const custom = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell');
  const customMarks = async (i) => custom.nth(i).locator('.cm-lintRange').allTextContents();
  check("a user rule file's source is used: its secret printed is marked", JSON.stringify(await customMarks(1)) === JSON.stringify(['print(secret)']), JSON.stringify(await customMarks(1)));
  check('a rule turned off in the settings marks nothing', (await customMarks(2)).length === 0, JSON.stringify(await customMarks(2)));
  await putSettings(base, { ruleFiles: [{ name: 'evil', content: { detectors: [{ id: 'evil-pattern', name: 'Evil', pattern: '(a+)+$' }] } }] });
  await page.reload();
  await page.waitForSelector('.jp-nbguard-problem', { timeout: 60_000 }).catch(() => undefined);
  const problem = (await page.locator('.jp-nbguard-problem').allTextContents()).join(' ');
  check('a user detector that could freeze the page is refused, naming it; the built-in rules stay', /evil\.json: detector evil-pattern: its pattern does not finish/.test(problem) && /built-in rules are in use/.test(problem), JSON.stringify(problem));
  const toast = await page.waitForSelector('.Toastify__toast', { timeout: 10_000 }).then((t) => t.textContent()).catch(() => '');
  check('the refused rule file is told in a notification too', /nbguard: rule file error: settings: evil\.json/.test(toast ?? ''), JSON.stringify(toast));
  await page.waitForFunction(() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[2]?.querySelector('.cm-lintRange') !== null, null, { timeout: 20_000 }).catch(() => undefined);
  check('with the settings reset, the built-in rules mark the hardcoded key again', (await customMarks(2)).length === 1);
  await page.screenshot({ path: join(shots, 'jupyterlab-settings.png') });

  // The example notebook: the panel lists what `nbguard scan` reports, rule, cell and line.
  const cli = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'scan', '--format', 'json', EXAMPLE], { encoding: 'utf8' });
  const expected = JSON.parse(cli.stdout).findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`).sort();
  await page.goto(`${base}/lab/tree/jdbc_ingest.ipynb?reset`);
  await page.waitForFunction(() => document.querySelector('.jp-NotebookPanel')?.getAttribute('data-nbguard-runs') != null, null, { timeout: 60_000 });
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.type('nbguard: Scan Notebook');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.jp-nbguard-finding', { timeout: 10_000 }).catch(() => undefined);
  const listed = (await page.locator('.jp-nbguard-finding').evaluateAll((all) => all.map((r) => `${r.dataset.rule}@${r.dataset.cell}:${r.dataset.line}`))).sort();
  check(`the example notebook: the panel lists what nbguard scan reports (${expected.length} findings)`, expected.length > 0 && JSON.stringify(listed) === JSON.stringify(expected), JSON.stringify({ listed, expected }));
  await page.screenshot({ path: join(shots, 'jupyterlab-example.png') });
  check('no error in the page', pageErrors.length === 0, pageErrors.join(' | '));
} catch (error) {
  check('the run finished', false, `${error.message}\n${lab.log().slice(-2000)}`);
} finally {
  await browser?.close();
  lab.stop();
}
const failed = checks.filter((c) => !c.ok).length;
mkdirSync(shots, { recursive: true });
writeFileSync(join(shots, 'jupyterlab.json'), JSON.stringify({ passed: checks.length - failed, failed, checks }, null, 1));
console.log(`jupyterlab tests: ${checks.length - failed} passed, ${failed} failed (screenshots in test-results/jupyterlab-*.png)`);
process.exit(failed > 0 || checks.length === 0 ? 1 : 0);
