// A Transform stream that redacts what flows through it: bytes in, bytes out. Complete lines go
// to the Redactor in blocks; a line longer than a window (longLine.ts) is redacted in windows
// that depend only on its content. So memory stays bounded (about two windows plus a read) and
// the output never depends on where the input was cut into chunks. What does not change is not
// rebuilt: the Redactor names the stretches it leaves alone by offset (RedactSink), and those
// bytes are copied from the input as they are, never decoded and encoded again; only changed
// lines become new bytes. (Copied, not shared: a writer may reuse its buffer once its write is
// done, and the output must be the bytes that were checked.)
//
// The stream never fails: if redacting a line throws (a bug, an engine limit), everything before
// that line has been pushed, nothing after it is, and `failure` says where it stopped. An error
// passed to a stream callback would make a pipeline drop output it had not written yet.

import { Transform, type TransformCallback } from 'node:stream';
import type { DetectorSet } from '../analysis/detectors/detectorSet';
import { LongLine, LOOKAHEAD, SEGMENT } from '../analysis/redact/longLine';
import { RedactError, Redactor, type RedactSink } from '../analysis/redact/redactor';

export interface RedactFailure {
  /** Byte offset in the input of the line that could not be redacted. */
  readonly offset: number;
  /** What went wrong; never quotes the input. */
  readonly message: string;
}

export interface RedactStreamOptions {
  /** How much of a long line each window writes (tests use small windows). */
  readonly segment?: number;
}

const NO_BYTES: Buffer = Buffer.alloc(0);
const NEWLINE = 0x0a;

/** The input bytes of a block of complete lines: the carried start of its first line, then part of a chunk. */
class InputBytes {
  constructor(
    readonly head: Buffer,
    readonly tail: Buffer,
  ) {}

  /** Hands bytes [from, to) to `push`, as views (one or two) of the input. */
  views(from: number, to: number, push: (bytes: Buffer) => void): void {
    const split = this.head.length;
    if (from < split) push(this.head.subarray(from, Math.min(to, split)));
    if (to > split) push(this.tail.subarray(Math.max(from, split) - split, to - split));
  }
}

export class RedactStream extends Transform {
  private readonly redactor: Redactor;
  private readonly segment: number;
  /** The start of the last line, still without its '\n' (never a long line), and its bytes. */
  private carry = '';
  private carryBytes = NO_BYTES;
  /** The line being read when it is a long one. */
  private long: LongLine | null = null;
  /** Input bytes before this chunk. */
  private bytesIn = 0;
  /** Input offset of `carry` (or of the long line). */
  private lineAt = 0;
  /** Input offset of the line being redacted, for `failure`. */
  private at = 0;
  /** Set when a line could not be redacted: the output stops before it. */
  failure: RedactFailure | null = null;

