// Replaces every credential the detectors accept with its REDACTED_* placeholder, leaving
// everything else byte for byte and the number of lines unchanged. Works line by line with
// state across lines (a PEM private key spans many), so it can stream any amount of text in
// constant memory. Text is handled as latin1 strings (one char per byte) so that bytes that
// are not valid UTF-8 survive untouched.
//
// A line is a sequence of ordinary stretches and PEM blocks (pemBlock.ts), handled in one loop,
// never by recursion: a JSON log line may hold thousands of keys. A line too long to hold whole
// is redacted in windows (longLine.ts) by the same loop, told where it may stop.

import type { DetectorSet } from '../detectors/detectorSet';
import { newBlock, PEM_BEGIN, PEM_PLACEHOLDER, scanBody, type PemBlock } from './pemBlock';
import { Triggers } from './triggers';

/** Redacted output for a stretch of a line, and how far it covers. */
export interface Redacted {
  readonly out: string;
  /** The output stands for the input up to here. */
  readonly end: number;
  /** Where the detectors' view of the text at `end` may begin (after the last PEM block). */
  readonly context: number;
}

/** Redaction failed inside a line; `written` is the redacted text of the lines before it. */
export class RedactError extends Error {
  constructor(
    readonly written: string,
    /** Offset of the failed line in the text given to redactLines. */
    readonly offset: number,
    cause: unknown,
  ) {
    // The message of what failed (a RangeError, say): never the text being redacted.
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), { cause });
  }
}

/**
 * Where redacted lines go: stretches of the input that stay as they are, by offset (a stream
 * copies those bytes from its input buffer, never building a string of them), and the new text
 * of the lines that changed.
 */
export interface RedactSink {
  copy(from: number, to: number): void;
  write(text: string): void;
}

/**
 * The triggers of a detector set, built once: building the keyword automaton costs more than
 * redacting a short text (an output string, a quick fix's check), and Analyzer.redact makes a
 * Redactor per text. They keep no state a caller could disturb (what they remember of the last
 * text they searched is checked against the text and offset asked for).
 */
const triggersBySet = new WeakMap<DetectorSet, Triggers>();

function triggersOf(detectors: DetectorSet): Triggers {
  let triggers = triggersBySet.get(detectors);
  if (!triggers) triggersBySet.set(detectors, (triggers = new Triggers(detectors)));
  return triggers;
}

export class Redactor {
  private readonly triggers: Triggers;
  /** An open multi-line PEM block: the next line continues it. */
  private pem: PemBlock | null = null;

  constructor(private readonly detectors: DetectorSet) {
    this.triggers = triggersOf(detectors);
  }

  /**
   * Redacts a block of complete lines (each ending in '\n', except maybe the last). Throws a
   * RedactError holding the output for the lines before the one that failed.
   */
  redactLines(text: string): string {
    let out = '';
    const sink: RedactSink = { copy: (from, to) => (out += text.slice(from, to)), write: (redacted) => (out += redacted) };
    try {
      this.redactInto(text, sink);
    } catch (error) {
      throw error instanceof RedactError ? new RedactError(out, error.offset, error.cause) : error;
    }
    return out;
  }

  /**
   * Redacts a block of complete lines into `sink`. Throws a RedactError (its `written` empty)
   * once the lines before the one that failed are in the sink.
   */
  redactInto(text: string, sink: RedactSink): void {
    let done = 0; // text before this offset is in the sink; the line being redacted starts here
    try {
      // A PEM block left open by the previous block: its lines come first.
      while (this.pem !== null && done < text.length) done = this.lineInto(text, done, lineEnd(text, done), sink);
      // Only lines holding a trigger are looked at; the rest are copied in one piece.
      for (let at = this.triggers.next(text, done); at >= 0; at = this.triggers.next(text, done)) {
        const start = Math.max(done, text.lastIndexOf('\n', at) + 1);
        if (start > done) sink.copy(done, start);
        done = start;
        done = this.lineInto(text, start, lineEnd(text, at), sink);
        while (this.pem !== null && done < text.length) done = this.lineInto(text, done, lineEnd(text, done), sink);
      }
    } catch (error) {
      throw new RedactError('', done, error);
    }
    if (done < text.length) sink.copy(done, text.length);
  }

