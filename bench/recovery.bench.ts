// Syntax-error recovery benchmark: a cell of N lines that parses, against the same cell with one
// syntax error (`if x` without a colon) at its top, middle or end, analysed side by side in one
// process.
// Error recovery re-parses the damaged region statement by statement; it must stay linear, so
// the broken cell should cost at most about twice the clean one (docs/performance-recovery.md).
//
//   node bench/run.mjs recovery                  5,000, 20,000 and 80,000 lines
//   node bench/run.mjs recovery --lines 5000     other sizes (comma-separated)

import { performance } from 'node:perf_hooks';
import { Analyzer, type Notebook } from '../server/src/analysis';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

type Where = 'clean' | 'top' | 'middle' | 'end';

/** One plain .py cell: `lines` statements, with a broken `if` where asked. */
function notebook(lines: number, where: Where): Notebook {
  const half = 'a = 1\n'.repeat(lines / 2);
  const code = where === 'clean' ? half + half : where === 'top' ? `if x\n${half}${half}` : where === 'middle' ? `${half}if x\n${half}` : `${half}${half}if x\n`;
  return { path: 'bench.py', format: 'plain', cells: [{ index: 0, kind: 'code', code, firstLine: 1, executionCount: null }] };
}

/** Median wall time of `runs` analyses (after one warm-up), in milliseconds. */
function time(analyzer: Analyzer, nb: Notebook, runs: number): { ms: number; syntaxErrors: number } {
  let syntaxErrors = analyzer.analyze(nb).syntaxErrors.length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    syntaxErrors = analyzer.analyze(nb).syntaxErrors.length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], syntaxErrors };
}

const argv = process.argv.slice(2);
const at = argv.indexOf('--lines');
const sizes = (at >= 0 ? argv[at + 1] : '5000,20000,80000').split(',').map(Number);
const analyzer = await createAnalyzer();
console.log('| Lines | Clean cell | Error at the top | in the middle | at the end | Worst ratio |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const lines of sizes) {
  const runs = lines > 40_000 ? 3 : 5;
  const clean = time(analyzer, notebook(lines, 'clean'), runs).ms;
  const broken = (['top', 'middle', 'end'] as const).map((where) => time(analyzer, notebook(lines, where), runs));
  if (broken.some((b) => b.syntaxErrors !== 1)) throw new Error('a broken cell should report one syntax error');
  const worst = Math.max(...broken.map((b) => b.ms)) / clean;
  console.log(`| ${lines.toLocaleString('en')} | ${clean.toFixed(0)} ms | ${broken.map((b) => `${b.ms.toFixed(0)} ms`).join(' | ')} | ${worst.toFixed(2)}x |`);
}
