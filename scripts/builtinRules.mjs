// The built-in rules (rules/) parsed and validated once, at build time, by the library's own
// loader (server/src/node/builtinRules.ts), as the RuleFolder JSON the bundles load: the CLI and
// the language server read dist/builtin-rules.json, the JupyterLab extension bundles it. A rule
// file that does not validate fails the build, naming the file and the entry.

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sourceImportMetaUrl } from './sourceImportMetaUrl.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The built-in RuleFolder, validated, with paths relative to the repository (`rules/sinks.yaml`). */
export async function builtinRuleFolder() {
  const result = await build({
    stdin: { contents: `export { validatedRuleFolder } from './server/src/node/builtinRules';`, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [sourceImportMetaUrl],
    logLevel: 'error',
  });
  // The module must sit in the repository so that its imports resolve from node_modules.
  const dir = mkdtempSync(join(root, 'node_modules', '.nbguard-rules-'));
  try {
    const file = join(dir, 'validate.mjs');
    writeFileSync(file, result.outputFiles[0].text);
    const { validatedRuleFolder } = await import(pathToFileURL(file).href);
    return validatedRuleFolder(join(root, 'rules'), root);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
