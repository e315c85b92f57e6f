// The redaction benchmark: `nbguard redact` on a generated 1 GiB Spark driver log with
// credentials and decoys planted at known lines, side by side in the same run with ripgrep
// (`rg -P -c` with the detectors' regexes) for speed and with secretlint (npm) for detection,
// on a sample of the log and on the notebook corpus. Run through the bundler:
//
//   npm run build && npm run bench:redact     (= node bench/run.mjs redact --write)
//   node bench/run.mjs redact [--size-mb 1024] [--sample-mb 64] [--runs 3] [--dir /tmp] [--keep] [--write]
//   node bench/run.mjs redact generate --size-mb 200 [--seed N] --out /tmp/driver.log
//   node bench/run.mjs redact versus [--base REV] [--size-mb 200] [--runs 5] [--write]   (beside REV: versusBase.ts)
//
// The parts are in bench/redact/: sparkLog.ts and plants.ts (what the log holds),
// logGenerator.ts (writing it, with the ground truth), redactionScore.ts (checking a redacted
// copy), ripgrep.ts, secretlint.ts, notebookUnits.ts and corpusComparison.ts (the comparisons),
// profileRedact.ts (where the time goes) and redactReport.ts (docs/performance-redact.md).
// Settings and targets: config.ts. Time and peak RSS of a command: bench/harness/processTiming.ts.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { haveGnuTime, measure, median, type Measured } from './harness/processTiming';
import { DEFAULT_SAMPLE_MB, DEFAULT_SIZE_MB, MB, MIB, PROFILE_SIZE_MB, ROOT, RUNS, TARGET_MBPS, TARGET_RATIO } from './redact/config';
import { compareFileSet, corpusLabels, type FileSetComparison } from './redact/corpusComparison';
import { DEFAULT_LOG_SEED, generateLog, generateLogCommand, type GeneratedLog } from './redact/logGenerator';
import { profileRedact } from './redact/profileRedact';
import { versusBase } from './redact/versusBase';
import { changedByDiff, changedByMarker, scoreRedaction } from './redact/redactionScore';
import { mib, pct, targetsMet, writeRedactReport, type LogSummary, type RedactBenchRun, type SampleComparison, type ToolTiming } from './redact/redactReport';
import { debianPackageVersion, detectorPatterns, parseCount, ripgrepVersion, writePatternFile } from './redact/ripgrep';
import { runSecretlint, secretlintMask, secretlintVersion } from './redact/secretlint';

const CORPUS = '/work/shared/corpus';

function summary(log: GeneratedLog): LogSummary {
  const credentials = log.items.filter((i) => !i.decoy).length;
  return { bytes: log.bytes, lines: log.lines, records: log.records, seed: log.seed, credentials, decoys: log.items.length - credentials, credentialRate: log.credentialRate, decoyRate: log.decoyRate, seconds: log.seconds };
}

function timing(label: string, command: string, runs: Measured[], bytes: number, count?: number): ToolTiming {
  const seconds = runs.map((r) => r.seconds);
  const m = median(seconds);
  const rss = runs.map((r) => r.maxRssKb).filter((x): x is number => x !== undefined);
  return { label, command, seconds, median: m, mbps: bytes / MB / m, maxRssKb: rss.length ? Math.max(...rss) : undefined, count };
}

