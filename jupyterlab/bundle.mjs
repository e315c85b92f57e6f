// Bundles the extension's sources with nbguard's analysis library into lib/index.js, the module
// `jupyter labextension build` turns into a prebuilt labextension. JupyterLab's own packages
// (@jupyterlab/*, @lumino/*, @codemirror/*) stay imports: the page shares its copies. The built-in
// rules go in as texts (the module `nbguard:builtin-rules`), and the parser's two wasm files are
// copied beside the bundle, where `new URL(..., import.meta.url)` finds them and the
// labextension build emits them as assets.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { browserOnly } from '../scripts/browserOnly.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(join(root, 'package.json'));

/** The built-in rule files as the library's RuleFolder (paths relative to the repository), from the folders
 * server/src/node/loadRuleSet.ts reads on Node: one level of subfolders, schema/ left out. */
function builtinRules() {
  const files = [];
  const walk = (dir, depth) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (depth < 1 && name !== 'schema' && !name.startsWith('.')) walk(path, depth + 1);
      } else if (/\.(ya?ml|json)$/i.test(name)) files.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(root, 'rules'), 0);
  return { builtin: true, ruleFiles: files, models: [], taintConfigs: [] };
}

const builtinRulesModule = {
  name: 'builtin-rules',
  setup(b) {
    b.onResolve({ filter: /^nbguard:builtin-rules$/ }, () => ({ path: 'builtin-rules', namespace: 'nbguard' }));
    b.onLoad({ filter: /.*/, namespace: 'nbguard' }, () => ({ contents: JSON.stringify(builtinRules()), loader: 'json' }));
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
