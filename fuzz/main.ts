// `npm run fuzz`: the long fuzz run. Bundled and started by fuzz/run.mjs (Node 20 cannot run
// TypeScript itself).
//
//   npm run fuzz                                   10 minutes, a random seed (printed)
//   npm run fuzz -- --seed 7 --minutes 20          a reproducible run of 20 minutes
//   npm run fuzz -- --seed 7 --inputs 5000         ... or of 5,000 iterations
//   npm run fuzz -- --out /tmp/fz                  reproducers in /tmp/fz/failures (default fuzz/out)
//   npm run fuzz -- --seed 7 --replay 1234         rebuild iteration 1234 of seed 7, save it, run it
//   npm run fuzz -- --reproduce DIR                run a saved reproducer (DIR/failure.json, DIR/input.*) again
//   npm run fuzz -- --short                        the in-suite sizes (no huge inputs)
//   --child-rate 0.1  --cli dist/cli.js  --start N  --no-giant

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Fuzzer, type FuzzConfig, type Stats } from './engine';
import { LONG_LIMITS, SHORT_LIMITS, type Command, type FuzzInput, type InputKind } from './inputs';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

export function summaryText(stats: Stats, seconds: number, seed: number): string {
  const lines: string[] = [];
  const inputs = Object.values(stats.inputs).reduce((a, b) => a + b, 0);
  lines.push(`seed ${seed}: ${stats.iterations} iterations, ${inputs} inputs in ${seconds.toFixed(0)} s (${(inputs / Math.max(1, seconds)).toFixed(1)} inputs/s, ${(stats.bytes / 1_048_576).toFixed(1)} MB)`);
  lines.push(`inputs by kind: ${Object.entries(stats.inputs).sort().map(([k, v]) => `${k} ${v} (${((stats.msByKind[k] ?? 0) / 1000).toFixed(0)} s)`).join(', ')}`);
  lines.push(`runs: ${stats.inProcessRuns} in-process, ${stats.childRuns} child processes; ${stats.scalePairs} linearity pairs`);
  lines.push(`worst time per MB: ${stats.worst.msPerMb.toFixed(0)} ms/MB (${stats.worst.what})`);
  lines.push(`worst 2x-size time ratio: ${stats.worstRatio.ratio.toFixed(2)} (${stats.worstRatio.what})`);
  if (stats.harnessErrors > 0) lines.push(`harness errors (inputs skipped): ${stats.harnessErrors}`);
  const failures = [...stats.failures.values()];
  const total = failures.reduce((a, f) => a + f.count, 0);
  lines.push(`failures: ${total} in ${failures.length} distinct signatures, ${new Set(failures.map((f) => f.cls)).size} classes`);
  for (const f of failures.sort((a, b) => a.signature.localeCompare(b.signature))) {
    lines.push(`  ${f.signature}  x${f.count}  first at iteration ${f.first.iteration} (${f.first.kind})${f.first.reproducer ? `  -> ${f.first.reproducer}` : ''}`);
  }
  return lines.join('\n');
}

