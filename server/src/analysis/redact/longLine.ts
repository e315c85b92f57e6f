// A line too long to hold whole (a minified JSON dump, a base64 blob, a log line of megabytes),
// redacted in windows so that memory stays bounded whatever its length.
//
// Where a window ends depends only on the line's content, never on how the input was read:
// window k covers the first `segment + LOOKAHEAD` characters after what is written, the output
// stops at `segment` characters (or just past a credential or PEM block across that point), and
// the next window starts there with up to CONTEXT characters before it kept as context. So the
// output is the same whether the line came in one read or byte by byte, from a file or a pipe.
//
// Why this finds a credential wherever the window ends: a detector's decision depends on a
// bounded neighbourhood (the credential word up to 60 characters before an AWS secret key, a key
// id 200 characters around it, `scheme://user:pass@` under 420 characters, a PEM body under
// MAX_BLOCK_BYTES), so every credential that starts before the stop point is judged with
// LOOKAHEAD characters after it and CONTEXT before it, and every one after it is left to the next
// window, which sees it whole.

import { MAX_BLOCK_BYTES } from './pemBlock';
import type { Redactor } from './redactor';

/** How much of a long line each window writes. */
export const SEGMENT = 1 << 20;
/** How far past the stop point a window looks; more than any PEM body is scanned. */
export const LOOKAHEAD = Math.max(64 << 10, MAX_BLOCK_BYTES * 2);
/** How much written text a window keeps before its start for the detectors to look back at. */
export const CONTEXT = 4 << 10;

/** Context starts after a character no credential holds, so a detector never starts mid-token. */
const SEPARATOR = /[\s"'<>,;(){}[\]]/;

export class LongLine {
  /** Context, then the part of the line not written yet (no '\n'). */
  private buf: string;
  /** buf[0, from) is context. */
  private from = 0;
  private lineStart = true;

  constructor(
    private readonly redactor: Redactor,
    text: string,
    private readonly segment = SEGMENT,
  ) {
    this.buf = text;
  }

  /** Is a line of this many characters (without its '\n') redacted in windows? */
  static isLong(length: number, segment = SEGMENT): boolean {
    return length > segment + LOOKAHEAD;
  }

  append(text: string): void {
    this.buf += text;
  }

  /** The redacted text of every window the line now holds in full. */
  windows(): string {
    let out = '';
    while (LongLine.isLong(this.buf.length - this.from, this.segment)) {
      const text = this.buf.slice(0, this.from + this.segment + LOOKAHEAD);
      const r = this.redactor.redactSpan(text, this.from, this.from + this.segment, this.lineStart, false);
      this.lineStart = false;
      out += r.out;
      const keep = Math.max(r.context, contextStart(text, r.end));
      this.buf = this.buf.slice(keep);
      this.from = r.end - keep;
    }
    return out;
  }

  /** The line has ended with `eol` ('\n', or '' at the end of the input): the rest of it. */
  finish(eol: '\n' | ''): string {
    let out = this.windows();
    let body = this.buf;
    let end: string = eol;
    if (eol === '\n' && body.endsWith('\r') && body.length > this.from) {
      body = body.slice(0, -1);
      end = '\r\n';
    }
    out += this.redactor.redactSpan(body, this.from, body.length, this.lineStart, true).out + end;
    this.buf = '';
    this.from = 0;
    return out;
  }
}

/** Where to start the context kept for the text after `end`: just after a separator if it can. */
function contextStart(text: string, end: number): number {
  const from = Math.max(0, end - CONTEXT);
  const at = text.slice(from, end).search(SEPARATOR);
  return at < 0 ? from : from + at + 1;
}
