// The analysis library runs in a browser, as a JupyterLab extension or JupyterLite would run it:
// bundled for the browser platform (any Node-only import is a build error naming its importer),
// loaded into headless Chromium from a loopback server with the two wasm files, given the rule
// texts, and it finds in the example notebooks exactly what the CLI's analyzer finds on Node.

import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotebookText } from '../server/src/analysis';
import { builtinRulesDir, wasmFiles } from '../server/src/node/assets';
import { createAnalyzer } from '../server/src/node/createAnalyzer';
import { readRuleFolder } from '../server/src/node/loadRuleSet';
import type { BrowserHooks } from './browser/analyseInBrowser';
import { browserOnly } from '../scripts/browserOnly.mjs';

const CHROMIUM = '/usr/bin/chromium';
let server: Server;
let base = '';
let bundle = '';
const examples = ['examples/jdbc_ingest.ipynb', 'examples/databricks_vendor_landing.py'];

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(__dirname, 'browser', 'analyseInBrowser.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [browserOnly],
  });
  bundle = out.outputFiles[0].text;
  const wasm = wasmFiles();
  const files: Record<string, { type: string; body: Buffer | string }> = {
    '/': { type: 'text/html', body: '<!doctype html><script type="module" src="/bundle.js"></script>' },
    '/bundle.js': { type: 'text/javascript', body: bundle },
    '/tree-sitter.wasm': { type: 'application/wasm', body: readFileSync(wasm.runtime) },
    '/tree-sitter-python.wasm': { type: 'application/wasm', body: readFileSync(wasm.python) },
  };
  server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
    res.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the analysis library in a browser', () => {
  it('bundles for the browser with no Node built-in', () => {
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle).not.toMatch(/from\s*["']node:/);
  });

  it('finds in Chromium what the analyzer finds on Node', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (Debian's chromium, which .ci/run installs) is needed`).toBe(true);
    const node = await createAnalyzer();
    const folders = [readRuleFolder(builtinRulesDir(), true)];
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/`);
      await page.waitForFunction(() => typeof (globalThis as unknown as Partial<BrowserHooks>).nbguardAnalyse === 'function');
      for (const path of examples) {
        const text = readFileSync(join(__dirname, '..', path), 'utf8');
        const expected = node.analyze(readNotebookText(path, text)).findings.map((f) => ({ ruleId: f.ruleId, cell: f.cell, line: f.line, column: f.column, message: f.message }));
        expect(expected.length).toBeGreaterThan(0);
        const found = await page.evaluate(
          ([f, b, p, t]) => (globalThis as unknown as BrowserHooks).nbguardAnalyse(f, `${b}/tree-sitter.wasm`, `${b}/tree-sitter-python.wasm`, p, t),
          [folders, base, path, text] as const,
        );
        expect(found, path).toEqual(expected);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