  /** Redacts the line text[start, end) into the sink (a copy when nothing changed); returns `end`. */
  private lineInto(text: string, start: number, end: number, sink: RedactSink): number {
    const line = text.slice(start, end);
    const redacted = this.redactLine(line);
    if (redacted === line) sink.copy(start, end);
    else sink.write(redacted);
    return end;
  }

  /** Redacts one line (with its line ending, if any). */
  redactLine(line: string): string {
    const eol = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
    const body = eol ? line.slice(0, line.length - eol.length) : line;
    return this.redactSpan(body, 0, body.length, true, true).out + eol;
  }

  /**
   * Redacts `text` from `from` on: text[0, from) is context that was written before. The output
   * ends at `cut` or just after it, past a credential or PEM block that straddles it; text after
   * that is only looked at, so that a credential near `cut` is judged with what follows it.
   * `lineStart`: `from` starts a line. `lineEnd`: `text` ends where the line ends.
   */
  redactSpan(text: string, from: number, cut: number, lineStart: boolean, lineEnd: boolean): Redacted {
    let out = '';
    let pos = from;
    let context = 0;
    if (this.pem !== null) {
      const scan = scanBody(text, pos, this.pem, lineStart, lineEnd);
      if (scan.end > scan.start) {
        out += text.slice(pos, scan.start) + PEM_PLACEHOLDER;
        pos = scan.end;
      }
      if (scan.kind === 'open') return { out: out + text.slice(pos), end: text.length, context: text.length };
      this.pem = null;
      context = pos; // the detectors never see the key
    }
    const begin = PEM_BEGIN;
    for (;;) {
      begin.lastIndex = pos;
      const header = begin.exec(text);
      // Ordinary text up to the next header (or to the end): the detectors never see across one.
      const stretchEnd = header ? header.index : text.length;
      if (header === null || header.index >= cut) {
        const plain = this.redactPlain(text, context, pos, stretchEnd, cut);
        return { out: out + plain.out, end: plain.end, context };
      }
      out += this.redactPlain(text, context, pos, stretchEnd, stretchEnd).out;
      const block = newBlock(header[1]);
      const bodyFrom = begin.lastIndex;
      const scan = scanBody(text, bodyFrom, block, false, lineEnd);
      out += PEM_PLACEHOLDER;
      pos = Math.max(bodyFrom, scan.end);
      if (scan.kind === 'open') {
        this.pem = block;
        return { out: out + text.slice(pos), end: text.length, context: text.length };
      }
      context = pos;
    }
  }

  /**
   * Ordinary text[pos, end) with its credentials replaced, seen by the detectors from `context`;
   * output stops at `cut` (or past a credential across it) when `cut` < `end`.
   */
  private redactPlain(text: string, context: number, pos: number, end: number, cut: number): { out: string; end: number } {
    if (pos >= end) return { out: '', end: pos };
    const view = context === 0 && end === text.length ? text : text.slice(context, end);
    const matches = this.triggers.has(view) ? this.detectors.scan(view) : [];
    let out = '';
    let last = pos;
    for (const m of matches) {
      const start = m.start + context;
      if (start < pos) continue; // in the context: written before
      if (start >= cut) break;
      out += text.slice(last, start) + m.redaction;
      last = m.end + context;
    }
    const stop = cut < end ? Math.max(cut, last) : end;
    return { out: out + text.slice(last, stop), end: stop };
  }
}

/** The offset just after the line that holds `offset` (after its '\n', or the end). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Redacts a whole text (for example a stored cell output). */
export function redact(text: string, detectors: DetectorSet): string {
  return new Redactor(detectors).redactLines(text);
}
