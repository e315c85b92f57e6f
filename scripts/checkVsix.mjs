// Checks the packaged .vsix: only the bundles, the wasm files, the built-in rules and the docs they link
// to, and under 5 MB. Prints its size and content.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const file = process.argv[2] ?? 'nbguard.vsix';
const size = statSync(file).size;
const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
const entries = listing.split('\n').map((l) => l.trim().split(/\s+/).slice(3).join(' ')).filter((n) => n.startsWith('extension/'));
const allowed = /^extension\/(package\.json|readme\.md|README\.md|LICENSE(\.txt|\.md)?|changelog\.md|dist\/(client|server|parseWorker)\.js|dist\/[\w-]+\.wasm|dist\/builtin-rules\.json|rules\/.+|docs\/rules\.md)$/i;
const unexpected = entries.filter((e) => !allowed.test(e));
console.log(`${file}: ${(size / 1e6).toFixed(2)} MB, ${entries.length} files`);
for (const e of entries) console.log(`  ${e}`);
if (unexpected.length > 0) {
  console.error(`unexpected files in the package: ${unexpected.join(', ')}`);
  process.exitCode = 1;
}
// What the language server loads at run time must be there.
const missing = ['dist/client.js', 'dist/server.js', 'dist/parseWorker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'dist/builtin-rules.json'].filter((f) => !entries.includes(`extension/${f}`));
if (missing.length > 0) {
  console.error(`missing from the package: ${missing.join(', ')}`);
  process.exitCode = 1;
}
if (size > 5e6) {
  console.error('the package is over 5 MB');
  process.exitCode = 1;
}
