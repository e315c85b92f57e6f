// docs/entropy-histogram.svg, written by hand (no dependencies): the five 40-character
// populations as overlaid histograms (0.02-bit bins from 2.0 to 5.4 bits per character, each
// bar the share of its population), a legend, axes with ticks, the 40-hex ceiling and the
// chosen threshold as labelled vertical lines.

import type { Sampled } from './populations';

const WIDTH = 900;
const HEIGHT = 420;
const LEFT = 64;
const RIGHT = 16;
const TOP = 44;
const BOTTOM = 52;
const X_MIN = 2.0;
const X_MAX = 5.4;
const BIN = 0.02;
const BINS = Math.round((X_MAX - X_MIN) / BIN);

const x = (bits: number) => LEFT + ((bits - X_MIN) / (X_MAX - X_MIN)) * (WIDTH - LEFT - RIGHT);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n1 = (v: number) => v.toFixed(1);

/** Share of the sample in each bin; values outside the range go to the end bins. */
function histogram(entropies: Float64Array): number[] {
  const counts = new Array<number>(BINS).fill(0);
  for (const h of entropies) counts[Math.min(BINS - 1, Math.max(0, Math.floor((h - X_MIN) / BIN + 1e-9)))]++;
  return counts.map((c) => c / entropies.length);
}

/** A step outline of the histogram along the x axis. */
function stepPath(shares: number[], y: (share: number) => number): string {
  const points: string[] = [`M${n1(x(X_MIN))},${n1(y(0))}`];
  shares.forEach((s, i) => {
    if (s === 0 && (shares[i - 1] ?? 0) === 0) return;
    points.push(`L${n1(x(X_MIN + i * BIN))},${n1(y(s))}`, `L${n1(x(X_MIN + (i + 1) * BIN))},${n1(y(s))}`);
    if ((shares[i + 1] ?? 0) === 0) points.push(`L${n1(x(X_MIN + (i + 1) * BIN))},${n1(y(0))}`);
  });
  return points.join('');
}

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
}

export interface HistogramMarks {
  threshold: number;
  hexCeiling: number;
  title: string;
}

export function histogramSvg(samples: readonly Sampled[], marks: HistogramMarks): string {
  const histograms = samples.map((s) => histogram(s.entropies));
  const peak = Math.max(...histograms.flat());
  const step = niceStep(peak * 100, 6);
  // Headroom above the highest bar for the line labels.
  const yMax = Math.ceil((peak * 100 * 1.12) / step) * step;
  const bottom = HEIGHT - BOTTOM;
  const y = (share: number) => bottom - ((share * 100) / yMax) * (bottom - TOP);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(marks.title)}</text>`);

  // Grid and y ticks.
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const yy = n1(y(v / 100));
    out.push(`<line x1="${LEFT}" y1="${yy}" x2="${WIDTH - RIGHT}" y2="${yy}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${LEFT - 6}" y="${yy}" dy="4" text-anchor="end">${Number(v.toFixed(2))}</text>`);
  }
  // X ticks every 0.2 bits.
  for (let i = 0; i <= Math.round((X_MAX - X_MIN) / 0.2); i++) {
    const bits = X_MIN + i * 0.2;
    const xx = n1(x(bits));
    out.push(`<line x1="${xx}" y1="${bottom}" x2="${xx}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${xx}" y="${bottom + 18}" text-anchor="middle">${bits.toFixed(1)}</text>`);
  }

  // Histograms: translucent fills, then outlines on top.
  samples.forEach((s, i) => out.push(`<path d="${stepPath(histograms[i], y)}Z" fill="${s.population.colour}" fill-opacity="0.18" stroke="none"/>`));
  samples.forEach((s, i) => out.push(`<path d="${stepPath(histograms[i], y)}" fill="none" stroke="${s.population.colour}" stroke-width="1.4"/>`));

  // Axes.
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 12}" text-anchor="middle" font-size="13">Shannon entropy (bits per character)</text>`);
  out.push(`<text transform="translate(18 ${(TOP + bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13">share of samples per ${BIN}-bit bin (%)</text>`);

  // The hex ceiling (dotted, labelled to its left) and the threshold (dashed, labelled to its right).
  const hx = n1(x(marks.hexCeiling));
  out.push(`<line x1="${hx}" y1="${TOP}" x2="${hx}" y2="${bottom}" stroke="#555" stroke-width="1.2" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${hx}" y="${TOP + 12}" dx="-5" text-anchor="end" fill="#555">40 hex max ${marks.hexCeiling.toFixed(3)}</text>`);
  const tx = n1(x(marks.threshold));
  out.push(`<line x1="${tx}" y1="${TOP}" x2="${tx}" y2="${bottom}" stroke="#000" stroke-width="1.6" stroke-dasharray="7 4"/>`);
  out.push(`<text x="${tx}" y="${TOP + 12}" dx="5" font-weight="bold">threshold ${marks.threshold.toFixed(2)} bits/char</text>`);

  // Legend, top left where no population reaches.
  const lx = LEFT + 14;
  const ly = TOP + 12;
  out.push(`<rect x="${lx - 8}" y="${ly - 12}" width="262" height="${samples.length * 20 + 26}" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`);
  out.push(`<text x="${lx}" y="${ly + 2}" font-weight="bold">40-character strings, ${samples[0].entropies.length.toLocaleString('en-US')} each</text>`);
  samples.forEach((s, i) => {
    const yy = ly + 20 + i * 20;
    out.push(`<rect x="${lx}" y="${yy - 9}" width="18" height="10" fill="${s.population.colour}" fill-opacity="0.35" stroke="${s.population.colour}" stroke-width="1.4"/>`);
    out.push(`<text x="${lx + 26}" y="${yy}">${escape(s.population.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
