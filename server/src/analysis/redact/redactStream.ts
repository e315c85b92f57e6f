// A Transform stream that redacts what flows through it: bytes in, bytes out, cut at line
// ends so a credential is never split between chunks. Memory stays bounded by the chunk size
// plus the longest line (a line longer than MAX_CARRY is cut at a character that cannot be
// part of a credential).

import { Transform, type TransformCallback } from 'node:stream';
import type { DetectorSet } from '../detectors/detectorSet';
import { Redactor } from './redactor';

const MAX_CARRY = 1 << 20;

export class RedactStream extends Transform {
  private readonly redactor: Redactor;
  private carry = '';

  constructor(detectors: DetectorSet) {
    super();
    this.redactor = new Redactor(detectors);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.carry + chunk.toString('latin1');
    let cut = text.lastIndexOf('\n') + 1;
    if (cut === 0 && text.length > MAX_CARRY) cut = safeCut(text);
    this.carry = text.slice(cut);
    if (cut > 0) this.push(Buffer.from(this.redactor.redactLines(text.slice(0, cut)), 'latin1'));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.carry) this.push(Buffer.from(this.redactor.redactLines(this.carry), 'latin1'));
    this.carry = '';
    done();
  }
}

/** Where to cut a line that has no end in sight: after the last whitespace or quote. */
function safeCut(text: string): number {
  for (let i = text.length - 1; i > text.length - 4096 && i > 0; i--) {
    if (/[\s"'<>,;]/.test(text[i])) return i + 1;
  }
  return text.length - 4096;
}