  constructor(detectors: DetectorSet, options: RedactStreamOptions = {}) {
    super();
    this.redactor = new Redactor(detectors);
    this.segment = options.segment ?? SEGMENT;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failure === null) this.guard(() => this.redactChunk(chunk));
    this.bytesIn += chunk.length;
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.failure === null) {
      this.guard(() => {
        this.at = this.lineAt;
        if (this.long !== null) this.send(this.long.finish(''));
        else if (this.carry !== '') this.lines(this.carry, new InputBytes(this.carryBytes, NO_BYTES), this.lineAt);
      });
    }
    this.long = null;
    this.carry = '';
    this.carryBytes = NO_BYTES;
    done();
  }

  private redactChunk(chunk: Buffer): void {
    // Line ends are found in the bytes, and each block of lines is decoded on its own, so the
    // detectors' scans read flat strings (a slice of one big string costs them an indirection
    // per character, a carry joined to it a copy of the whole chunk).
    const text = (from: number, to = chunk.length) => chunk.toString('latin1', from, to);
    let from = 0;
    if (this.long !== null) {
      this.at = this.lineAt;
      const nl = chunk.indexOf(NEWLINE);
      this.long.append(text(0, nl < 0 ? chunk.length : nl));
      if (nl < 0) return this.send(this.long.windows());
      this.send(this.long.finish('\n'));
      this.long = null;
      from = nl + 1;
      this.lineAt = this.bytesIn + from;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) {
      if (this.carry !== '') {
        // The carried start of a line, joined to its end alone.
        const nl = chunk.indexOf(NEWLINE, from);
        this.lines(this.carry + text(from, nl + 1), new InputBytes(this.carryBytes, chunk.subarray(from, nl + 1)), this.lineAt);
        from = nl + 1;
        this.lineAt = this.bytesIn + from;
      }
      if (last >= from) this.lines(text(from, last + 1), new InputBytes(chunk.subarray(from, last + 1), NO_BYTES), this.lineAt);
      this.carry = text(last + 1);
      this.carryBytes = Buffer.from(chunk.subarray(last + 1));
      this.lineAt = this.bytesIn + last + 1;
    } else {
      // No line ends in this chunk: the carry grows (as a rope, not copied at every chunk).
      this.carry += text(from);
      this.carryBytes = Buffer.concat([this.carryBytes, chunk.subarray(from)]);
    }
    if (LongLine.isLong(this.carry.length, this.segment)) {
      this.long = new LongLine(this.redactor, this.carry, this.segment);
      this.carry = '';
      this.carryBytes = NO_BYTES;
      this.at = this.lineAt;
      this.send(this.long.windows());
    }
  }

  /**
   * Complete lines (at the end of the input the last may lack its '\n'), `bytes` the same as
   * read, `base` their input offset.
   */
  private lines(text: string, bytes: InputBytes, base: number): void {
    let p = 0;
    while (p < text.length) {
      const long = firstLongLine(text, p, this.segment);
      if (long < 0) return this.block(p === 0 ? text : text.slice(p), bytes, p, base + p);
      if (long > p) this.block(text.slice(p, long), bytes, p, base + p);
      const nl = text.indexOf('\n', long);
      this.at = base + long;
      const line = new LongLine(this.redactor, text.slice(long, nl < 0 ? text.length : nl), this.segment);
      this.send(line.finish(nl < 0 ? '' : '\n'));
      p = nl < 0 ? text.length : nl + 1;
    }
  }

  /** Short lines, through the Redactor in one piece; they are bytes[offset, ...) of the lines' input. */
  private block(text: string, bytes: InputBytes, offset: number, base: number): void {
    this.at = base;
    // Unchanged stretches next to each other (most trigger lines change nothing) go out as one view.
    let from = 0;
    let to = 0;
    const flush = () => {
      if (to > from) bytes.views(offset + from, offset + to, (view) => this.push(Buffer.from(view)));
      from = to;
    };
    const sink: RedactSink = {
      copy: (start, end) => {
        if (start !== to) {
          flush();
          from = start;
        }
        to = end;
      },
      write: (redacted) => {
        flush();
        this.send(redacted);
      },
    };
    try {
      this.redactor.redactInto(text, sink);
    } catch (error) {
      if (!(error instanceof RedactError)) throw error;
      this.at = base + error.offset;
      throw error.cause;
    } finally {
      flush();
    }
  }

  private send(text: string): void {
    if (text !== '') this.push(Buffer.from(text, 'latin1'));
  }

  /** Runs `step`; an error stops the output where it happened and is recorded. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.failure = { offset: this.at, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }
}

/**
 * The start of the first line in text[from, ...) longer than a window, or -1. Steps a window at
 * a time (one lastIndexOf per window), so short lines cost nothing here.
 */
function firstLongLine(text: string, from: number, segment: number): number {
  let p = from;
  while (LongLine.isLong(text.length - p, segment)) {
    // The line at p is long if no '\n' lies within its first (window + 1) characters.
    const nl = text.lastIndexOf('\n', p + segment + LOOKAHEAD);
    if (nl < p) return p;
    p = nl + 1;
  }
  return -1;
}
