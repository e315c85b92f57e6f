// SHA-1 digests, the classic false positive of a 40-character secret pattern: real SHA-1 (node's
// crypto) of random inputs, as git commit ids, checksums and cache keys appear in logs. Forty
// hex characters can never exceed 3.971 bits per character.

import { createHash } from 'node:crypto';
import { int, randomBytes, type Rng } from './random';

/** The 40-hex SHA-1 digest of 1 to 64 random bytes. */
export function sha1Digest(rng: Rng): string {
  return createHash('sha1').update(randomBytes(rng, int(rng, 1, 64))).digest('hex');
}
