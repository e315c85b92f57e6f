// The server the benchmark runs: a copy of dist/server.js (with its parse helper thread, the wasm
// files and the built-in rules it loads from next to itself, laid out as in the repository) taken when the
// run starts, so that a rebuild of dist/ during a run of several minutes (npm test rebuilds it)
// cannot mix builds between sizes. Each run has its own copy (bench/.build/lsp-server/<pid>/,
// removed at the end), so two runs at once do not replace each other's server either. The
// copy's source map gets absolute source paths, so profile locations still point at server/src.

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SERVER } from './config';

export interface ServerSnapshot {
  /** The folder holding the copy (remove it with removeSnapshot). */
  dir: string;
  /** The copy of dist/server.js to start. */
  server: string;
  /** First 12 hex digits of the bundle's sha1. */
  sha1: string;
  /** Development build (source map) or production build (minified). */
  build: string;
  /** When dist/server.js was built (its mtime), UTC. */
  builtAt: string;
  /** Whether dist/server.js is newer than every file in server/src and rules/. */
  fresh: boolean;
  /** Warnings for the console (stale or production build). */
  warnings: string[];
}


function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function snapshotServer(): ServerSnapshot {
  if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build` first');
  const dist = join(ROOT, 'dist');
  const bundle = readFileSync(SERVER);
  const warnings: string[] = [];
  const mapFile = `${SERVER}.map`;
  const mapped = bundle.toString('utf8').trimEnd().endsWith('//# sourceMappingURL=server.js.map') && existsSync(mapFile) && statSync(mapFile).mtimeMs >= statSync(SERVER).mtimeMs - 5_000;
  if (!mapped) warnings.push('dist/server.js is a production build (minified, no source map): profiles show minified names; `npm run build` makes the development build');
  const fresh = newestMtime(join(ROOT, 'server', 'src')) <= statSync(SERVER).mtimeMs && newestMtime(join(ROOT, 'rules')) <= statSync(SERVER).mtimeMs;
  if (!fresh) {
    warnings.push('server/src or rules/ changed after dist/server.js was built: run `npm run build` to measure the current code');
  }

  const SNAPSHOT = join(ROOT, 'bench', '.build', 'lsp-server', String(process.pid));
  rmSync(SNAPSHOT, { recursive: true, force: true });
  mkdirSync(join(SNAPSHOT, 'dist'), { recursive: true });
  const server = join(SNAPSHOT, 'dist', 'server.js');
  writeFileSync(server, bundle);
  for (const file of ['parseWorker.js', 'tree-sitter.wasm', 'tree-sitter-python.wasm', 'builtin-rules.json']) cpSync(join(dist, file), join(SNAPSHOT, 'dist', file));
  cpSync(join(ROOT, 'rules'), join(SNAPSHOT, 'rules'), { recursive: true });
  if (mapped) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourceRoot?: string };
    map.sources = map.sources.map((s) => (s.startsWith('file:') ? s : pathToFileURL(resolve(dist, map.sourceRoot ?? '', s)).href));
    delete map.sourceRoot;
    writeFileSync(`${server}.map`, JSON.stringify(map));
  }
  return {
    dir: SNAPSHOT,
    fresh,
    server,
    builtAt: new Date(statSync(SERVER).mtimeMs).toISOString().slice(0, 19).replace('T', ' ') + ' UTC',
    sha1: createHash('sha1').update(bundle).digest('hex').slice(0, 12),
    build: mapped ? 'development build (`npm run build`)' : 'production build (minified)',
    warnings,
  };
}

export function removeSnapshot(snap: ServerSnapshot): void {
  rmSync(snap.dir, { recursive: true, force: true });
}
