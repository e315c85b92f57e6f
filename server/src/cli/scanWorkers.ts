// `nbguard scan` of many files on every core: worker threads, each with its own analyzer, take
// the next file as they finish one (so a big notebook does not hold up the rest), and the main
// thread puts the results back in the files' order, so the report is the same as one thread's.
// A worker is the CLI bundle itself (dist/cli.js) started with `workerData.nbguardScan`.

import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { AnalysisOrder } from '../analysis';
import { createAnalyzer } from '../node/createAnalyzer';
import { scanFile, type FileScan, type FileScanOptions } from './scanFile';

export interface WorkerSetup extends FileScanOptions {
  readonly rules: readonly string[];
  readonly maxCellSize?: number;
  readonly order: AnalysisOrder;
}

/** The number of threads a scan uses by default: one per core the process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** Whether this thread is a scan worker (then runScanWorker() is all it does). */
export function isScanWorker(): boolean {
  return !isMainThread && Boolean((workerData as { nbguardScan?: unknown } | null)?.nbguardScan);
}

/** The worker's side: an analyzer, then one file per message, each answered with its scan. */
export async function runScanWorker(): Promise<void> {
  const setup = (workerData as { nbguardScan: WorkerSetup }).nbguardScan;
  const analyzer = await createAnalyzer({ rulesDirs: setup.rules, maxCellSize: setup.maxCellSize });
  parentPort!.on('message', (message: { index: number; file: string } | null) => {
    if (message === null) {
      parentPort!.close();
      return;
    }
    parentPort!.postMessage({ index: message.index, scan: scanFile(analyzer, message.file, setup) });
  });
  parentPort!.postMessage({ ready: true });
}

/** Scans `files` on `jobs` worker threads running `entry` (the CLI bundle); the scans in the files' order. */
export function scanInWorkers(entry: string, files: readonly string[], setup: WorkerSetup, jobs: number): Promise<FileScan[]> {
  const results: FileScan[] = new Array(files.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let finished = false;
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    /** The workers sent their last message (no more files): they may end. */
    const released = new Set<Worker>();
    const feed = (worker: Worker) => {
      if (next < files.length) {
        worker.postMessage({ index: next, file: files[next] });
        next++;
      } else {
        released.add(worker);
        worker.postMessage(null);
      }
    };
    for (let i = 0; i < Math.min(jobs, files.length); i++) {
      const worker = new Worker(entry, { workerData: { nbguardScan: setup } });
      workers.push(worker);
      worker.on('message', (message: { ready: true } | { index: number; scan: FileScan }) => {
        if ('index' in message) {
          results[message.index] = message.scan;
          if (++done === files.length) {
            finish();
            return;
          }
        }
        feed(worker);
      });
      worker.on('error', (error) => finish(new Error(`a scan worker failed: ${error.message}`)));
      // A worker that ends before the scan does (out of memory, killed) must not leave it waiting.
      worker.on('exit', (code) => {
        if (!released.has(worker)) finish(new Error(`a scan worker stopped (exit code ${code}) before the scan was done`));
      });
    }
  });
}
