// Reads JSON-lines input for `nbguard audit`: files (gzip when the name ends in .gz, as log
// delivery writes them) or standard input, one line at a time, without holding the file.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface InputLine {
  readonly file: string;
  /** 1-based. */
  readonly lineNumber: number;
  readonly text: string;
}

export class InputReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

function open(file: string): Readable {
  if (file === '-') return process.stdin;
  // Large reads: the default 64 KiB chunks leave the thread waiting on I/O.
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (!file.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file';
  if (error.code === 'EISDIR') return 'is a folder';
  if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR') return `not readable as gzip (${error.message})`;
  return error.code ?? error.message;
}

/** The lines of one input, in order. Throws InputReadError when it cannot be read. */
export async function* inputLines(file: string): AsyncGenerator<InputLine> {
  const lines = createInterface({ input: open(file), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of lines) yield { file, lineNumber: ++lineNumber, text };
  } catch (error) {
    throw new InputReadError(file, `cannot read: ${describe(error as NodeJS.ErrnoException)}`);
  }
}
