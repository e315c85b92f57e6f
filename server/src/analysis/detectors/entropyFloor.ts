// The calibrated entropy floor of a random credential, by length and alphabet
// (docs/entropy-calibration.md): shared by the AWS secret-key check and every detector whose
// rule says `minEntropy: auto`.

/**
 * The entropy floor for a random credential of `length` characters drawn from `alphabetSize`
 * symbols: log2(length) is the most an n-character string can reach, and the second term
 * grows with the repeats a random string is bound to have. Calibrated on exact distributions
 * of random strings (docs/entropy-calibration.md): 4.05 bits at 40 base64 characters, missing
 * about one random key in 1.8 million and above the 3.971 that any 40-character hex string
 * (a SHA-1 digest) can reach at most.
 */
export function entropyFloor(length: number, alphabetSize = 64): number {
  return Math.log2(length) - 1.19 - 0.2 * (length / alphabetSize) ** 2;
}
