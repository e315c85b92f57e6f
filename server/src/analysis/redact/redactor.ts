// Replaces every credential the detectors accept with its REDACTED_* placeholder, leaving
// everything else byte for byte and the number of lines unchanged. Works line by line with
// state across lines (a PEM private key spans many), so it can stream any amount of text in
// constant memory. Text is handled as latin1 strings (one char per byte) so that bytes that
// are not valid UTF-8 survive untouched.

import type { DetectorSet } from '../detectors/detectorSet';
import { triggerRegExp } from './triggers';

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/;
const PEM_PLACEHOLDER = 'REDACTED_PRIVATE_KEY';

export class Redactor {
  private readonly trigger: RegExp;
  /** Inside a multi-line PEM block: the END marker to wait for. */
  private pemEnd: string | null = null;

  constructor(private readonly detectors: DetectorSet) {
    this.trigger = triggerRegExp(detectors.userTriggers);
  }

  /** Redacts a block of complete lines (each ending in '\n', except maybe the last). */
  redactLines(text: string): string {
    let out = '';
    let done = 0; // text before this offset is already in `out`
    // A PEM block left open by the previous block: its lines come first.
    while (this.pemEnd !== null && done < text.length) {
      const end = lineEnd(text, done);
      out += this.redactLine(text.slice(done, end));
      done = end;
    }
    // Only lines holding a trigger are looked at; the rest are copied in one piece.
    const trigger = this.trigger;
    trigger.lastIndex = done;
    for (let m = trigger.exec(text); m; m = trigger.exec(text)) {
      let start = text.lastIndexOf('\n', m.index) + 1;
      if (start < done) start = done;
      let end = lineEnd(text, m.index);
      out += text.slice(done, start);
      out += this.redactLine(text.slice(start, end));
      while (this.pemEnd !== null && end < text.length) {
        const next = lineEnd(text, end);
        out += this.redactLine(text.slice(end, next));
        end = next;
      }
      done = end;
      trigger.lastIndex = end;
    }
    return done === 0 ? text : out + text.slice(done);
  }

  /** Redacts one line (with its line ending, if any). */
  redactLine(line: string): string {
    const eol = /\r?\n$/.exec(line)?.[0] ?? '';
    let body = line.slice(0, line.length - eol.length);
    if (this.pemEnd !== null) {
      const endAt = body.indexOf(this.pemEnd);
      if (endAt < 0) return (body.trim() === '' ? body : body.replace(/\S+/g, PEM_PLACEHOLDER)) + eol;
      // The END marker closes the block; the rest of the line is ordinary text.
      const close = body.indexOf('-----', endAt + this.pemEnd.length);
      const rest = body.slice(close < 0 ? body.length : close + 5);
      this.pemEnd = null;
      return PEM_PLACEHOLDER + this.redactText(rest) + eol;
    }
    body = this.redactText(body);
    return body + eol;
  }

  /** Redacts credentials inside a single line's text. */
  private redactText(text: string): string {
    const begin = PEM_BEGIN.exec(text);
    if (begin) {
      const endMarker = `-----END ${begin[1]}PRIVATE KEY`;
      const endAt = text.indexOf(endMarker, begin.index);
      const before = this.redactText(text.slice(0, begin.index));
      if (endAt < 0) {
        // The key continues on the next lines (or after literal \n escapes on this one).
        this.pemEnd = endMarker;
        return before + PEM_PLACEHOLDER;
      }
      const close = text.indexOf('-----', endAt + endMarker.length);
      const after = close < 0 ? text.length : close + 5;
      return before + PEM_PLACEHOLDER + this.redactText(text.slice(after));
    }
    const matches = this.detectors.scan(text);
    if (matches.length === 0) return text;
    let out = '';
    let last = 0;
    for (const m of matches) {
      out += text.slice(last, m.start) + m.redaction;
      last = m.end;
    }
    return out + text.slice(last);
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
