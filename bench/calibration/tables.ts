// The study's tables as Markdown (aligned, so they read as well in the terminal as in
// docs/entropy-calibration.md): the 40-character distributions, the per-length tails of random
// strings, the length-dependent floor and the separation at candidate thresholds.

import type { LengthRow } from './perLength';
import type { Sampled } from './populations';
import { summarise } from './quantiles';
import type { SeparationRow } from './separation';
import type { FloorRow } from './threshold';

function markdown(header: string[], rows: string[][], rightAlign = true): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i > 0 && rightAlign ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i > 0 && rightAlign ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

/** A probability: 0, scientific below 0.1%, else a percentage. */
export function share(p: number): string {
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(1);
  return `${(p * 100).toFixed(p < 0.1 ? 2 : 1)}%`;
}

export function distributionTable(samples: readonly Sampled[]): string {
  return markdown(
    ['population', 'min', 'p1', 'p50', 'p99', 'max'],
    samples.map((s) => {
      const m = summarise(s.entropies);
      return [s.population.label, f2(m.min), f2(m.p1), f2(m.p50), f2(m.p99), f2(m.max)];
    }),
  );
}

export function lengthTable(rows: readonly LengthRow[]): string {
  return markdown(
    ['length', 'log2(n)', 'base64 p0.1', 'base64 p1', 'base64 p50', 'alnum p0.1', 'alnum p1', 'alnum p50', 'hex max', 'hex ceiling'],
    rows.map((r) => [
      String(r.length),
      f2(Math.log2(r.length)),
      f2(r.base64.p01),
      f2(r.base64.p1),
      f2(r.base64.p50),
      f2(r.alphanumeric.p01),
      f2(r.alphanumeric.p1),
      f2(r.alphanumeric.p50),
      f3(r.hexMax),
      f3(r.hexCeiling),
    ]),
  );
}

export function floorTable(rows: readonly FloorRow[], lengths: readonly LengthRow[]): string {
  const miss = (m: { value: number; exact: boolean }) => (m.exact ? share(m.value) : m.value === 0 ? '0 of 10,000 sampled' : `${share(m.value)} sampled`);
  return markdown(
    ['length', 'floor base64', 'keys missed', 'floor alnum', 'keys missed', 'vs hex ceiling', 'vs base64 p0.1', 'previous floor', 'keys missed'],
    rows.map((r) => {
      const sampled = lengths.find((l) => l.length === r.length)!;
      return [
        String(r.length),
        f2(r.floor.base64),
        miss(r.miss.base64),
        f2(r.floor.alphanumeric),
        miss(r.miss.alphanumeric),
        `${r.floor.base64 > r.hexCeiling ? '+' : ''}${f2(r.floor.base64 - r.hexCeiling)}`,
        f2(r.floor.base64 - sampled.base64.p01),
        f2(r.current),
        miss(r.currentMiss),
      ];
    }),
  );
}

export function separationTable(rows: readonly SeparationRow[], samples: readonly Sampled[]): string {
  const others = samples.filter((s) => s.population.id !== 'keys');
  return markdown(
    ['threshold', 'keys missed (exact)', 'keys missed (sampled)', ...others.map((s) => `${s.population.short} passing (and key-shaped)`)],
    rows.map((r) => [
      `${f2(r.threshold)}${r.label ? ` ${r.label}` : ''}`,
      share(r.exactMiss),
      share(r.sampledMiss),
      ...others.map((s) => `${share(r.pass[s.population.id].all)} (${share(r.pass[s.population.id].shaped)})`),
    ]),
  );
}
