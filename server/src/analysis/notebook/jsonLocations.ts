// Where the strings of an .ipynb file sit in its raw text. SARIF results must point at the physical
// line and column of the file (not at a cell-relative position), and `nbguard fix` rewrites single
// string tokens of outputs, or a whole `outputs` array, while every other byte stays as it was; both
// need raw offsets, which JSON.parse throws away, and re-serialising would change the file's style.
//
// locateNotebookJson is one pass over the text with an explicit stack (a metadata value nested a
// million deep is a long array, not a deep call stack). It records only what those features need:
// per cell, the string tokens of `source` and the span and strings of `outputs`. Anything that is
// not valid JSON, or not an object with a `cells` array, gives undefined and never throws. No Node
// imports: the same code runs in the browser build.

import { lineIndexAt } from './lineStarts';

export interface Span {
  /** Offset of the opening quote (or bracket). */
  readonly start: number;
  /** Offset just after the closing quote (or bracket). */
  readonly end: number;
}

export type JsonPath = readonly (string | number)[];

/** A string token inside one output: a value, or (key: true) a property name. */
export interface OutputString extends Span {
  readonly key: boolean;
  /** Path relative to the output object: ['text', 2], ['data', 'text/plain', 0], ['traceback', 1].
   *  For a property name, the path of the property it names. Built on each read. */
  readonly path: JsonPath;
}

export interface CellLocation {
  /** The string tokens of `source`: one when it is a string, one per string element of a list. */
  source: Span[];
  /** The `outputs` array value, brackets included; undefined when absent or not an array. */
  outputs: Span | undefined;
  /** Per output index, every string token anywhere inside that output, in text order. */
  outputStrings: OutputString[][];
}

export interface NotebookJsonMap {
  /** Every element of `cells`, in order, whatever its type (a non-object cell has nothing in it). */
  readonly cells: readonly CellLocation[];
  /** Offset at which each raw line begins (a line ends at \n; \r\n is one break). */
  readonly lineStarts: readonly number[];
}

// A path is a linked list up to the output, so recording a string costs O(1) however deep it is:
// an eagerly copied array per token would make deep output JSON quadratic.
interface PathNode {
  readonly parent: PathNode | undefined;
  readonly key: string | number;
}

class OutputToken implements OutputString {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly key: boolean,
    private readonly node: PathNode | undefined,
  ) {}
  get path(): JsonPath {
    const path: (string | number)[] = [];
    for (let n = this.node; n; n = n.parent) path.push(n.key);
    return path.reverse();
  }
}

// What a container (or a string) is, from its place in the notebook.
const OTHER = 0, ROOT = 1, CELLS = 2, CELL = 3, SOURCE = 4, OUTPUTS = 5, OUTPUT = 6;

interface Frame {
  readonly obj: boolean;
  readonly role: number;
  readonly start: number;
  index: number; // the current element, in an array
  key: string | undefined; // the current property name, in an object whose names matter
  readonly cell: CellLocation | undefined;
  readonly tokens: OutputString[] | undefined;
  readonly node: PathNode | undefined;
}

