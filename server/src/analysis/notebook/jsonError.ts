// Says where and why a text is not valid JSON, in nbguard's own words. JSON.parse's messages
// quote the input (`"{"pw": hunt3r2Pw}" is not valid JSON`), and the input of a notebook or an
// audit log may be a credential, so the position and the reason come from this scanner, which
// never copies input text. It runs only after JSON.parse has failed; it is iterative (a document
// nested a million deep is just a long stack array) and linear in the text.

export interface JsonErrorPlace {
  /** Offset of the first character that cannot be valid JSON (the text's length at its end). */
  readonly offset: number;
  readonly reason: string;
}

type Expect = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/** Where `text` first stops being JSON, or undefined when it is valid. */
export function locateJsonError(text: string): JsonErrorPlace | undefined {
  const n = text.length;
  const stack: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const fail = (offset: number, reason: string): JsonErrorPlace => ({ offset, reason });
  const afterValue = (): Expect => (stack.length === 0 ? 'end' : 'after');
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return expect === 'end' ? undefined : fail(n, 'unexpected end of input');
    const ch = text[i];
    switch (expect) {
      case 'value':
      case 'firstValue':
        if (expect === 'firstValue' && ch === ']') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (ch === '{' || ch === '[') {
          stack.push(ch);
          i++;
          expect = ch === '{' ? 'firstKey' : 'firstValue';
        } else if (ch === '"') {
          const end = stringEnd(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          expect = afterValue();
        } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return fail(i, 'a malformed number');
          i = NUMBER.lastIndex;
          expect = afterValue();
        } else {
          const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (!word) return fail(i, 'an unexpected character where a value should be');
          i += word.length;
          expect = afterValue();
        }
        break;
      case 'key':
      case 'firstKey':
        if (expect === 'firstKey' && ch === '}') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (ch === '"') {
          const end = stringEnd(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          expect = 'colon';
        } else return fail(i, 'expected a property name in double quotes');
        break;
      case 'colon':
        if (ch !== ':') return fail(i, "expected ':' after a property name");
        i++;
        expect = 'value';
        break;
      case 'after': {
        const open = stack[stack.length - 1];
        if (ch === ',') {
          i++;
          expect = open === '{' ? 'key' : 'value';
        } else if ((ch === '}' && open === '{') || (ch === ']' && open === '[')) {
          stack.pop();
          i++;
          expect = afterValue();
        } else return fail(i, open === '{' ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
        break;
      }
      case 'end':
        return fail(i, 'unexpected text after the end of the JSON document');
    }
  }
}

/** The offset after the string starting at `start`, or where and why it breaks. */
function stringEnd(text: string, start: number): number | JsonErrorPlace {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { offset: j, reason: 'a control character (such as a line break) inside a string' };
    if (c === 0x5c) {
      const next = text[j + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return { offset: j, reason: 'a malformed \\u escape in a string' };
        j += 5;
      } else if (next !== undefined && ESCAPES.includes(next)) j++;
      else return { offset: j, reason: 'an unknown escape in a string' };
    }
  }
  return { offset: text.length, reason: 'a string that never ends' };
}

/** Line and column (both 1-based) of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** "not valid JSON at line L, column C: reason", never quoting the text. */
export function describeJsonError(text: string): string {
  const place = locateJsonError(text);
  if (!place) return 'not valid JSON';
  const { line, column } = lineColumnAt(text, place.offset);
  return `not valid JSON at line ${line}, column ${column}: ${place.reason}`;
}

/** For one-line records (audit and session lines): "not valid JSON at column C: reason". */
export function describeJsonLineError(line: string): string {
  const place = locateJsonError(line);
  return place ? `not valid JSON at column ${place.offset + 1}: ${place.reason}` : 'not valid JSON';
}
