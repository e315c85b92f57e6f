// The five populations of 40-character strings the study compares, with their generators and
// the colours the histogram draws them in, and the sampling that turns each into a sorted
// sample of entropies (the project's own shannonEntropy, imported from the server source),
// kept apart for the strings that also pass the detector's shape checks (keyShape.ts).

import { shannonEntropy } from '../../server/src/analysis/detectors/entropy';
import { base64TextWindow } from './base64Text';
import { pathWindow } from './filePaths';
import { identifierWindow } from './identifiers';
import { BASE64, randomString, stream, type Rng } from './random';
import { isKeyShaped } from './keyShape';
import { sha1Digest } from './sha1Digests';
import { sorted } from './quantiles';

export interface Population {
  id: string;
  label: string;
  /** Column heading. */
  short: string;
  colour: string;
  generate: (rng: Rng) => string;
}

export const POPULATIONS: readonly Population[] = [
  { id: 'keys', label: 'random base64 (AWS-secret-like)', short: 'random keys', colour: '#d62728', generate: (rng) => randomString(rng, BASE64, 40) },
  { id: 'sha1', label: 'SHA-1 hex digests', short: 'SHA-1', colour: '#1f77b4', generate: sha1Digest },
  { id: 'identifiers', label: 'CamelCase identifiers', short: 'identifiers', colour: '#2ca02c', generate: (rng) => identifierWindow(rng, 40) },
  { id: 'paths', label: 'file-path windows', short: 'paths', colour: '#ff7f0e', generate: (rng) => pathWindow(rng, 40) },
  { id: 'base64text', label: 'base64 of English text', short: 'base64 text', colour: '#9467bd', generate: (rng) => base64TextWindow(rng, 40) },
];

export interface Sampled {
  population: Population;
  /** Entropies in bits per character, ascending. */
  entropies: Float64Array;
  /** Entropies of the strings that pass the detector's shape checks, ascending. */
  keyShaped: Float64Array;
  /** A few generated strings, to show in the report what the population looks like. */
  examples: string[];
}

export function samplePopulation(population: Population, count: number, seed: number): Sampled {
  const rng = stream(seed, population.id);
  const values = new Float64Array(count);
  const shaped: number[] = [];
  const examples: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = population.generate(rng);
    if (text.length !== 40) throw new Error(`${population.id} generated ${text.length} characters: ${text}`);
    if (i < 3) examples.push(text);
    values[i] = shannonEntropy(text);
    if (isKeyShaped(text)) shaped.push(values[i]);
  }
  return { population, entropies: sorted(values), keyShaped: sorted(shaped), examples };
}
