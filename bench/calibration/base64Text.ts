// Base64 of English text, as embedded payloads, data URIs and encoded messages appear in
// outputs: 40-character windows of the base64 of sentences made of common English words with
// Zipf weights (words.ts), capitalised and punctuated. It is all in the base64 alphabet and
// looks random, but the skewed letter frequencies of English show through the encoding.

import { int, window, type Rng } from './random';
import { capitalise, COMMON_WORDS, zipfPicker } from './words';

const common = zipfPicker(COMMON_WORDS);

function sentence(rng: Rng): string {
  const words: string[] = [];
  for (let n = int(rng, 5, 18); n > 0; n--) words.push(common(rng));
  if (words.length > 8 && rng() < 0.4) words[int(rng, 2, words.length - 3)] += ',';
  return capitalise(words.join(' ')) + (rng() < 0.9 ? '.' : '?');
}

/** A `length`-character window of the base64 (without padding) of a few English sentences. */
export function base64TextWindow(rng: Rng, length = 40): string {
  let text = sentence(rng);
  while (text.length * 4 < (length + 4) * 3) text += ` ${sentence(rng)}`;
  return window(rng, Buffer.from(text, 'utf8').toString('base64').replace(/=+$/, ''), length);
}
