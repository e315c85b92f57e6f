// CamelCase identifiers as they appear in stack traces and logs: 40-character windows of
// Java/Scala/Python class and method names built from English words (words.ts). Four shapes:
// one long fused class name (AbstractOrderStreamFactoryCachedReader), a dotted Java method
// (com.acme.orders.OrderEventHandler.processBatch), a JVM internal name with slashes
// (org/acme/spark/sql/PartitionFileReader, all inside the base64 alphabet) and a Python method
// (OrderEventHandlerTest.test_load_orders).

import { int, pick, window, type Rng } from './random';
import { capitalise, CODE_WORDS, CONTENT_WORDS } from './words';

/** A name word: mostly programming vocabulary, sometimes another common English word. */
function word(rng: Rng): string {
  return rng() < 0.65 ? pick(rng, CODE_WORDS) : pick(rng, CONTENT_WORDS);
}

function className(rng: Rng, words: number): string {
  let name = '';
  for (let i = 0; i < words; i++) name += capitalise(word(rng));
  return rng() < 0.1 ? name + pick(rng, ['2', 'V2', 'Impl', 'Test', 'Spec', 'Suite']) : name;
}

function methodName(rng: Rng, words: number): string {
  let name = word(rng);
  for (let i = 1; i < words; i++) name += capitalise(word(rng));
  return name;
}

function snakeName(rng: Rng, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(word(rng));
  return parts.join('_');
}

function packagePath(rng: Rng, separator: string): string {
  const parts = [pick(rng, ['com', 'org', 'io', 'net']), pick(rng, ['acme', 'apache', 'contoso', 'databricks', 'example'])];
  for (let i = int(rng, 1, 3); i > 0; i--) parts.push(word(rng));
  return parts.join(separator);
}

function identifierText(rng: Rng): string {
  const shape = rng();
  if (shape < 0.4) return className(rng, int(rng, 7, 11));
  if (shape < 0.7) return `${packagePath(rng, '.')}.${className(rng, int(rng, 2, 5))}.${methodName(rng, int(rng, 1, 4))}`;
  if (shape < 0.9) return `${packagePath(rng, '/')}/${className(rng, int(rng, 2, 6))}`;
  return `${className(rng, int(rng, 2, 5))}.${snakeName(rng, int(rng, 2, 5))}`;
}

/** A `length`-character window of a generated identifier (grown until it is long enough). */
export function identifierWindow(rng: Rng, length = 40): string {
  let text = identifierText(rng);
  while (text.length < length) text += capitalise(word(rng));
  return window(rng, text, length);
}
