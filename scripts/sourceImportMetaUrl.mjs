// An esbuild plugin for bundles that run the repository's TypeScript from its own folders (the
// benchmarks, the fuzz harness): each file's `import.meta.url` becomes that file's own URL, so
// code that finds the wasm files and rules next to its source finds them from the bundle too.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export const sourceImportMetaUrl = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};
