// Where nbguard's files live at run time: the tree-sitter wasm files and the built-in rules.
// In the esbuild bundle they sit next to the bundle (dist/) and one level up (rules/); when the
// sources run directly (tests, tsx) they come from node_modules and the repository.

import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __NBGUARD_BUNDLE__: boolean | undefined;

const bundled = typeof __NBGUARD_BUNDLE__ !== 'undefined' && __NBGUARD_BUNDLE__;

function sourceDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

export interface WasmFiles {
  readonly runtime: string;
  readonly python: string;
}

export function wasmFiles(): WasmFiles {
  if (bundled) return { runtime: join(__dirname, 'tree-sitter.wasm'), python: join(__dirname, 'tree-sitter-python.wasm') };
  const require = createRequire(import.meta.url);
  return {
    runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
    python: join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  };
}

/** The folder of built-in rule files. */
export function builtinRulesDir(): string {
  if (bundled) return resolve(__dirname, '..', 'rules');
  return resolve(sourceDir(), '..', '..', '..', 'rules');
}
