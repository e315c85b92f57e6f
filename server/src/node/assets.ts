// Where nbguard's files live at run time on Node: the tree-sitter wasm files and the built-in rules.
// In the esbuild bundle they sit next to the bundle (dist/) and one level up (rules/); when the
// sources run directly (tests, tsx) they come from node_modules and the repository.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParserWasm } from '../analysis/parse/pythonParser';

declare const __NBGUARD_BUNDLE__: boolean | undefined;

const bundled = typeof __NBGUARD_BUNDLE__ !== 'undefined' && __NBGUARD_BUNDLE__;

/** Whether this runs as the esbuild bundle (dist/), not from the sources. */
export function isBundle(): boolean {
  return bundled;
}

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

let parserWasm: ParserWasm | undefined;

/**
 * The parser's wasm as initPython() takes it on Node: the runtime's path, the grammar's bytes
 * (read once per process, however many analyzers are made).
 */
export function nodeParserWasm(): ParserWasm {
  const files = wasmFiles();
  // Reading the grammar ourselves avoids web-tree-sitter's fetch() path under Node.
  parserWasm ??= { runtime: files.runtime, python: readFileSync(files.python) };
  return parserWasm;
}
