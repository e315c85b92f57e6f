// docs/entropy-calibration.md: what was generated and how to rerun it, the tables, the chosen
// 40-character threshold and the proposed length-dependent floor with their justification,
// and the histogram (docs/entropy-histogram.svg). Numbers in the prose come from the run.

import { entropyCeiling, probabilityBelow } from './exactTail';
import type { LengthRow } from './perLength';
import type { Sampled } from './populations';
import { summarise } from './quantiles';
import type { SeparationRow } from './separation';
import { share } from './tables';
import { exact, type ExactTable, type FloorFormula, type FloorRow } from './threshold';

export interface Study {
  seed: number;
  samples: readonly Sampled[];
  lengths: readonly LengthRow[];
  floors: readonly FloorRow[];
  separation: readonly SeparationRow[];
  threshold: number;
  hexCeiling: number;
  formula: FloorFormula;
  exactTable: ExactTable;
  tables: { distribution: string; lengths: string; floors: string; separation: string };
  seconds: number;
}

/** "1 in 1.8 million", "1 in 20,000". */
function oneIn(p: number): string {
  const n = 1 / p;
  if (n >= 1e6) return `1 in ${(n / 1e6).toPrecision(2)} million`;
  const rounded = Number(n.toPrecision(2));
  return `1 in ${rounded.toLocaleString('en-US')}`;
}

const pct = (p: number) => `${(p * 100).toFixed(p < 0.01 ? 2 : 0)}%`;
const f2 = (x: number) => x.toFixed(2);

