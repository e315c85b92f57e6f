// `node bench/jupyterlabLatency.mjs [--cells 500] [--edits 40] [--loads 5] [--write]`: the JupyterLab
// extension in a real JupyterLab and Chromium (scripts/jupyterlab/lab.mjs builds and installs it):
// the time from opening a notebook to its first marks, the time from a keystroke to the marks
// (which includes the extension's 250 ms pause after typing), the analysis time of each run as the
// page measured it, and the size of what the browser loads. Writes docs/performance-jupyterlab.md.

import { readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { installExtension, launchChromium, root, startLab } from '../scripts/jupyterlab/lab.mjs';

const arg = (flag, d) => (process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : d);
const CELLS = arg('--cells', 500);
const EDITS = arg('--edits', 40);
const LOADS = arg('--loads', 5);

/** A notebook of `n` code cells: a secret read every 50 cells, data work between, a leak now and then. */
function notebook(n) {
  const templates = [
    (i) => `df_${i} = spark.read.table("bronze.orders_${i % 7}")\ndf_${i} = df_${i}.filter(df_${i}.amount > ${i})\ndisplay(df_${i}.limit(10))`,
    (i) => `import pandas as pd\npdf_${i} = pd.read_csv("/dbfs/mnt/raw/export_${i}.csv")\npdf_${i}.describe()`,
    (i) => `def clean_${i}(frame):\n    frame = frame.dropna()\n    return frame.rename(columns=str.lower)\n\nresult_${i} = clean_${i}(pdf_${Math.max(1, i - 1)})`,
    (i) => `totals_${i} = {"rows": ${i}, "source": "orders_${i % 7}"}\nprint(totals_${i})`,
  ];
  const cells = [];
  for (let i = 0; i < n; i++) {
    let source;
    if (i % 50 === 0) source = `token_${i} = dbutils.secrets.get("scope", "token-${i}")\nheaders_${i} = {"Authorization": f"Bearer {token_${i}}"}`;
    else if (i % 50 === 25) source = `print(headers_${i - 25})`;
    else source = templates[i % templates.length](i);
    cells.push({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source });
  }
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } }, cells };
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const sizeOf = (dir, ext) => readdirSync(dir).filter((f) => f.endsWith(ext)).reduce((a, f) => a + statSync(join(dir, f)).size, 0);

const labextension = installExtension();
const lab = await startLab({ 'big.ipynb': notebook(CELLS) });
const plain = await startLab({ 'big.ipynb': notebook(CELLS) }, { disabled: ['nbguard-jupyterlab'] });
const browser = await launchChromium();
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const runs = () => page.evaluate(() => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardRuns ?? 0));
  const lastMs = () => page.evaluate(() => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardMs ?? NaN));
  const t0 = Date.now();
  await page.goto(`${lab.base}/lab/tree/big.ipynb?reset`);
  await page.waitForFunction(() => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardRuns ?? 0) >= 1, null, { timeout: 120_000 });
  result.openToFirstMarksMs = Date.now() - t0;
  result.firstAnalysisMs = await lastMs();
  result.findings = await page.evaluate(() => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardFindings ?? NaN));

  const typeInto = async (cell, label) => {
    const editor = page.locator('.jp-Notebook .jp-Cell').nth(cell).locator('.cm-content');
    await editor.scrollIntoViewIfNeeded();
    await editor.click();
    await page.keyboard.press('Control+End');
    // A new statement whose number each keystroke extends: valid code after every key.
    const settled = await runs();
    await page.keyboard.insertText('\nlimit = 1');
    await page.waitForFunction((n) => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardRuns ?? 0) > n, settled, { timeout: 30_000 });
    const latencies = [];
    const analyses = [];
    for (let i = 0; i < EDITS; i++) {
      const before = await runs();
      const start = Date.now();
      await page.keyboard.type(String(i % 10));
      await page.waitForFunction((n) => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardRuns ?? 0) > n, before, { timeout: 30_000 });
      latencies.push(Date.now() - start);
      analyses.push(await lastMs());
    }
    result[label] = { p50: pct(latencies, 50), p95: pct(latencies, 95), analysisP50: pct(analyses, 50), analysisP95: pct(analyses, 95) };
  };
  await typeInto(CELLS - 1, 'lastCell');
  await typeInto(0, 'secretCell');
  await page.close();

  // Load time, side by side with the same JupyterLab without nbguard, alternating, each load in a
  // fresh browser context (an empty cache): until the notebook shows its first cell, and with
  // nbguard until its first marks; the extension's own load (wasm, rules) as the page timed it.
  const loads = { with: [], without: [], marks: [], engine: [] };
  for (let i = 0; i < LOADS * 2; i++) {
    const withNbguard = i % 2 === 0;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const p = await context.newPage();
    const t0 = Date.now();
    await p.goto(`${(withNbguard ? lab : plain).base}/lab/tree/big.ipynb?reset`);
    await p.waitForSelector('.jp-Notebook .jp-Cell .cm-content', { timeout: 120_000 });
    loads[withNbguard ? 'with' : 'without'].push(Date.now() - t0);
    if (withNbguard) {
      await p.waitForFunction(() => Number(document.querySelector('.jp-NotebookPanel')?.dataset.nbguardRuns ?? 0) >= 1, null, { timeout: 120_000 });
      loads.marks.push(Date.now() - t0);
      loads.engine.push(await p.evaluate(() => Number(document.body.dataset.nbguardEngineMs)));
    }
    await context.close();
  }
  result.load = Object.fromEntries(Object.entries(loads).map(([k, v]) => [k, pct(v, 50)]));
} finally {
  await browser.close();
  lab.stop();
  plain.stop();
}
const staticDir = join(labextension, 'static');
result.jsBytes = sizeOf(staticDir, '.js');
result.wasmBytes = sizeOf(staticDir, '.wasm');
console.log(JSON.stringify(result, null, 1));

