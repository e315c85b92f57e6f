// PEM private-key blocks as redaction sees them: after a `-----BEGIN ... PRIVATE KEY-----`
// header, how far the key body goes and whether it ends in the matching END marker. A body is
// base64 runs, optionally `Proc-Type:`/`DEK-Info:` headers, whitespace and `\n` escapes (a key
// pasted into JSON), across lines or within one; a line of a notebook's source list or of a
// quoted string may also wrap it in quotes, commas and `+`.
//
// Why a header alone is not enough: a log that quotes `-----BEGIN PRIVATE KEY-----` in a message
// (or a BEGIN followed by an END of another key type) must not turn the rest of the log into
// placeholders. So a block is only taken as a key while what follows looks like one: its first
// base64 run is at least MIN_FIRST_RUN characters long (a key's lines are 64 or 70), unless the
// matching END closes it on the same line; anything else ends it, and so do MAX_BLOCK_LINES lines
// or MAX_BLOCK_BYTES bytes without an END. No lookahead past the current line is needed: the
// body lines a block has accepted are redacted even if its END never comes, because a key cut
// off (a truncated log line, `head` of a key file) is still key material.

export const PEM_PLACEHOLDER = 'REDACTED_PRIVATE_KEY';

/** A header; group 1 is the key type with its trailing space (`RSA `, `OPENSSH `, or empty). */
export const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/g;
/** An END marker; a missing closing `-----` (a cut-off line) still ends the block. */
const PEM_END = /-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?(?:-----)?/y;

/** The longest key there is (RSA 16384, PKCS#8, 64-character lines) is about 200 lines, 13 KB. */
export const MAX_BLOCK_LINES = 256;
export const MAX_BLOCK_BYTES = 32 * 1024;
/** A key's first body line; shorter words (`Done`, `at`, a date) after a lone header are not one. */
const MIN_FIRST_RUN = 16;

const BASE64_RUN = /[A-Za-z0-9+/=]+/y;
const GAP = /(?:[ \t\f\v\r]|\\+[nrt])+/y; // whitespace, and line breaks escaped once or twice
const FIELD = /(?:Proc-Type|DEK-Info|Version|Comment):[^\\"'\r\n]*?(?=\\|["'\r\n]|-----|$)/y;
/** What may come before a body line of a quoted or listed key: indentation and a quote. */
const LINE_PREFIX = /[ \t"'`]*/y;
/** What may end a body line that goes on: a closing quote, a comma, `+`, a bracket. */
const LINE_SUFFIX = /[\s"'`,+\\;)\]}]*$/y;

/** An open block: the END it waits for, and what it has taken so far. */
export interface PemBlock {
  readonly type: string;
  /** A body run long enough to be a key's has been seen. */
  confirmed: boolean;
  lines: number;
  bytes: number;
}

export function newBlock(type: string): PemBlock {
  return { type, confirmed: false, lines: 0, bytes: 0 };
}

/**
 * How a scan of a body ended:
 * - `end`: at the matching END marker; `end` is just after it.
 * - `stop`: at something that is not key material; ordinary text resumes at `end`.
 * - `open`: at the line's end, inside the body: the block goes on on the next line.
 * [start, end) is the key material to replace (nothing when start === end).
 */
export interface PemScan {
  readonly kind: 'end' | 'stop' | 'open';
  readonly start: number;
  readonly end: number;
}

/**
 * Scans the body of `block` in `text` from `pos`. `lineStart`: `pos` starts a line (quotes and
 * indentation may come first). `lineEnd`: `text` ends where the line ends (else it is a window of
 * a longer line, and the body cannot be `open` at its end). Work is bounded by MAX_BLOCK_BYTES.
 */
export function scanBody(text: string, pos: number, block: PemBlock, lineStart: boolean, lineEnd: boolean): PemScan {
  if (lineStart && block.lines >= MAX_BLOCK_LINES) return { kind: 'stop', start: pos, end: pos };
  const limit = Math.min(text.length, pos + Math.max(0, MAX_BLOCK_BYTES - block.bytes));
  let p = pos;
  if (lineStart) p = skip(LINE_PREFIX, text, p);
  let first = -1; // the key material accepted so far: [first, last)
  let last = -1;
  let failAt = -1; // a short first run: not a key, unless the matching END follows on this line
  while (p < limit) {
    if (text.charCodeAt(p) === 45 /* - */) {
      PEM_END.lastIndex = p;
      const m = PEM_END.exec(text);
      if (m && m[1] === block.type) return { kind: 'end', start: first < 0 ? p : first, end: PEM_END.lastIndex };
      break;
    }
    let next = skip(FIELD, text, p);
    if (next === p) {
      next = skip(BASE64_RUN, text, p);
      if (next > p && failAt < 0 && !block.confirmed) {
        if (next - p >= MIN_FIRST_RUN) block.confirmed = true;
        else failAt = p;
      }
      if (next === p) {
        next = skip(GAP, text, p);
        if (next === p) break;
        p = next;
        continue;
      }
    }
    if (failAt < 0) {
      if (first < 0) first = p;
      last = next;
    }
    p = next;
  }
  // A line of the block that does not end as a body line ("INFO loader: started" after a key
  // cut off) is not key material at all; on the header's line, what came before the stop is.
  const stop: PemScan = { kind: 'stop', start: last < 0 || lineStart ? pos : first, end: last < 0 || lineStart ? pos : last };
  if (failAt >= 0) return stop;
  if (p >= limit && limit < text.length) return stop; // too long for a key
  if (!lineEnd || (p < text.length && skip(LINE_SUFFIX, text, p) !== text.length)) return stop;
  block.lines++;
  block.bytes += text.length - pos;
  return last < 0 ? { kind: 'open', start: pos, end: pos } : { kind: 'open', start: first, end: last };
}

/** Where a sticky regex's match at `pos` ends (`pos` when it does not match there). */
function skip(re: RegExp, text: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(text) ? re.lastIndex : pos;
}
