// The language-server benchmark's settings: notebook sizes, the targets, how many edits
// each run makes, and where the server bundle and the report are. The report quotes them, so
// changing one here changes both the measurement and its description in docs/performance-lsp.md.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED } from '../generateNotebook';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The server bundle the benchmark starts (`npm run build`). */
export const SERVER = join(ROOT, 'dist', 'server.js');
export const REPORT = 'docs/performance-lsp.md';

/** Code cells of the notebooks measured; the targets are for TARGET_CELLS. */
export const LSP_SIZES = [300, 500, 1000];
export const TARGET_CELLS = 500;
/** The targets: edit -> published diagnostics p95, and server memory with the notebook open. */
export const TARGET_EDIT_P95_MS = 20;
export const TARGET_RSS_MB = 150;
/** 1 MB = 10^6 bytes (the target is read in decimal megabytes, the stricter reading). */
export const MB = 1e6;

/** The notebooks' seed (same as the analysis benchmark) and the seed of the edit sequence. */
export const NOTEBOOK_SEED = DEFAULT_SEED;
export const EDIT_SEED = 17;
/** Measured edits per size, after WARMUP_EDITS unmeasured ones (same kinds, same server). */
export const EDITS = 300;
export const WARMUP_EDITS = 20;
/** Close + re-open cycles after the edits (warm open time). */
export const REOPENS = 5;
/**
 * When the memory target is missed: the target size again with V8's heap held small (young
 * generation semi-spaces of 1 MB, old generation capped), to tell memory the server keeps from
 * heap V8 has not given back yet.
 */
export const SMALL_HEAP_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=64'];
export const SMALL_HEAP_EDITS = 100;
/** An expected publication that takes longer than this is counted as missing. */
export const PUBLISH_TIMEOUT_MS = 10_000;
