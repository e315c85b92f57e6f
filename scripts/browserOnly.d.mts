// Types of browserOnly.mjs (an esbuild plugin) for the TypeScript that imports it.
import type { Plugin } from 'esbuild';

export declare const browserOnly: Plugin;
