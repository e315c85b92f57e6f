// The language server's helper thread for opening big notebooks: while the main thread lowers
// the cells in order, the helper (dist/parseWorker.js) parses them ahead of it into shared
// memory (analysis/parse/sharedTrees.ts). On a machine of one core there is no
// helper: it would only take turns with the main thread.
//
// The helper is started ahead (when the server's rules are loaded), so that the first open
// finds it ready, and ended when it has parsed what the open left it (or after a minute
// without an open), so that the server holds no second heap (some 17 MB at 500 cells) while the
// user types; the next big open starts it again: that open's main thread does not wait for it
// to start, it parses whatever the helper has not reached (a helper started with the open
// still parses most cells of 500). A helper that fails to start is not
// started again: every open then parses on the main thread, as it would without one.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { pythonLanguage } from '../analysis/parse/pythonParser';
import { newTreeJob, SharedTrees } from '../analysis/parse/sharedTrees';
import { isBundle } from './assets';

/** Fewer cells than this open on the main thread alone: the helper's share would not pay for the job. */
export const HELPER_MIN_CELLS = 32;
const IDLE_MS = 60_000;

export class ParseHelper {
  private worker: Worker | undefined;
  private idle: NodeJS.Timeout | undefined;
  private failed = false;
  /** Jobs handed to the worker it has not finished. */
  private pending = 0;

  constructor(
    /** The worker's script (dist/parseWorker.js). */
    private readonly script: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /**
   * The helper of the bundled server, or undefined: on one core, when running from the sources,
   * or with NBGUARD_PARSE_HELPER=0 in the environment (one thread, as before; and for tests).
   */
  static forServer(log?: (message: string) => void): ParseHelper | undefined {
    if (availableParallelism() < 2 || !isBundle() || process.env.NBGUARD_PARSE_HELPER === '0') return undefined;
    const script = join(__dirname, 'parseWorker.js');
    return existsSync(script) ? new ParseHelper(script, log) : undefined;
  }

  /** Starts the helper now, so that the next open finds it ready. */
  warm(): void {
    this.ensure();
  }

  /**
   * Hands the helper the code of the cells an open is about to parse (in the order it parses
   * them); the trees it will share, or undefined when there is no helper for this open.
   */
  start(codes: readonly string[]): SharedTrees | undefined {
    if (codes.length < HELPER_MIN_CELLS) return undefined;
    const worker = this.ensure();
    if (!worker) return undefined;
    const job = newTreeJob(codes);
    worker.postMessage(job);
    this.pending++;
    return new SharedTrees(job, pythonLanguage());
  }

  /** Whether the helper thread is up (started, and not ended after its last job). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    void this.worker?.terminate();
    this.worker = undefined;
    this.pending = 0;
  }

  private ensure(): Worker | undefined {
    if (this.failed) return undefined;
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.dispose(), IDLE_MS);
    // An ended helper must not keep the server alive, nor a pending idle timer.
    this.idle.unref();
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(this.script);
      worker.unref();
      // A job done: the helper ends when no other waits (its heap goes back).
      worker.on('message', () => {
        if (--this.pending <= 0 && this.worker === worker) this.dispose();
      });
      worker.on('error', (error) => {
        this.failed = true;
        this.log(`nbguard: the parse helper thread failed (${error.message}); notebooks open on the main thread`);
      });
      worker.on('exit', () => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.pending = 0;
      });
      this.worker = worker;
      return worker;
    } catch (error) {
      this.failed = true;
      this.log(`nbguard: the parse helper thread did not start (${(error as Error).message}); notebooks open on the main thread`);
      return undefined;
    }
  }
}