type Expect = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after' | 'end';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/** Raw offsets of the notebook's source and output strings, or undefined if it is not a notebook. */
export function locateNotebookJson(text: string): NotebookJsonMap | undefined {
  const n = text.length;
  const lineStarts = [0];
  const stack: Frame[] = [];
  let cells: CellLocation[] | undefined;
  let expect: Expect = 'value';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM: JSON.parse refuses it, editors keep it
  for (;;) {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      // Valid JSON has raw line breaks only in whitespace, so this sees every line of the file.
      if (c === 10) lineStarts.push(i + 1);
      else if (c !== 32 && c !== 9 && c !== 13) break;
    }
    if (i >= n) return expect === 'end' && cells ? { cells, lineStarts } : undefined;
    const ch = text[i];
    const top: Frame | undefined = stack[stack.length - 1];
    if (expect === 'firstValue' && ch === ']') expect = 'after';
    if (expect === 'firstKey' && ch === '}') expect = 'after';
    switch (expect) {
      case 'value':
      case 'firstValue': {
        // Place this value: later duplicates of a name replace earlier ones, as in JSON.parse.
        let role = OTHER;
        let cell = top?.cell;
        let tokens: OutputString[] | undefined;
        let node: PathNode | undefined;
        if (!top) role = ROOT;
        else if (top.role === ROOT && top.key === 'cells') {
          cells = ch === '[' ? [] : undefined;
          role = CELLS;
        } else if (top.role === CELLS) {
          cell = { source: [], outputs: undefined, outputStrings: [] };
          cells!.push(cell);
          role = CELL;
        } else if (top.role === CELL && top.key === 'source') {
          cell!.source = [];
          role = SOURCE;
        } else if (top.role === CELL && top.key === 'outputs') {
          cell!.outputs = undefined;
          cell!.outputStrings = [];
          role = OUTPUTS;
        } else if (top.role === SOURCE && ch === '"') role = SOURCE;
        else if (top.role === OUTPUTS) {
          tokens = [];
          cell!.outputStrings.push(tokens);
          role = OUTPUT;
        } else if (top.role === OUTPUT) {
          tokens = top.tokens;
          node = { parent: top.node, key: top.obj ? top.key! : top.index };
          role = OUTPUT;
        }
        if (ch === '{' || ch === '[') {
          const obj = ch === '{';
          // The role a container keeps only if it is the expected kind (cells is an array, ...).
          const fits = role === ROOT || role === CELL || role === OUTPUT ? obj || role === OUTPUT : !obj;
          stack.push({ obj, role: fits ? role : OTHER, start: i, index: 0, key: undefined, cell, tokens, node });
          i++;
          expect = obj ? 'firstKey' : 'firstValue';
        } else if (ch === '"') {
          const end = stringEnd(text, i);
          if (end < 0) return undefined;
          if (role === SOURCE) cell!.source.push({ start: i, end });
          else if (role === OUTPUT) tokens!.push(new OutputToken(i, end, false, node));
          i = end;
          expect = stack.length ? 'after' : 'end';
        } else {
          NUMBER.lastIndex = i;
          const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (word) i += word.length;
          else if (NUMBER.test(text)) i = NUMBER.lastIndex;
          else return undefined;
          expect = stack.length ? 'after' : 'end';
        }
        break;
      }
      case 'key':
      case 'firstKey': {
        if (ch !== '"') return undefined;
        const end = stringEnd(text, i);
        if (end < 0) return undefined;
        // Names are decoded only where they steer the scan or end up in a path.
        if (top!.role === ROOT || top!.role === CELL || top!.role === OUTPUT) {
          const key = decodeJsonString(text, { start: i, end });
          top!.key = key;
          if (top!.role === OUTPUT) top!.tokens!.push(new OutputToken(i, end, true, { parent: top!.node, key }));
        }
        i = end;
        expect = 'colon';
        break;
      }
      case 'colon':
        if (ch !== ':') return undefined;
        i++;
        expect = 'value';
        break;
      case 'after':
        if (ch === ',') {
          if (!top!.obj) top!.index++;
          expect = top!.obj ? 'key' : 'value';
        } else if (ch === (top!.obj ? '}' : ']')) {
          stack.pop();
          if (top!.role === OUTPUTS) top!.cell!.outputs = { start: top!.start, end: i + 1 };
          if (stack.length === 0) expect = 'end';
        } else return undefined;
        i++;
        break;
      case 'end':
        return undefined;
    }
  }
}

/** The offset after the string token starting at `start`, or -1 if it is not a valid one. */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const next = text[j + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -1;
        j += 5;
      } else if (next !== undefined && ESCAPES.includes(next)) j++;
      else return -1;
    }
  }
  return -1;
}