export function calibrationReport(s: Study): string {
  const pop = (id: string) => s.samples.find((x) => x.population.id === id)!;
  const stats = (id: string) => summarise(pop(id).entropies);
  const row = (label: string) => s.separation.find((r) => r.label === label)!;
  const chosen = row('(chosen)');
  const current = row('(previous)');
  const detectSecrets = row('(detect-secrets)');
  const floorAt = (n: number) => s.floors.find((r) => r.length === n)!;
  const lengthAt = (n: number) => s.lengths.find((r) => r.length === n)!;
  const keys = stats('keys');
  const sha1 = stats('sha1');
  const examples = (id: string) => pop(id).examples.slice(0, 2).map((e) => `\`${e}\``).join(', ');
  const { a, b } = s.formula;
  const worstMiss = Math.max(...s.floors.filter((r) => r.miss.base64.exact).flatMap((r) => [r.miss.base64.value, r.miss.alphanumeric.value]));
  const belowHexCeiling = (n: number) => probabilityBelow(exact(s.exactTable, n, 64)!, entropyCeiling(n, 16));

  return `# Entropy calibration of the AWS secret access key detector

An AWS secret access key has no prefix: it is 40 characters of base64. The \`aws-secret-key\`
detector (\`server/src/analysis/detectors/builtinKinds.ts\`) therefore accepts a 40-character
base64 match only when its Shannon entropy clears a floor and a key id, a credential word or a
credential config key is nearby (see [rules.md](rules.md)). This page measures where that floor
should be, following Databricks' log-redaction study: random secrets and SHA-1 digests have
entropy distributions with a clear gap between them, and the threshold goes in the gap. It
adds the other strings of 40 base64-alphabet characters that fill notebook outputs and Spark
logs, and the question of other lengths.

Produced by:

\`\`\`sh
node bench/run.mjs calibrate
\`\`\`

(bundles \`bench/calibrate.ts\` and the modules in \`bench/calibration/\` with esbuild and runs it:
${s.seconds.toFixed(0)} s on 2 cores, seed ${s.seed}; the run prints the tables below and rewrites this page and
[entropy-histogram.svg](entropy-histogram.svg). Entropies are computed with the detector's own
\`shannonEntropy\` from \`server/src/analysis/detectors/entropy.ts\`.)

## What was generated

100,000 strings of 40 characters in each of five populations (seeded, so every run measures
the same strings):

- **Random base64 (AWS-secret-like)**: 40 characters drawn uniformly from \`A-Za-z0-9+/\`, as AWS
  generates secret keys. ${examples('keys')}.
- **SHA-1 hex digests**: real SHA-1 (\`node:crypto\`) of 1 to 64 random bytes: git commit ids,
  checksums, cache keys. ${examples('sha1')}.
- **CamelCase identifiers**: 40-character windows of Java, Scala and Python class and method
  names built from an embedded list of common English words and programming words: long fused
  class names, dotted \`com.acme.orders.OrderHandler.processBatch\` names, JVM internal names with
  slashes (all inside the base64 alphabet) and Python \`Class.snake_method\` names.
  ${examples('identifiers')}.
- **File-path windows**: 40-character windows of DBFS, Workspace, S3, home-directory and Spark
  local-disk paths (partition directories, part files with their UUIDs, shuffle files), with
  their punctuation. ${examples('paths')}.
- **Base64 of English text**: 40-character windows of the base64 of sentences of common English
  words drawn with Zipf weights. ${examples('base64text')}.

And, to see how the threshold depends on length and alphabet, 10,000 random strings of each of
16, 20, 24, 32, 40, 48, 64 and 88 characters over three alphabets: base64, alphanumeric
(\`A-Za-z0-9\`, no \`+/\`) and hex. Sampling cannot see the one-in-a-million tail a recall-oriented
threshold lives in, so the study also computes the **exact** entropy distribution of random
strings up to 64 characters: the entropy of a string depends only on how often each symbol
occurs, so enumerating the integer partitions of n (37,338 for n = 40) with their
multinomial probabilities gives P(entropy < t) exactly (\`bench/calibration/exactTail.ts\`; it
agrees with the samples wherever they can be compared).

## Entropy of 40-character strings

Bits per character, 100,000 strings each:

${s.tables.distribution}

![Overlaid histograms of the entropy of the five populations of 40-character strings, with the 40-hex maximum and the chosen threshold](entropy-histogram.svg)

Random keys sit at ${f2(keys.p50)} bits per character (p1 ${f2(keys.p1)}); SHA-1 digests at
${f2(sha1.p50)} and never above ${s.hexCeiling.toFixed(3)}: 40 characters of a 16-symbol alphabet reach at
most 8 symbols 3 times and 8 twice, 3.971 bits, against log2(40) = 5.32 for 40 distinct
characters. The gap between the two is wide. The other three populations fill it and overlap
the keys. (The comb shape of the random-key histogram is real: the entropy of a 40-character
string takes only the values its symbol counts allow, and near 4.8 bits few of them fall in
each 0.02-bit bin.)

## Choosing the 40-character threshold

Recall first: a missed key is a leaked credential, a false positive is a warning a reviewer
dismisses. The threshold is the highest multiple of 0.05 bits that misses at most one random
key in a million (exact), provided it is above the 40-hex maximum:

${s.tables.separation}

"Passing" is the share of the population at or above the threshold; in parentheses the share
that also passes the detector's other shape checks (base64 alphabet only, not a hex digest,
not a path, upper case, lower case and a digit present: \`bench/calibration/keyShape.ts\`).

**Chosen: ${f2(s.threshold)} bits per character at 40 characters.** It misses ${share(chosen.exactMiss)} of random keys
(${oneIn(chosen.exactMiss)}, none of the 100,000 sampled) and lets no SHA-1 digest through: it is
${f2(s.threshold - s.hexCeiling)} bits above the most any 40-hex string can reach. The floor nbguard used before this study,
${f2(current.threshold)} at 40 characters, missed ${share(current.exactMiss)} (${oneIn(current.exactMiss)}); detect-secrets' fixed 4.5
misses ${share(detectSecrets.exactMiss)} of random 40-character keys.

What the threshold does **not** separate:

- **Identifiers**: ${pct(chosen.pass.identifiers.all)} of the identifier windows pass it, but only ${share(chosen.pass.identifiers.shaped)} also pass the
  shape checks: a run of words has no digit, so the character-class check, not entropy, removes them.
- **Paths**: ${pct(chosen.pass.paths.all)} pass the threshold and none is key-shaped: path punctuation (\`.\`, \`-\`, \`_\`, \`=\`)
  breaks the 40-character match and the path check catches slash-separated names.
- **Base64 of English text**: ${pct(chosen.pass.base64text.all)} pass, ${pct(chosen.pass.base64text.shaped)} also pass every shape check. Nothing
  in the string tells an encoded sentence from a key at 40 characters (even at 4.5 bits a
  third would pass), so only the context can: an AWS key id nearby, a credential word or
  credential config key before it (\`secret\`, \`aws_secret_access_key\`, \`fs.s3a.secret.key\`), an
  \`s3a://ID:SECRET@bucket\` URI, a credential-named variable. That is why the detector requires
  context as well as entropy, and why raising the threshold to fight these would cost real
  keys and still not remove them.

## Length and alphabet

Random strings of other lengths (10,000 each; "hex max" is the highest sampled, "hex ceiling"
the highest possible for that length):

${s.tables.lengths}

A string of n characters cannot exceed log2(n) bits per character, and a random one falls
further below that the longer it is relative to its alphabet (repeated characters become
likely): random base64 at 16 characters has a median of ${f2(lengthAt(16).base64.p50)}, at 88 of ${f2(lengthAt(88).base64.p50)}. A single
threshold is therefore too strict for short keys and too lax for long ones. The alphabet
matters little between base64 and alphanumeric (at most a few hundredths of a bit) and a lot
for hex, whose ceiling is 4 bits whatever the length: it is 3.971 at 40 characters only
because 40 is not a multiple of 16, and exactly 4.000 at 32, 48 and 64. Below 40 characters
entropy cannot keep hex out without losing keys: a random base64 string falls below the hex
ceiling of its length with probability ${[16, 20, 24].map((n) => share(belowHexCeiling(n))).join(', ')} at 16, 20, 24 characters and
still ${share(belowHexCeiling(32))} at 32 (the length of an MD5 digest). There the hex-digest check
(\`isHexDigest\`) must do it.

## Proposed length-dependent floor

\`\`\`
${s.formula.text}
\`\`\`

\`\`\`ts
/** Entropy floor for a random-looking credential of \`length\` characters over \`alphabetSize\` symbols. */
export function entropyFloor(length: number, alphabetSize = 64): number {
  return Math.log2(length) - ${a.toFixed(2)} - ${b.toFixed(2)} * (length / alphabetSize) ** 2;
}
\`\`\`

log2(n) is the ceiling of an n-character string; the second term grows with the repeated
characters a random string of n draws from k symbols is bound to have. \`a\` = ${a.toFixed(2)} makes the
formula give the chosen ${f2(s.threshold)} at 40 base64 characters, and \`b\` = ${b.toFixed(2)} is the value (in steps of 0.05)
that keeps the exact miss rate closest to one in a million at every length from 16 to 64,
for both alphabets (worst: ${share(worstMiss)}):

${s.tables.floors}

"keys missed" is exact up to 64 characters and sampled at 88; "vs hex ceiling" and "vs base64
p0.1" are the floor minus the hex ceiling and minus the sampled 0.1th percentile of random
base64. The floor stays below the random p0.1 at every length (by ${f2(-Math.max(...s.floors.map((r) => r.floor.base64 - lengthAt(r.length).base64.p01)))} bits or more) and
is above the hex ceiling from 40 characters on (${f2(floorAt(40).floor.base64)} > ${s.hexCeiling.toFixed(3)}, ${f2(floorAt(64).floor.base64)} > 4.000 at 64, the length
of a SHA-256 digest).

nbguard's detectors now use this floor (\`entropyFloor(length, alphabetSize)\` in
\`server/src/analysis/detectors/builtinKinds.ts\`). Compared with the floor used before this
study, max(4.0, min(4.25, log2(length) - 1.1)),
which the detector only evaluated at 40: at 16 and 20 characters its 4.0 would miss
${share(floorAt(16).currentMiss.value)} and ${share(floorAt(20).currentMiss.value)} of random keys, at 40 it missed ${oneIn(floorAt(40).currentMiss.value)}, and from 48
characters its 4.25 cap sits far below what random strings reach (${f2(floorAt(64).floor.base64)} proposed at 64,
${f2(floorAt(88).floor.base64)} at 88), letting more non-random text through than needed.
`;
}
