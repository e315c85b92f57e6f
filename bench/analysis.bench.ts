// The nbguard performance benchmark: how long a whole notebook takes to analyse, how long a
// re-analysis takes after a one-cell edit (what the language server does on every keystroke),
// and how much memory an open notebook costs, for generated notebooks of 50, 300 and 1000 code
// cells (bench/generateNotebook.ts).
//
// Run it through the bundler: `npm run bench` (= node bench/run.mjs --write). Every size is
// measured in fresh child processes (one for timing, one for memory) so that sizes do not
// share JIT state, heap growth or peak RSS. See bench/run.mjs for the other commands.
//
// This file is the entry point: it dispatches the commands (generate, profile, the children)
// and runs the measurement itself. The parts are in bench/harness/: timingChild.ts and
// memoryChild.ts (the measurements), childProcesses.ts (running them), cpuProfileSummary.ts and
// profileCommand.ts (CPU profiles), resultTables.ts and performanceReport.ts (the output), and
// config.ts (sizes, targets and budgets).

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { generateCommand } from './generator/generateCommand';
import { printChildResult, runChild } from './harness/childProcesses';
import { DEFAULT_SIZES, TARGET_CELLS } from './harness/config';
import { profileText } from './harness/cpuProfileSummary';
import { memoryChild, type MemoryResult } from './harness/memoryChild';
import { writePerformanceReport, type BenchmarkRun } from './harness/performanceReport';
import { profileCommand, profilePhase } from './harness/profileCommand';
import { ms, plantedTotal, resultTables, ruleCounts, targetTable, type SizeResult } from './harness/resultTables';
import { timingChild, type TimingResult } from './harness/timingChild';

/** Measures one size: memory, then timing, each in its own child process. */
function measureSize(cells: number): SizeResult {
  process.stderr.write(`  ${cells} cells: memory...`);
  const memory = runChild<MemoryResult>(['--expose-gc'], ['--child', 'memory', '--cells', String(cells)]);
  process.stderr.write(' timing...');
  const timing = runChild<TimingResult>([], ['--child', 'timing', '--cells', String(cells)]);
  process.stderr.write(` full ${ms(timing.full.median)} ms, edit ${ms(timing.edit.median)} ms\n`);
  return { timing, memory };
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === 'generate') return generateCommand(argv.slice(1));
  if (argv[0] === 'profile') return profileCommand(argv.slice(1));
  const child = flag('--child');
  if (child) {
    const cells = Number(flag('--cells'));
    const result = child === 'memory' ? await memoryChild(cells) : await timingChild(cells, (flag('--phase') as 'full' | 'edit' | undefined) ?? 'all');
    printChildResult(result);
    return;
  }
  const sizes = (flag('--sizes') ?? DEFAULT_SIZES.join(',')).split(',').map(Number);
  const write = argv.includes('--write');
  const started = performance.now();
  const load = os.loadavg();
  process.stderr.write(`nbguard benchmark: ${sizes.join(', ')} code cells, node ${process.version}, ${os.cpus().length} cores, load ${load[0].toFixed(2)}\n`);
  const results = sizes.map(measureSize);
  // With --write (or --profile), where the time goes for the target size goes into the report.
  let profiles: BenchmarkRun['profiles'];
  if (write || argv.includes('--profile')) {
    const cells = sizes.includes(TARGET_CELLS) ? TARGET_CELLS : sizes[0];
    process.stderr.write(`  profiling ${cells} cells: full...`);
    const full = profilePhase(cells, 'full');
    process.stderr.write(' edit...\n');
    const edit = profilePhase(cells, 'edit');
    profiles = { cells, full, edit };
  }
  const seconds = (performance.now() - started) / 1000;
  const run: BenchmarkRun = { results, seconds, load, profiles };
  console.log('');
  console.log(targetTable(results).join('\n'));
  console.log('');
  console.log(resultTables(results));
  console.log('');
  for (const { timing } of results) {
    if (timing.syntaxErrors > 0) console.log(`warning: the ${timing.cells}-cell notebook has ${timing.syntaxErrors} syntax errors (generator bug)`);
    if (timing.findings !== plantedTotal(timing.planted))
      console.log(`note: ${timing.cells} cells: ${timing.findings} findings for ${plantedTotal(timing.planted)} planted (${ruleCounts(timing.planted)})`);
  }
  if (profiles) {
    console.log(`Full analysis, ${profiles.cells} cells:\n${profileText(profiles.full, 12)}\n`);
    console.log(`Edit + re-analysis, ${profiles.cells} cells:\n${profileText(profiles.edit, 12)}\n`);
  }
  if (write) {
    const out = writePerformanceReport(run);
    console.log(`wrote ${out}`);
  }
  console.log(`benchmark took ${seconds.toFixed(0)} s`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
