// Builds the bundles with esbuild and copies the wasm files they load next to them.
// dist/cli.js is the `nbguard` command; the language server and the VS Code client are added
// as entry points of the same build.
import { build } from 'esbuild';
import { builtinRuleFolder } from './builtinRules.mjs';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
copyFileSync(join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'), 'dist/tree-sitter-python.wasm');
// The built-in rules, validated now so that a start need not parse and validate them.
writeFileSync('dist/builtin-rules.json', JSON.stringify(await builtinRuleFolder()));

// The VS Code client: `vscode` is provided by the editor.
await build({
  entryPoints: { client: 'client/src/extension.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
});

await build({
  entryPoints: { cli: 'server/src/cli/main.ts', server: 'server/src/lsp/serverEntry.ts', parseWorker: 'server/src/node/parseWorker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // The CommonJS build of web-tree-sitter: its ES module build needs import.meta.url at run time.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  banner: { js: '#!/usr/bin/env node' },
  // The language server and the CLI share the analysis; each bundle is self-contained.
  define: { __NBGUARD_BUNDLE__: 'true', __NBGUARD_VERSION__: JSON.stringify(pkg.version) },
  // import.meta.url is only read when running from source; the bundle never reaches it.
  logOverride: { 'empty-import-meta': 'silent' },
});