function check(r: Measured, what: string, okStatuses = [0]): Measured {
  if (r.status === null || !okStatuses.includes(r.status)) throw new Error(`${what} failed (status ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return r;
}

async function sampleComparison(dir: string, sizeMb: number, seed: number, patterns: { id: string; pcre2: string }[], log: (s: string) => void): Promise<SampleComparison> {
  const cli = join(ROOT, 'dist', 'cli.js');
  const file = join(dir, 'sample.log');
  const sample = generateLog(file, sizeMb * MIB, seed);
  log(`  sample: ${(sample.bytes / MIB).toFixed(0)} MiB; nbguard redact...`);
  const nbOut = join(dir, 'sample.nbguard.log');
  const nb = check(await measure(process.execPath, [cli, 'redact', file], { stdoutFile: nbOut, cwd: ROOT }), 'nbguard redact (sample)');
  const nbScore = scoreRedaction(sample, changedByDiff(file, nbOut));
  rmSync(nbOut, { force: true });
  log(' secretlint json...');
  const sl = await runSecretlint(ROOT, [file]);
  log(' secretlint mask-result...');
  const slOut = join(dir, 'sample.secretlint.log');
  const mask = await secretlintMask(ROOT, file, slOut);
  const slScore = scoreRedaction(sample, changedByDiff(file, slOut));
  rmSync(slOut, { force: true });
  const byRule = new Map<string, number>();
  for (const f of sl.findings) byRule.set(`${f.rule}:${f.messageId}`, (byRule.get(`${f.rule}:${f.messageId}`) ?? 0) + 1);
  const findingLines = new Set(sl.findings.map((f) => f.line));
  const flaggedByKind = new Map<string, number>();
  for (const it of sample.items) {
    if (it.decoy) continue;
    let hit = false;
    for (let l = it.line; l < it.line + it.span && !hit; l++) hit = findingLines.has(l);
    if (hit) flaggedByKind.set(it.kind, (flaggedByKind.get(it.kind) ?? 0) + 1);
  }
  log(' rg per pattern...');
  const ripgrep: SampleComparison['ripgrep'] = [];
  for (const p of patterns) {
    const pf = writePatternFile(join(dir, `pattern-${p.id}.txt`), [p.pcre2]);
    const r = check(await measure('rg', ['-P', '-c', '-f', pf, file]), `rg ${p.id}`, [0, 1]);
    ripgrep.push({ id: p.id, count: parseCount(r.stdout), seconds: r.seconds });
  }
  log(' done\n');
  rmSync(file, { force: true });
  return {
    log: summary(sample),
    nbguard: { seconds: nb.seconds, maxRssKb: nb.maxRssKb, score: nbScore },
    secretlint: { jsonSeconds: sl.measured.seconds, jsonRssKb: sl.measured.maxRssKb, maskSeconds: mask.seconds, maskRssKb: mask.maxRssKb, score: slScore, byRule: [...byRule].sort((a, b) => b[1] - a[1]), flaggedByKind },
    ripgrep,
  };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'generate') return generateLogCommand(argv.slice(1));
  if (argv[0] === 'versus') return versusBase();
  const flag = (name: string, d: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : d;
  };
  const sizeMb = Number(flag('--size-mb', String(DEFAULT_SIZE_MB)));
  const sampleMb = Number(flag('--sample-mb', String(DEFAULT_SAMPLE_MB)));
  const runs = Number(flag('--runs', String(RUNS)));
  const seed = Number(flag('--seed', String(DEFAULT_LOG_SEED)));
  const write = argv.includes('--write');
  const keep = argv.includes('--keep');
  const log = (s: string) => process.stderr.write(s);

  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const rg = ripgrepVersion();
  if (!rg) throw new Error('ripgrep (rg) is not installed: apt-get install -y ripgrep');
  if (!haveGnuTime()) log('note: /usr/bin/time is not installed (apt-get install -y time); peak RSS is sampled from /proc instead\n');

  const started = performance.now();
  const load = os.loadavg();
  const dir = mkdtempSync(join(flag('--dir', os.tmpdir()), 'nbguard-redact-bench-'));
  // Interrupted: the gigabytes in `dir` go too (the children get the same signal).
  process.once('SIGINT', () => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  log(`nbguard redact benchmark: ${sizeMb} MiB log in ${dir}, node ${process.version}, ${os.cpus().length} cores, load ${load[0].toFixed(2)}\n`);
  try {
    // 1. The log and the pattern files.
    const big = join(dir, 'driver.log');
    const gen = generateLog(big, sizeMb * MIB, seed);
    log(`  generated ${(gen.bytes / MIB).toFixed(0)} MiB, ${gen.lines.toLocaleString('en-US')} lines, ${summary(gen).credentials} credentials, ${summary(gen).decoys} decoys in ${gen.seconds.toFixed(1)} s\n`);
    const patterns = detectorPatterns(ROOT);
    const pcre2File = writePatternFile(join(dir, 'patterns.pcre2.txt'), patterns.map((p) => p.pcre2));
    const plainFile = writePatternFile(join(dir, 'patterns.nolookaround.txt'), patterns.map((p) => p.noLookaround));

    // 2. Timed runs, interleaved so that drift in the machine hits every tool alike.
    const out = join(dir, 'driver.redacted.log');
    const nb: Measured[] = [];
    const rgP: Measured[] = [];
    const rgD: Measured[] = [];
    for (let i = 0; i < runs; i++) {
      log(`  run ${i + 1}/${runs}: nbguard redact...`);
      nb.push(check(await measure(process.execPath, [cli, 'redact', big], { stdoutFile: out, cwd: ROOT }), 'nbguard redact'));
      log(` ${nb[i].seconds.toFixed(2)} s; rg -P...`);
      rgP.push(check(await measure('rg', ['-P', '-c', '-f', pcre2File, big]), 'rg -P', [0, 1]));
      log(` ${rgP[i].seconds.toFixed(2)} s; rg...`);
      rgD.push(check(await measure('rg', ['-c', '-f', plainFile, big]), 'rg', [0, 1]));
      log(` ${rgD[i].seconds.toFixed(2)} s\n`);
    }

    // 3. The last output against the ground truth.
    log('  checking the redacted output...');
    const changed = changedByMarker(out);
    const score = scoreRedaction(gen, changed);
    rmSync(out, { force: true });
    log(` recall ${pct(score.recall)}, precision ${pct(score.precision)}\n`);
    const nbguard = timing('nbguard redact', 'node dist/cli.js redact driver.log > out.log', nb, gen.bytes, changed.changed.size);
    const rgPcre2 = timing('rg -P', 'rg -P -c -f PATTERNS driver.log', rgP, gen.bytes, parseCount(rgP[0].stdout));
    const rgDefault = timing('rg', 'rg -c -f PATTERNS-WITHOUT-LOOKAROUND driver.log', rgD, gen.bytes, parseCount(rgD[0].stdout));
    const [fast, close] = targetsMet({ nbguard, rgPcre2 });

    // 4. Where the time goes: always with --write, and whenever a target is missed.
    let profile: RedactBenchRun['profile'];
    if (write || !fast || !close || argv.includes('--profile')) {
      rmSync(big, { force: true });
      const profMb = Math.min(PROFILE_SIZE_MB, sizeMb);
      log(`  profiling nbguard redact on ${profMb} MiB...`);
      const small = join(dir, 'profile.log');
      generateLog(small, profMb * MIB, seed);
      profile = { sizeMb: profMb, ...profileRedact(small) };
      rmSync(small, { force: true });
      log(' done\n');
    }
    rmSync(big, { force: true });

    // 5. The slower comparisons: a sample of the same log, the corpus, examples/.
    const sample = sampleMb > 0 ? await sampleComparison(dir, sampleMb, seed, patterns, log) : undefined;
    const corpus: FileSetComparison[] = [];
    if (existsSync(CORPUS)) {
      log('  corpus...');
      corpus.push(await compareFileSet(ROOT, 'Labelled corpus', CORPUS, corpusLabels(CORPUS)));
    }
    log(' examples...');
    corpus.push(await compareFileSet(ROOT, 'examples/', join(ROOT, 'examples')));
    log(' done\n');

    const run: RedactBenchRun = {
      log: summary(gen),
      file: 'driver.log',
      nbguard,
      rgPcre2,
      rgDefault,
      patterns: patterns.length,
      score,
      sample,
      corpus,
      profile,
      versions: { node: process.version, ripgrep: rg, ripgrepDebian: debianPackageVersion('ripgrep'), secretlint: secretlintVersion(ROOT), gnuTime: haveGnuTime() },
      load,
      seconds: (performance.now() - started) / 1000,
      started: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    };
    printSummary(run, fast, close);
    if (write) console.log(`wrote ${writeRedactReport(run)}`);
    console.log(`benchmark took ${run.seconds.toFixed(0)} s`);
  } finally {
    if (keep) log(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function printSummary(run: RedactBenchRun, fast: boolean, close: boolean): void {
  const t = (x: ToolTiming) => `${x.label.padEnd(15)} median ${x.median.toFixed(2)} s  ${x.mbps.toFixed(0).padStart(5)} MB/s  RSS ${mib(x.maxRssKb).padStart(8)}  lines ${x.count ?? ''}`;
  console.log('');
  console.log(t(run.nbguard));
  console.log(t(run.rgPcre2));
  console.log(t(run.rgDefault));
  console.log(`target >= ${TARGET_MBPS} MB/s: ${fast ? 'pass' : 'FAIL'}; target <= ${TARGET_RATIO}x rg -P: ${(run.nbguard.median / run.rgPcre2.median).toFixed(2)}x ${close ? 'pass' : 'FAIL'}`);
  const s = run.score;
  console.log(`redaction: lines ${s.lines === s.expectedLines ? 'same' : 'DIFFERENT'}; recall ${pct(s.recall)} (${s.redacted}/${s.credentials}); precision ${pct(s.precision)} (${s.falseLines} lines changed without a credential); decoys intact ${s.decoysKept}/${s.decoys}`);
  for (const k of s.byKind) if (k.ok < k.total) console.log(`  ${k.decoy ? 'decoy' : 'credential'} ${k.kind}: ${k.ok}/${k.total}`);
  if (run.sample) {
    const n = run.sample.nbguard.score;
    const sl = run.sample.secretlint.score;
    console.log(`sample ${(run.sample.log.bytes / MIB).toFixed(0)} MiB: nbguard ${run.sample.nbguard.seconds.toFixed(2)} s recall ${pct(n.recall)} false lines ${n.falseLines}; secretlint json ${run.sample.secretlint.jsonSeconds.toFixed(2)} s, mask ${run.sample.secretlint.maskSeconds.toFixed(2)} s recall ${pct(sl.recall)} false lines ${sl.falseLines} decoys intact ${sl.decoysKept}/${sl.decoys}`);
  }
  for (const c of run.corpus)
    for (const tool of c.tools)
      console.log(`${c.name}: ${tool.tool}: ${tool.seconds.toFixed(2)} s, ${c.labels ? `found ${tool.found.length}/${c.labels.length}, false alarms ${tool.falseAlarms.length}` : `${tool.units.length} reports`}`);
  if (run.profile) {
    console.log(`profile (${run.profile.sizeMb} MiB), top self time:`);
    for (const [k, v] of run.profile.summary.selfTime.slice(0, 10)) console.log(`  ${((100 * v) / run.profile.summary.total).toFixed(1).padStart(5)}%  ${k}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
