// The browser's check that the user's detector regexes finish on adversarial input, as the Node
// host checks them in a child process (server/src/node/regexSafety.ts): a regex that backtracks
// catastrophically would freeze the page on every analysis, and it cannot be interrupted where it
// runs. So the patterns run first in a Web Worker, which is terminated when one takes too long.

import { adversarialInputs, type DetectorRule } from '../../server/src/analysis';

const INPUT_SIZE = 50_000;
const TIME_LIMIT_MS = 3_000;

// Runs in the worker: every pattern over every input; posts the id of each as it finishes.
const WORKER = `onmessage = (event) => {
  const { patterns, inputs } = event.data;
  for (const p of patterns) {
    const re = new RegExp(p.pattern, (p.flags || '') + 'g');
    for (const input of inputs) { re.lastIndex = 0; while (re.exec(input)) { if (re.lastIndex === 0) break; } }
    postMessage(p.id);
  }
};`;

/** Runs `patterns` in a worker; resolves with the ids that finished before one stalled (or all). */
function runUntilStall(url: string, patterns: readonly DetectorRule[], inputs: string[]): Promise<Set<string>> {
  return new Promise((resolve) => {
    const finished = new Set<string>();
    const worker = new Worker(url);
    let timer: ReturnType<typeof setTimeout>;
    const stop = () => {
      clearTimeout(timer);
      worker.terminate();
      resolve(finished);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(stop, TIME_LIMIT_MS);
    };
    worker.onmessage = (event: MessageEvent<string>) => {
      finished.add(event.data);
      if (finished.size === patterns.length) stop();
      else arm();
    };
    worker.onerror = stop;
    arm();
    worker.postMessage({ patterns: patterns.map((p) => ({ id: p.id, pattern: p.pattern, flags: p.flags })), inputs });
  });
}

/** The first of `detectors` whose pattern does not finish on adversarial input in time, if any. */
export async function firstUnsafePattern(detectors: readonly DetectorRule[]): Promise<DetectorRule | undefined> {
  if (detectors.length === 0) return undefined;
  const inputs = adversarialInputs(INPUT_SIZE).map((i) => i.text);
  const url = URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' }));
  try {
    const finished = await runUntilStall(url, detectors, inputs);
    return detectors.find((d) => !finished.has(d.id));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export const UNSAFE_REASON = `its pattern does not finish on adversarial input within ${TIME_LIMIT_MS / 1000} s (catastrophic backtracking?)`;