/** The value of a string token found by locateNotebookJson. */
export function decodeJsonString(text: string, token: Span): string {
  const raw = text.slice(token.start + 1, token.end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(token.start, token.end)) as string) : raw;
}

const SHORT: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

/** A JSON string token for `value`, in the style of `like` (the token it replaces, or any JSON text
 *  of the same file): non-ASCII escaped as \uXXXX when `like` does so (Python's ensure_ascii=True,
 *  nbformat's default), literal otherwise (JSON.stringify, ensure_ascii=False). */
export function encodeJsonString(value: string, like?: string): string {
  let ascii = false, literal = false, upper = false;
  // Escapes are matched whole so that the `\\u00e9` of an escaped backslash is not taken for one.
  for (const m of (like ?? '').matchAll(/\\u([0-9a-fA-F]{4})|\\[^]|[^\0-\x7f]/g)) {
    if (m[1] !== undefined) {
      if (parseInt(m[1], 16) >= 0x7f) ascii = true;
      if (/[A-F]/.test(m[1])) upper = true;
    } else if (m[0].length === 1) literal = true;
  }
  ascii &&= !literal;
  const hex = (c: number) => {
    const h = c.toString(16).padStart(4, '0');
    return '\\u' + (upper ? h.toUpperCase() : h);
  };
  let out = '"';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 34 || c === 92) esc = SHORT[c] ?? hex(c);
    else if (ascii && c >= 0x7f) esc = hex(c); // Python escapes DEL too
    else if (c >= 0xd800 && c <= 0xdfff) {
      const low = value.charCodeAt(i + 1);
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) i++; // a pair stays literal
      else esc = hex(c); // a lone surrogate cannot be written as UTF-8 (JSON.stringify agrees)
    }
    if (esc !== undefined) {
      out += value.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return out + value.slice(from) + '"';
}

/**
 * The raw file position (1-based line, 1-based column in UTF-16 code units of the raw line) of the
 * character at 1-based (line, column) of a cell's source as nbformat joins it. The column points at
 * the raw character that encodes it (the backslash of an escape); past the end of the line, just
 * after the line's last raw character. Undefined for a line the source does not have.
 */
export function sourcePosition(
  text: string,
  map: NotebookJsonMap,
  cell: number,
  line: number,
  column: number,
): { line: number; column: number } | undefined {
  const tokens = map.cells[cell]?.source;
  if (!tokens?.length || line < 1 || column < 1) return undefined;
  const at = (offset: number) => rawPosition(map, offset);
  let currentLine = 1;
  let currentColumn = 1;
  let lineEnd = tokens[0].start + 1; // just after the current line's last raw character so far
  for (const token of tokens) {
    // An empty line sits where its own text (and line break) is, not at the end of the last token.
    if (currentColumn === 1) lineEnd = token.start + 1;
    for (let i = token.start + 1; i < token.end - 1; ) {
      const rawStart = i;
      let isBreak: boolean;
      if (text.charCodeAt(i) === 92) {
        isBreak = text[i + 1] === 'n' || (text[i + 1] === 'u' && text.slice(i + 2, i + 6).toLowerCase() === '000a');
        i += text[i + 1] === 'u' ? 6 : 2;
      } else {
        isBreak = false;
        i++;
      }
      if (currentLine === line && (isBreak || currentColumn === column)) return at(isBreak ? lineEnd : rawStart);
      if (isBreak) {
        currentLine++;
        currentColumn = 1;
      } else currentColumn++;
      lineEnd = i;
    }
  }
  return currentLine === line ? at(lineEnd) : undefined;
}

/** Line and column (both 1-based) of a raw offset, by binary search over the line starts. */
export function rawPosition(map: NotebookJsonMap, offset: number): { line: number; column: number } {
  const line = lineIndexAt(map.lineStarts, offset);
  return { line: line + 1, column: offset - map.lineStarts[line] + 1 };
}
