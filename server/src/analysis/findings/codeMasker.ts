// Masks the code that reports show (code frames, trace lines): every span a detector accepts on
// a shown line, comments included; every hardcoded credential the analysis found, also the
// lines of a multi-line one; and the body of a PEM private key, whose base64 lines no detector
// accepts on their own. Lengths are kept where masks allow it, so carets still point right.
//
// Linear in what is shown: detectors run only on lines a report asks for, known secrets are
// found through a map of their first four characters and then their lengths (one pass per line,
// a set lookup per length: 24,000 dapi tokens share a prefix, but only one length), and PEM
// bodies are found by one scan of the text for BEGIN markers.

import type { DetectorSet } from '../detectors/detectorSet';
import { maskSecret } from './mask';

/** Masks at most this many body lines after a BEGIN marker (a 16384-bit key has ~200). */
const PEM_MAX_BODY_LINES = 256;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const BASE64_RUN = /[A-Za-z0-9+/=]{8,}/g;
/** A line of a key's body: a long base64 run (with quotes, commas or `\n` around it). */
const BODY_LINE = /[A-Za-z0-9+/=]{16,}/;
const PREFIX = 4;

/** The shown lines of one text (a cell, a file), masked on first use. */
export type ShownLines = (index: number) => string | undefined;

export class CodeMasker {
  /** Known secrets' pieces (lines of multi-line ones) by their first four characters, then length (longest first). */
  private readonly byPrefix = new Map<string, Map<number, Set<string>>>();

  constructor(
    private readonly detectors: DetectorSet,
    secrets: readonly string[],
  ) {
    for (const secret of secrets) {
      for (const raw of secret.split(/\r?\n|\\n/)) {
        const piece = raw.trim();
        if (piece.length < PREFIX || /^-----(BEGIN|END) /.test(piece)) continue;
        const key = piece.slice(0, PREFIX);
        let byLength = this.byPrefix.get(key);
        if (!byLength) this.byPrefix.set(key, (byLength = new Map()));
        let pieces = byLength.get(piece.length);
        if (!pieces) byLength.set(piece.length, (pieces = new Set()));
        pieces.add(piece);
      }
    }
    // Longest first, so that a secret that extends another is masked whole.
    for (const [key, byLength] of this.byPrefix) this.byPrefix.set(key, new Map([...byLength].sort((a, b) => b[0] - a[0])));
  }

  /** The lines of `text` as a report may show them. */
  lines(lines: readonly string[]): ShownLines {
    const pemBody = pemBodyLines(lines);
    const cache = new Map<number, string>();
    return (index) => {
      const line = lines[index];
      if (line === undefined) return undefined;
      let shown = cache.get(index);
      if (shown === undefined) {
        shown = pemBody.has(index) ? maskRuns(line) : this.maskLine(line);
        cache.set(index, shown);
      }
      return shown;
    };
  }

  /** One line with every detector match and known secret masked. */
  maskLine(line: string): string {
    const spans: [number, number][] = [];
    for (const m of this.detectors.scan(line)) spans.push([m.start, m.end]);
    if (this.byPrefix.size > 0) {
      for (let i = 0; i + PREFIX <= line.length; i++) {
        const byLength = this.byPrefix.get(line.slice(i, i + PREFIX));
        if (!byLength) continue;
        for (const [length, pieces] of byLength) {
          if (pieces.has(line.slice(i, i + length))) {
            spans.push([i, i + length]);
            i += length - 1;
            break;
          }
        }
      }
    }
    const begin = PEM_BEGIN.exec(line);
    if (begin) spans.push([begin.index + begin[0].length, line.length]);
    return maskSpans(line, spans);
  }
}

/** Replaces each span (merged where they overlap) by its mask. */
function maskSpans(line: string, spans: [number, number][]): string {
  if (spans.length === 0) return line;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  for (const [start, end] of spans) {
    if (end <= done) continue;
    const from = Math.max(start, done);
    out += line.slice(done, from);
    const secret = line.slice(from, end);
    // The text after a BEGIN marker on its line may hold a whole escaped key: mask each run.
    out += secret.length > 64 ? maskRuns(secret) : maskSecret(secret);
    done = end;
  }
  return out + line.slice(done);
}

/** Every base64 run of a key body line masked. */
function maskRuns(line: string): string {
  return line.replace(BASE64_RUN, (run) => '*'.repeat(run.length));
}

/** Indices of the lines that hold a PEM key's body: after a BEGIN, up to END or a non-body line. */
function pemBodyLines(lines: readonly string[]): Set<number> {
  const body = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes('PRIVATE KEY') || !PEM_BEGIN.test(lines[i])) continue;
    for (let j = i + 1; j < lines.length && j <= i + PEM_MAX_BODY_LINES; j++) {
      const line = lines[j];
      if (line.includes('-----END')) {
        body.add(j);
        i = j;
        break;
      }
      if (!BODY_LINE.test(line)) {
        i = j - 1;
        break;
      }
      body.add(j);
    }
  }
  return body;
}