export function summaryJson(stats: Stats, seconds: number, seed: number): unknown {
  return {
    seed,
    seconds,
    iterations: stats.iterations,
    inputs: stats.inputs,
    msByKind: stats.msByKind,
    inProcessRuns: stats.inProcessRuns,
    childRuns: stats.childRuns,
    scalePairs: stats.scalePairs,
    megabytes: stats.bytes / 1_048_576,
    worstMsPerMb: stats.worst,
    worstRatio: stats.worstRatio,
    failures: [...stats.failures.values()],
  };
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const seed = arg('seed') !== undefined ? Number(arg('seed')) : Math.floor(Math.random() * 2 ** 31);
  const minutes = arg('minutes') !== undefined ? Number(arg('minutes')) : undefined;
  const maxInputs = arg('inputs') !== undefined ? Number(arg('inputs')) : undefined;
  const out = resolve(arg('out') ?? join(root, 'fuzz', 'out'));
  const short = flag('short');
  const replay = arg('replay') !== undefined ? Number(arg('replay')) : undefined;
  const config: FuzzConfig = {
    seed,
    limits: short ? SHORT_LIMITS : LONG_LIMITS,
    childRate: Number(arg('child-rate') ?? (short ? 0.04 : 0.08)),
    scaleRate: short ? 0.03 : 0.04,
    scaleBytes: short ? [100_000, 300_000] : [150_000, 800_000],
    giantEvery: short || flag('no-giant') ? 0 : Number(arg('giant-every') ?? 4000),
    giantBytes: 110 << 20,
    cli: resolve(arg('cli') ?? join(root, 'dist', 'cli.js')),
    workDir: join(out, 'work'),
    failuresDir: join(out, 'failures', `seed-${seed}`),
    childTimeoutMs: 180_000,
    inProcessMaxBytes: 16 << 20,
    log: (line) => process.stdout.write(`${line}\n`),
  };
  mkdirSync(out, { recursive: true });
  const fuzzer = new Fuzzer(config);
  process.stdout.write(`nbguard fuzz: seed ${seed}${short ? ' (short sizes)' : ''}; ${arg('reproduce') !== undefined ? `reproducer ${arg('reproduce')}` : minutes !== undefined ? `${minutes} minutes` : maxInputs !== undefined ? `${maxInputs} inputs` : replay !== undefined ? `replay of iteration ${replay}` : '10 minutes'}; failures in ${config.failuresDir}; cli ${config.cli}\n`);

  const reproduce = arg('reproduce');
  if (reproduce !== undefined) {
    // A saved reproducer: failure.json and its input, run again in-process and as child processes.
    const meta = JSON.parse(readFileSync(join(reproduce, 'failure.json'), 'utf8')) as { kind: string; command: string; mutations?: string[]; check: string; replay: string };
    if (meta.check === 'time-superlinear') {
      // a pair of inputs: --replay makes and times both again
      process.stdout.write(`${reproduce}: a linearity pair; time it again with: ${meta.replay}\n`);
      return;
    }
    const name = readdirSync(reproduce).find((f) => f.startsWith('input'));
    if (!name) throw new Error(`no input file in ${reproduce}`);
    const command = (meta.kind.startsWith('scale:') ? meta.command.split(' ')[1] : { 'scan-ipynb': 'scan', 'scan-py': 'scan', 'redact-log': 'redact', 'audit-jsonl': 'audit' }[meta.kind]) as Command;
    const chunk = /chunks of (\d+) bytes/.exec(meta.command);
    const input: FuzzInput = { kind: meta.kind as InputKind, command, ext: extname(name), data: readFileSync(join(reproduce, name)), mutations: meta.mutations ?? [], chunk: chunk ? Number(chunk[1]) : undefined };
    const still = await new Fuzzer({ ...config, failuresDir: undefined, log: undefined }).recheck(input);
    process.stdout.write(still.length === 0 ? `${reproduce}: passes every check now\n` : `${reproduce}: still fails:\n${still.map((f) => `  ${f.signature}: ${f.first.detail.split('\n')[0]}  [${f.first.argv}]`).join('\n')}\n`);
    process.exitCode = still.length === 0 ? 0 : 1;
    return;
  }

  if (replay !== undefined) {
    const made = fuzzer.makeInput(replay);
    const dir = join(out, `replay-${seed}-${replay}`);
    mkdirSync(dir, { recursive: true });
    if ('scale' in made) {
      writeFileSync(join(dir, `small${made.ext}`), made.small);
      writeFileSync(join(dir, `large${made.ext}`), made.large);
    } else {
      writeFileSync(join(dir, `input${made.ext}`), made.data);
      writeFileSync(join(dir, 'mutations.json'), `${JSON.stringify({ kind: made.kind, mutations: made.mutations, chunk: made.chunk }, null, 2)}\n`);
    }
    process.stdout.write(`input written to ${dir}\n`);
    await fuzzer.iteration(replay);
    process.stdout.write(`${summaryText(fuzzer.stats, 0, seed)}\n`);
    return;
  }

  const start = Number(arg('start') ?? 0);
  const deadline = Date.now() + (minutes ?? (maxInputs !== undefined ? Infinity : 10)) * 60_000;
  const t0 = Date.now();
  let lastProgress = t0;
  let stop = false;
  process.on('SIGINT', () => {
    stop = true;
  });
  let current = start;
  process.on('uncaughtException', (error) => {
    // A product exception thrown from an event the fuzzer does not await: report where, and stop.
    process.stdout.write(`uncaught exception at iteration ${current} (replay with --seed ${seed} --replay ${current}): ${(error as Error).stack ?? error}\n`);
    process.stdout.write(`\n${summaryText(fuzzer.stats, (Date.now() - t0) / 1000, seed)}\n`);
    process.exit(2);
  });
  for (let i = start; !stop && Date.now() < deadline && (maxInputs === undefined || i - start < maxInputs); i++) {
    current = i;
    const ti = Date.now();
    await fuzzer.iteration(i);
    if (flag('verbose')) process.stdout.write(`iteration ${i}: ${Date.now() - ti} ms\n`);
    if (Date.now() - lastProgress > 60_000) {
      lastProgress = Date.now();
      const failures = [...fuzzer.stats.failures.values()].reduce((a, f) => a + f.count, 0);
      process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0)} s] iteration ${i}: ${Object.values(fuzzer.stats.inputs).reduce((a, b) => a + b, 0)} inputs, ${failures} failures (${fuzzer.stats.failures.size} distinct), worst ${fuzzer.stats.worst.msPerMb.toFixed(0)} ms/MB\n`);
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  const text = summaryText(fuzzer.stats, seconds, seed);
  process.stdout.write(`\n${text}\n`);
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summaryJson(fuzzer.stats, seconds, seed), null, 2)}\n`);
  writeFileSync(join(out, 'summary.txt'), `${text}\n`);
  process.exitCode = fuzzer.stats.failures.size > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`nbguard fuzz: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 2;
});