if (process.argv.includes('--write')) {
  const kb = (b) => `${(b / 1024).toFixed(0)} KiB`;
  const ms = (t) => `${(t / 1000).toFixed(2)} s`;
  const row = (name, r) => `| ${name} | ${r.p50} | ${r.p95} | ${r.analysisP50.toFixed(1)} | ${r.analysisP95.toFixed(1)} |`;
  const doc = [
    '# The JupyterLab extension: latency and size',
    '',
    '<!-- Generated by `node bench/jupyterlabLatency.mjs --write`; do not edit by hand. -->',
    '',
    `Measured on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in JupyterLab 4.6.6 with headless Chromium on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), the extension built from this checkout and installed from its wheel. The notebook has ${CELLS} code cells: a secret read every 50 cells, a leak 25 cells later, data work between (${result.findings} findings when it opens).`,
    '',
    `- Opening the notebook to its first marks (page load, JupyterLab start, the extension's wasm and rules, the first analysis): **${(result.openToFirstMarksMs / 1000).toFixed(1)} s**; the first analysis itself ${result.firstAnalysisMs.toFixed(0)} ms.`,
    `- Load time beside the same JupyterLab without nbguard (${LOADS} loads each, alternating, each with an empty browser cache; medians): the notebook shows its first cell after **${ms(result.load.with)}** with nbguard and ${ms(result.load.without)} without it; nbguard's first marks follow at ${ms(result.load.marks)}. Loading the extension's engine (the rules compiled, the parser's wasm fetched and compiled) took ${result.load.engine.toFixed(0)} ms in the page, alongside JupyterLab's own start.`,
    `- What the browser loads for the extension: ${kb(result.jsBytes)} of JavaScript and ${kb(result.wasmBytes)} of WebAssembly (the parser's runtime and the Python grammar).`,
    '',
    `A keystroke to updated marks, ${EDITS} keystrokes each, one at a time, each extending a number in a new line \`limit = 1…\` of the cell (valid code after every key). The extension waits 250 ms after the last change before it analyses (so typing is not interrupted), so the first two columns include that pause; the last two are the analysis run as the page timed it (reading the notebook model, the incremental analysis, putting the marks on the cells).`,
    '',
    '| edited cell | keystroke to marks p50 (ms) | p95 (ms) | analysis p50 (ms) | analysis p95 (ms) |',
    '|---|---:|---:|---:|---:|',
    row(`the last cell (read by no other)`, result.lastCell),
    row(`the first cell (its secret is read 25 cells later)`, result.secretCell),
    '',
  ].join('\n');
  writeFileSync(join(root, 'docs', 'performance-jupyterlab.md'), doc);
  console.log('wrote docs/performance-jupyterlab.md');
}
