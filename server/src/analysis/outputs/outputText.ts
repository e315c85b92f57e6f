// The text a person sees in a stored .ipynb output, as detectors should read it: stream text,
// error name/value/traceback with ANSI colour codes removed, text/plain, text/html with
// entities decoded and inline base64 images dropped, and every string of application/json.
// Images are not text. JSON-escaped strings inside printed text are decoded too, so
// `"secret": "abc\/def"` does not hide a key behind `\/`.

import type { CellOutput } from '../notebook/model';

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
const INLINE_IMAGE = /data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=]+/g;
const TEXT_TYPES = ['text/plain', 'text/html', 'text/markdown', 'text/latex', 'application/javascript'];

function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('');
  return '';
}

function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
    }
    return named[code.toLowerCase()] ?? whole;
  });
}

/** `\/`, `\"`, `\u0041`: what a JSON string printed as text would show once decoded. */
export function decodeJsonEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_, e: string) => {
    if (e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * Every string (keys too) in a JSON value, in document order. Iterative: a stored output may be
 * nested a hundred thousand levels deep (JSON.parse accepts that; a recursive walk would not).
 */
function stringsOf(root: unknown, out: string[]): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
    else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i][1], entries[i][0]);
    }
  }
}

/** The texts of one output, each to be scanned separately. */
export function outputTexts(output: CellOutput): string[] {
  const texts: string[] = [];
  switch (output.output_type) {
    case 'stream':
      texts.push(joined(output.text));
      break;
    case 'error': {
      const traceback = Array.isArray(output.traceback) ? output.traceback.map(joined).join('\n') : '';
      texts.push(`${joined(output.ename)}: ${joined(output.evalue)}`, traceback);
      break;
    }
    case 'execute_result':
    case 'display_data':
    case 'update_display_data': {
      const data = (output.data ?? {}) as Record<string, unknown>;
      for (const type of TEXT_TYPES) if (data[type] !== undefined) texts.push(type === 'text/html' ? decodeHtmlEntities(joined(data[type])) : joined(data[type]));
      for (const [type, value] of Object.entries(data)) if (/^application\/(.+\+)?json$/.test(type)) stringsOf(value, texts);
      break;
    }
  }
  return texts
    .map((t) => t.replace(ANSI, '').replace(INLINE_IMAGE, 'data:image;base64,'))
    .flatMap((t) => {
      const decoded = decodeJsonEscapes(t);
      return decoded === t ? [t] : [t, decoded];
    })
    .filter((t) => t.length > 0);
}
