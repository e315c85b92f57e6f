// The size limit per cell (a notebook cell, an audit command, a whole plain .py file). The
// tree-sitter runtime is a wasm module with a 2 GiB heap, and a syntax tree takes 60 to 280
// bytes of it per byte of code (dense short statements and long unterminated strings are the
// worst): a 14 MB cell of `a = 1` lines exhausts the heap, the runtime aborts, and every later
// parse in the process aborts too (web-tree-sitter cannot start a fresh runtime). So a cell over
// the limit is skipped and reported, and the limit cannot be raised past what the heap holds.
// Real cells are rarely over 1 MB; the default leaves four times that.

/** The unit of the limit as the CLI and the messages give it (MB = 2^20 bytes). */
export const MB = 1024 * 1024;

/** The default limit per cell, in bytes of UTF-8. */
export const DEFAULT_MAX_CELL_SIZE = 4 * MB;

/**
 * The highest limit allowed: 6 MB of the worst code measured (an unterminated triple-quoted
 * string over a million short lines) needs 1.6 GB of parser heap; 8 MB exhausts it.
 */
export const HIGHEST_MAX_CELL_SIZE = 6 * MB;

/** A size as the messages show it: `4 MB`, `1.25 MB`, or `900 bytes` when under 0.01 MB. */
export function formatSize(bytes: number): string {
  return bytes < MB / 100 ? `${bytes} bytes` : `${Math.round((bytes / MB) * 100) / 100} MB`;
}

/** Checks a limit given in bytes; the message names the allowed range (for the CLI and the API). */
export function checkMaxCellSize(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0 || bytes > HIGHEST_MAX_CELL_SIZE) {
    throw new RangeError(`the size limit per cell must be more than 0 and at most ${formatSize(HIGHEST_MAX_CELL_SIZE)} (the parser's memory holds no more)`);
  }
  return bytes;
}

/** The size of `text` in bytes of UTF-8 when it is over `limit`, else undefined (cheap when far under). */
export function oversize(text: string, limit: number): number | undefined {
  // A UTF-16 code unit is 1 to 3 bytes of UTF-8: count only when the length cannot decide.
  if (text.length * 3 <= limit) return undefined;
  const bytes = utf8Length(text);
  return bytes > limit ? bytes : undefined;
}

/** The length of `text` in bytes of UTF-8 (a lone surrogate counts 3, as TextEncoder writes it). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Why a cell over the limit was skipped: its size and the limit, never its text. */
export function oversizeMessage(bytes: number, limit: number): string {
  return (
    `the cell is ${formatSize(bytes)}, over the limit of ${formatSize(limit)} per cell; it was skipped and the other cells were analysed ` +
    `(raise the limit with --max-cell-size, at most ${formatSize(HIGHEST_MAX_CELL_SIZE)}, or the maxCellSize analysis option)`
  );
}
