// The entropy calibration study of the AWS-secret-key detector (after Databricks' log-redaction
// post: a threshold chosen from the gap between random 40-character base64 secrets and SHA-1
// digests). Generates 100,000 strings of each of five 40-character populations and 10,000
// random base64, alphanumeric and hex strings at each of eight lengths, measures them with the
// project's shannonEntropy, chooses the 40-character threshold and a length-dependent floor,
// prints the tables and writes docs/entropy-calibration.md and docs/entropy-histogram.svg.
//
//   node bench/run.mjs calibrate [--seed N]
//
// The parts are in bench/calibration/: the generators (random.ts, words.ts, sha1Digests.ts,
// identifiers.ts, filePaths.ts, base64Text.ts, populations.ts, perLength.ts), the exact
// distribution of random strings (exactTail.ts), the choice (threshold.ts, separation.ts,
// keyShape.ts) and the output (quantiles.ts, tables.ts, histogramSvg.ts, report.ts).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { previousFloor as base64EntropyFloor } from './calibration/previousFloor';
import { entropyCeiling } from './calibration/exactTail';
import { histogramSvg } from './calibration/histogramSvg';
import { LENGTHS, measureLengths } from './calibration/perLength';
import { POPULATIONS, samplePopulation } from './calibration/populations';
import { calibrationReport } from './calibration/report';
import { separationRows } from './calibration/separation';
import { distributionTable, floorTable, lengthTable, separationTable } from './calibration/tables';
import { chooseThreshold, exact, exactTable, fitFormula, floorRows, KEY_LENGTH } from './calibration/threshold';

const POPULATION_SAMPLES = 100_000;
const LENGTH_SAMPLES = 10_000;

function main(argv: string[]): void {
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 1;
  const started = performance.now();
  const step = (what: string) => process.stderr.write(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  process.stderr.write(`nbguard entropy calibration, seed ${seed}\n`);

  const samples = POPULATIONS.map((p) => samplePopulation(p, POPULATION_SAMPLES, seed));
  step(`${POPULATIONS.length} populations x ${POPULATION_SAMPLES.toLocaleString('en-US')}`);
  const lengths = measureLengths(seed, LENGTH_SAMPLES);
  step(`random strings at ${LENGTHS.length} lengths x 3 alphabets x ${LENGTH_SAMPLES.toLocaleString('en-US')}`);
  const table = exactTable();
  step('exact distributions of random strings');

  const threshold = chooseThreshold(table);
  const formula = fitFormula(threshold, table);
  const hexCeiling = entropyCeiling(KEY_LENGTH, 16);
  const floors = floorRows(formula, table, LENGTHS, (n, alphabet) => lengths.find((l) => l.length === n)![alphabet].entropies);
  const candidates = [
    { threshold: Math.round(hexCeiling * 1000) / 1000, label: '(40-hex max)' },
    { threshold: 4.0, label: '' },
    { threshold, label: '(chosen)' },
    { threshold: 4.1, label: '' },
    { threshold: 4.15, label: '' },
    { threshold: Math.round(base64EntropyFloor(KEY_LENGTH) * 1000) / 1000, label: '(previous)' },
    { threshold: 4.3, label: '' },
    { threshold: 4.5, label: '(detect-secrets)' },
  ].filter((c, i, all) => all.findIndex((o) => Math.abs(o.threshold - c.threshold) < 1e-9) === i);
  const separation = separationRows(candidates, samples, exact(table, KEY_LENGTH, 64)!);

  const tables = {
    distribution: distributionTable(samples),
    lengths: lengthTable(lengths),
    floors: floorTable(floors, lengths),
    separation: separationTable(separation, samples),
  };
  console.log(`\nEntropy, bits per character, 40-character strings (${POPULATION_SAMPLES.toLocaleString('en-US')} each)\n`);
  console.log(tables.distribution);
  console.log(`\nRandom strings by length (${LENGTH_SAMPLES.toLocaleString('en-US')} each; hex ceiling = highest possible)\n`);
  console.log(tables.lengths);
  console.log('\nCandidate 40-character thresholds: random keys missed, other populations passing (and passing the detector shape checks too)\n');
  console.log(tables.separation);
  console.log(`\nChosen threshold at 40 characters: ${threshold.toFixed(2)} bits/char (40-hex max ${hexCeiling.toFixed(3)})`);
  console.log(`Proposed floor: ${formula.text}\n`);
  console.log(tables.floors);

  const docs = join(process.cwd(), 'docs');
  writeFileSync(join(docs, 'entropy-histogram.svg'), histogramSvg(samples, { threshold, hexCeiling, title: 'Shannon entropy of 40-character strings: random keys vs. look-alikes' }));
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(join(docs, 'entropy-calibration.md'), calibrationReport({ seed, samples, lengths, floors, separation, threshold, hexCeiling, formula, exactTable: table, tables, seconds }));
  step('wrote docs/entropy-calibration.md and docs/entropy-histogram.svg');
}

main(process.argv.slice(2));
