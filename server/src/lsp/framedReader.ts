// Reads LSP messages from a byte stream (`--stdio`): `Content-Length: N` headers, then N bytes
// of JSON. vscode-jsonrpc's own reader, given a header without a usable Content-Length or junk
// before it, reports the header's text and then never reads another message: the server stays
// alive but deaf, and the client shows nothing. This reader logs what was wrong (sizes and
// reasons, never the bytes: they may hold a user's code), skips to the next `Content-Length:`
// and goes on. Bodies are gathered as a list of chunks and joined once, so a 50 MB notebook in
// 64 KB chunks is copied once, not once per chunk.

import type { Readable } from 'node:stream';
import { AbstractMessageReader, Disposable, type DataCallback, type MessageReader } from 'vscode-languageserver/node';
import { checkMessage } from './messageCheck';

/** A header section longer than this is not a header: resynchronise. */
const MAX_HEADER_BYTES = 8 * 1024;
/** A larger Content-Length is refused (the client would never send a 1 GB message). */
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
const CONTENT_LENGTH = 'content-length:';

export type Log = (message: string) => void;

export class FramedReader extends AbstractMessageReader implements MessageReader {
  /** Bytes of the header being read (bounded by MAX_HEADER_BYTES plus one chunk). */
  private pending: Buffer = Buffer.alloc(0);
  private body: Buffer[] = [];
  /** Bytes of the current body still to come; -1 while reading a header. */
  private bodyLeft = -1;
  private callback: DataCallback | undefined;

  constructor(
    private readonly input: Readable,
    private readonly log: Log,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer) => this.onData(chunk);
    const onError = (error: Error) => this.fireError(new Error(`reading the client's messages failed: ${error.message}`));
    const onClose = () => this.fireClose();
    this.input.on('data', onData).on('error', onError).on('close', onClose).on('end', onClose);
    return Disposable.create(() => {
      this.input.off('data', onData).off('error', onError).off('close', onClose).off('end', onClose);
    });
  }

  private onData(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      if (this.bodyLeft >= 0) {
        const take = Math.min(this.bodyLeft, data.length);
        this.body.push(data.subarray(0, take));
        this.bodyLeft -= take;
        data = data.subarray(take);
        if (this.bodyLeft === 0) this.deliver();
        continue;
      }
      this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
      data = this.readHeaders();
    }
  }

  /** Reads headers from `pending`; returns the bytes after them (the start of a body), if any. */
  private readHeaders(): Buffer {
    for (;;) {
      const end = this.pending.indexOf(HEADER_END);
      if (end < 0) {
        if (this.pending.length > MAX_HEADER_BYTES) this.resync(`${this.pending.length} bytes without the end of a message header`);
        return Buffer.alloc(0);
      }
      const length = contentLength(this.pending.subarray(0, end).toString('latin1'));
      if (typeof length === 'number') {
        const rest = this.pending.subarray(end + HEADER_END.length);
        this.pending = Buffer.alloc(0);
        this.bodyLeft = length;
        this.body = [];
        if (length === 0) this.deliver();
        return rest;
      }
      this.resync(length.problem);
    }
  }

  /** Logs why the bytes at the start of `pending` are no message and skips to the next header. */
  private resync(problem: string): void {
    const text = this.pending.toString('latin1').toLowerCase();
    let keep = text.indexOf(CONTENT_LENGTH, 1);
    if (keep < 0) {
      // No header in sight: keep only an end that may be the start of one cut by the chunk.
      keep = text.length;
      for (let n = Math.min(CONTENT_LENGTH.length - 1, text.length); n > 0; n--) {
        if (CONTENT_LENGTH.startsWith(text.slice(text.length - n))) {
          keep = text.length - n;
          break;
        }
      }
    }
    this.log(`nbguard: skipped ${keep} bytes of input that are not an LSP message (${problem}); reading on from the next Content-Length header`);
    this.pending = this.pending.subarray(keep);
  }

  private deliver(): void {
    const bytes = this.body.length === 1 ? this.body[0] : Buffer.concat(this.body);
    this.body = [];
    this.bodyLeft = -1;
    const checked = checkMessage(bytes.toString('utf8'));
    if ('problem' in checked) this.log(`nbguard: dropped a message of ${bytes.length} bytes: ${checked.problem}`);
    else this.callback?.(checked.message);
  }
}

/** The Content-Length of a header section, or what is wrong with it. */
function contentLength(header: string): number | { problem: string } {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return { problem: 'a header line without a colon' };
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value)) return { problem: 'a Content-Length that is not a number' };
    length = Number(value);
  }
  if (length === undefined) return { problem: 'a message header without Content-Length' };
  if (length > MAX_MESSAGE_BYTES) return { problem: `a Content-Length over ${MAX_MESSAGE_BYTES} bytes` };
  return length;
}
