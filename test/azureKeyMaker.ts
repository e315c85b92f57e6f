// Makes Azure identifiable keys for the tests: random bytes with a kind's signature written in
// place and the Marvin32 checksum of what precedes it appended (the format azureKeyChecksum.ts
// checks). The keys are synthetic and grant nothing.

import { randomBytes } from 'node:crypto';
import { AZURE_KEY_KINDS, marvin32 } from '../server/src/analysis/detectors/azureKeyChecksum';

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function setBits(bytes: Uint8Array, from: number, width: number, value: number): void {
  for (let i = 0; i < width; i++) {
    const pos = from + i;
    const mask = 0x80 >> (pos & 7);
    if ((value >>> (width - 1 - i)) & 1) bytes[pos >> 3] |= mask;
    else bytes[pos >> 3] &= ~mask & 0xff;
  }
}

/** A padded key of `kind` (an entry of AZURE_KEY_KINDS) checksummed with its `seed`. */
export function makeAzureKey(kind: (typeof AZURE_KEY_KINDS)[number], seed = kind.seeds[0]): string {
  const alphabet = kind.urlSafe ? URL_SAFE : STANDARD;
  const n = kind.bytes;
  const bytes = new Uint8Array(randomBytes(n));
  // The signature's 24 bits end `spill` (zero) bits before the checksum, aligned to characters.
  const spill = ((n - 7) * 8) % 6;
  const signature = [...kind.signature].reduce((v, ch) => (v << 6) | alphabet.indexOf(ch), 0);
  setBits(bytes, (n - 4) * 8 - spill - 24, 24, signature);
  setBits(bytes, (n - 4) * 8 - spill, spill, 0);
  const sum = marvin32(bytes.subarray(0, n - 4), seed);
  bytes.set([sum & 0xff, (sum >>> 8) & 0xff, (sum >>> 16) & 0xff, (sum >>> 24) & 0xff], n - 4);
  let text = Buffer.from(bytes).toString('base64');
  if (kind.urlSafe) text = text.replace(/\+/g, '-').replace(/\//g, '_');
  return text;
}
