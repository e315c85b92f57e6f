// Bundles the extension's sources with nbguard's analysis library into lib/index.js, the module
// `jupyter labextension build` turns into a prebuilt labextension. JupyterLab's own packages
// (@jupyterlab/*, @lumino/*, @codemirror/*) stay imports: the page shares its copies. The built-in
// rules go in as the build validated them (the module `nbguard:builtin-rules`, made by
// scripts/builtinRules.mjs as for the CLI), and the parser's two wasm files are
// copied beside the bundle, where `new URL(..., import.meta.url)` finds them and the
// labextension build emits them as assets.

import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { browserOnly } from '../scripts/browserOnly.mjs';
import { builtinRuleFolder } from '../scripts/builtinRules.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(join(root, 'package.json'));

const builtinRulesModule = {
  name: 'builtin-rules',
  setup(b) {
    b.onResolve({ filter: /^nbguard:builtin-rules$/ }, () => ({ path: 'builtin-rules', namespace: 'nbguard' }));
    b.onLoad({ filter: /.*/, namespace: 'nbguard' }, async () => ({ contents: JSON.stringify(await builtinRuleFolder()), loader: 'json' }));
  },
};

mkdirSync(join(here, 'lib'), { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  outfile: join(here, 'lib', 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['@jupyterlab/*', '@lumino/*', '@codemirror/*'],
  plugins: [browserOnly, builtinRulesModule],
  logLevel: 'warning',
});
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(here, 'lib', 'tree-sitter.wasm'));
copyFileSync(join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'), join(here, 'lib', 'tree-sitter-python.wasm'));
