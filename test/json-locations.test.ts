// Raw offsets of notebook strings: SARIF points at the physical line and column of the .ipynb file,
// and `nbguard fix` rewrites output strings in place. Both must hold for every way a notebook is
// written (indent 1 or 2, minified, CRLF, a BOM, Python's ensure_ascii escapes) and the scanner
// must neither throw nor recurse on hostile input.

import { describe, expect, it } from 'vitest';
import {
  decodeJsonString,
  encodeJsonString,
  locateNotebookJson,
  type NotebookJsonMap,
  type Span,
  sourcePosition,
} from '../server/src/analysis/notebook/jsonLocations';

const notebook = {
  cells: [
    {
      cell_type: 'markdown',
      metadata: { tags: ['source', 'outputs'] },
      source: ['# Title\n', '\n', 'Some *text* with "quotes"'],
    },
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: { source: 'not this', outputs: ['nor this'] },
      source: ['x = "caf\u00e9 \u{1F600}" \\ \t end\n', 'print(x)\n', '\n', 'y = 1'],
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['caf\u00e9\n', 'pw=hunter2\n', 'done'] },
        {
          output_type: 'execute_result',
          execution_count: 1,
          metadata: {},
          data: { 'text/plain': ['line 1\n', 'line 2'], 'application/json': { a: [{ b: 'deep' }] } },
        },
        { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['\u001b[31mTraceback', 'E: v'] },
      ],
    },
    { cell_type: 'code', execution_count: null, metadata: {}, source: 'a = 1\nb = "\u2603"\n\nc', outputs: [] },
    { cell_type: 'raw', metadata: {}, source: [] },
  ],
  metadata: { kernelspec: { name: 'python3' } },
  nbformat: 4,
  nbformat_minor: 5,
};

// Python's json.dump(nb, f, indent=1, ensure_ascii=True), as nbformat writes it (made by Python).
const PYTHON_ASCII =
  "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"x = \\\"caf\\u00e9 \\ud83d\\ude00\\\"\\n\",\n    \"print(x)\\t# \\\\u00e9 /path\\n\",\n    \"\\u001b[31m\\u007f\"\n   ],\n   \"outputs\": [\n    {\n     \"output_type\": \"stream\",\n     \"name\": \"stdout\",\n     \"text\": [\n      \"caf\\u00e9\\n\",\n      \"\\ud83d\\ude00\"\n     ]\n    }\n   ],\n   \"metadata\": {},\n   \"execution_count\": 1\n  }\n ],\n \"metadata\": {\n  \"k\": \"\\u2603\"\n },\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}";

/** Python's ensure_ascii style, from JSON.stringify's: every code unit outside ' '..'~' escaped. */
const pythonStyle = (json: string) =>
  json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

const variants: Record<string, string> = {
  indent1: JSON.stringify(notebook, null, 1),
  indent2: JSON.stringify(notebook, null, 2),
  minified: JSON.stringify(notebook),
  crlf: JSON.stringify(notebook, null, 1).replace(/\n/g, '\r\n'),
  bom: '\uFEFF' + JSON.stringify(notebook, null, 2) + '\n',
  pythonAscii: pythonStyle(JSON.stringify(notebook, null, 1)) + '\n',
};

const parse = (text: string) => JSON.parse(text.replace(/^\uFEFF/, ''));
const mapOf = (text: string): NotebookJsonMap => {
  const map = locateNotebookJson(text);
  expect(map).toBeDefined();
  return map!;
};
const joinedSource = (source: unknown) =>
  Array.isArray(source) ? source.filter((s) => typeof s === 'string').join('') : typeof source === 'string' ? source : '';

/** Every string token inside `text`, by a plain regex (valid JSON text only). */
const allStringTokens = (text: string): Span[] =>
  [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));

/** The raw ways a decoded UTF-16 code unit can be written in a JSON string. */
const encodings = (ch: string) => {
  const h = ch.charCodeAt(0).toString(16).padStart(4, '0');
  return [ch, JSON.stringify(ch).slice(1, -1), '\\u' + h, '\\u' + h.toUpperCase()];
};

describe('locateNotebookJson', () => {
  for (const [name, text] of Object.entries(variants)) {
    it(`finds sources and outputs (${name})`, () => {
      const map = mapOf(text);
      const nb = parse(text);
      expect(map.cells).toHaveLength(nb.cells.length);
      map.cells.forEach((cell, c) => {
        expect(cell.source.map((t) => decodeJsonString(text, t)).join('')).toBe(joinedSource(nb.cells[c].source));
        for (const t of cell.source) expect(text[t.start] + text[t.end - 1]).toBe('""');
        const outputs = nb.cells[c].outputs;
        if (outputs === undefined) expect(cell.outputs).toBeUndefined();
        else expect(JSON.parse(text.slice(cell.outputs!.start, cell.outputs!.end))).toEqual(outputs);
        expect(cell.outputStrings).toHaveLength(outputs?.length ?? 0);
        // Each recorded value sits at its path; each property name names its path.
        cell.outputStrings.forEach((tokens, o) => {
          for (const t of tokens) {
            const path = t.path;
            const value = path.reduce((v: any, k) => v[k], outputs[o]);
            if (t.key) expect(decodeJsonString(text, t)).toBe(path[path.length - 1]);
            else expect(decodeJsonString(text, t)).toBe(value);
          }
        });
      });
    });
  }

  it('gives each output string its path relative to the output', () => {
    const text = variants.indent1;
    const cell = mapOf(text).cells[1];
    const values = cell.outputStrings.map((tokens) =>
      tokens.filter((t) => !t.key).map((t) => [t.path, decodeJsonString(text, t)]),
    );
    expect(values[0]).toEqual([
      [['output_type'], 'stream'],
      [['name'], 'stdout'],
      [['text', 0], 'caf\u00e9\n'],
      [['text', 1], 'pw=hunter2\n'],
      [['text', 2], 'done'],
    ]);
    expect(values[1]).toContainEqual([['data', 'text/plain', 1], 'line 2']);
    expect(values[1]).toContainEqual([['data', 'application/json', 'a', 0, 'b'], 'deep']);
    expect(values[2]).toContainEqual([['traceback', 0], '\u001b[31mTraceback']);
    expect(values[2]).toContainEqual([['traceback', 1], 'E: v']);
    const keys = cell.outputStrings[1].filter((t) => t.key).map((t) => t.path);
    expect(keys).toContainEqual(['data', 'text/plain']);
    expect(mapOf(text).cells[2].outputStrings).toEqual([]);
    expect(mapOf(text).cells[0].outputs).toBeUndefined();
  });

  it('lets fix rewrite one token or clear outputs, leaving every other byte alone', () => {
    for (const text of Object.values(variants)) {
      const cell = mapOf(text).cells[1];
      const t = cell.outputStrings[0].find((s) => !s.key && s.path.join() === 'text,1')!;
      const original = text.slice(t.start, t.end);
      const redacted = text.slice(0, t.start) + encodeJsonString('pw=<redacted>\n', original) + text.slice(t.end);
      expect(parse(redacted).cells[1].outputs[0].text).toEqual(['caf\u00e9\n', 'pw=<redacted>\n', 'done']);
      expect(redacted.slice(0, t.start)).toBe(text.slice(0, t.start));
      expect(redacted.slice(redacted.length - (text.length - t.end))).toBe(text.slice(t.end));
      const cleared = text.slice(0, cell.outputs!.start) + '[]' + text.slice(cell.outputs!.end);
      const expected = structuredClone(notebook);
      expected.cells[1].outputs = [];
      expect(parse(cleared)).toEqual(expected);
    }
  });

  it('follows JSON.parse on duplicate names and ignores look-alikes in metadata', () => {
    const text = '{"cells": [{"source": "old", "outputs": [1], "metadata": {"source": "m"}, "source": ["new"], "outputs": 3}], "cells": [{"source": "a", "outputs": ["s"]}]}';
    const map = mapOf(text);
    expect(map.cells).toHaveLength(1);
    expect(decodeJsonString(text, map.cells[0].source[0])).toBe('a');
    expect(map.cells[0].outputStrings).toEqual([[expect.objectContaining({ key: false })]]);
    expect(map.cells[0].outputStrings[0][0].path).toEqual([]);
    const twice = '{"cells": [{"source": "old", "outputs": [1], "source": ["new", 2, "er"], "outputs": 3}]}';
    const cell = mapOf(twice).cells[0];
    expect(cell.source.map((t) => decodeJsonString(twice, t))).toEqual(['new', 'er']);
    expect(cell.outputs).toBeUndefined();
    expect(locateNotebookJson('{"cells": [], "cells": {}}')).toBeUndefined();
    expect(mapOf('{"x": {"cells": 1}, "cells": [7, "s", null]}').cells).toHaveLength(3);
  });

  it('returns undefined for anything that is not a notebook, without throwing', () => {
    const bad = [
      '', ' ', '\uFEFF', 'null', '"cells"', '[]', '[{"cells": []}]', '{}', '{"cells": {}}', '{"cells": "x"}',
      '{"cells": [}', '{"cells": []} x', '{"cells": [],}', '{"cells": [1,]}', '{"cells" []}', "{'cells': []}",
      '{"cells": ["a\u0001b"]}', '{"cells": ["\\x"]}', '{"cells": ["\\u12G4"]}', '{"cells": ["abc', '{"cells": [01]}',
      '{"cells": [tru]}', '{"cells": [-]}', '{"cells": [1.]}', '{"cells": [NaN]}', '{"cells": []', '{"cells": []}}',
      '{"cells": []]', '{"cells": [{"source": ["a"}]}', '\u00a0{"cells": []}',
    ];
    for (const text of bad) expect(locateNotebookJson(text), text).toBeUndefined();
    // Every proper prefix of a notebook is broken JSON.
    const text = JSON.stringify(notebook, null, 1);
    for (let end = 0; end < text.length; end++) expect(locateNotebookJson(text.slice(0, end))).toBeUndefined();
    expect(mapOf('\uFEFF {"cells":[]} \r\n').cells).toEqual([]);
  });

  it('agrees with JSON.parse on randomly damaged notebooks', () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const base = variants.minified;
    const alphabet = '{}[]",:\\ \n1e-.atrunlsfx\u00e9';
    let notebooks = 0;
    for (let round = 0; round < 3000; round++) {
      let text = base;
      for (let k = 0, edits = 1 + random(3); k < edits; k++) {
        const at = random(text.length);
        const ch = alphabet[random(alphabet.length)];
        const kind = random(3);
        text = text.slice(0, at) + (kind === 1 ? '' : ch) + text.slice(kind === 0 ? at : at + 1);
      }
      let parsed: any;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const isNotebook = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray(parsed.cells);
      const map = locateNotebookJson(text);
      expect(map !== undefined, text).toBe(isNotebook);
      if (!map) continue;
      notebooks++;
      expect(map.cells.length).toBe(parsed.cells.length);
      map.cells.forEach((cell, c) => {
        const src = parsed.cells[c]?.source;
        if (typeof parsed.cells[c] === 'object' && parsed.cells[c] !== null && !Array.isArray(parsed.cells[c]))
          expect(cell.source.map((t) => decodeJsonString(text, t)).join('')).toBe(joinedSource(src));
      });
    }
    // Both outcomes are common, so the comparison means something either way.
    expect(notebooks).toBeGreaterThan(300);
    expect(notebooks).toBeLessThan(2700);
  });

  it('handles 100,000 levels of nesting without recursion, in linear time', () => {
    const depth = 100_000;
    const deepMeta = `{"metadata": {"x": ${'['.repeat(depth)}${']'.repeat(depth)}}, "cells": [{"source": "ok"}]}`;
    expect(decodeJsonString(deepMeta, mapOf(deepMeta).cells[0].source[0])).toBe('ok');
    expect(locateNotebookJson(`{"cells": [${'['.repeat(depth)}]}`)).toBeUndefined();
    // A string at every level of an output: recording paths must not copy them (quadratic).
    const levels = 50_000;
    const deepOut = `{"cells": [{"outputs": [${'{"a": ["s", '.repeat(levels)}0${']}'.repeat(levels)}]}]}`;
    const started = performance.now();
    const tokens = mapOf(deepOut).cells[0].outputStrings[0];
    expect(performance.now() - started).toBeLessThan(2000);
    expect(tokens).toHaveLength(levels * 2);
    const last = tokens[tokens.length - 1];
    expect(last.path).toHaveLength(levels * 2);
    expect(last.path.slice(-4)).toEqual(['a', 1, 'a', 0]);
  });
});

describe('sourcePosition', () => {
  /** Checks every character (and one past each line's end) of every cell against the raw text. */
  const checkAll = (text: string) => {
    const map = mapOf(text);
    const rawLines = text.split('\n');
    map.cells.forEach((cell, c) => {
      const decoded = cell.source.map((t) => decodeJsonString(text, t)).join('');
      if (!cell.source.length) return expect(sourcePosition(text, map, c, 1, 1)).toBeUndefined();
      const lines = decoded.split('\n');
      lines.forEach((line, l) => {
        for (let col = 1; col <= line.length; col++) {
          const pos = sourcePosition(text, map, c, l + 1, col)!;
          const raw = rawLines[pos.line - 1].slice(pos.column - 1);
          expect(encodings(line[col - 1]).some((e) => raw.startsWith(e)), `${c}:${l + 1}:${col} ${raw}`).toBe(true);
        }
        // Past the end: just after the line's last raw character, i.e. at its line break or closing quote.
        const end = sourcePosition(text, map, c, l + 1, line.length + 1)!;
        expect(sourcePosition(text, map, c, l + 1, line.length + 50)).toEqual(end);
        const after = rawLines[end.line - 1].slice(end.column - 1);
        expect(after.startsWith('\\n') || after.startsWith('"'), `${c}:${l + 1} end ${after}`).toBe(true);
        if (line.length) {
          const lastCh = sourcePosition(text, map, c, l + 1, line.length)!;
          const lastRaw = rawLines[lastCh.line - 1].slice(lastCh.column - 1);
          const width = encodings(line[line.length - 1]).find((e) => lastRaw.startsWith(e))!.length;
          expect(end).toEqual({ line: lastCh.line, column: lastCh.column + width });
        }
      });
      expect(sourcePosition(text, map, c, lines.length + 1, 1)).toBeUndefined();
    });
  };

  for (const [name, text] of Object.entries({ ...variants, python: PYTHON_ASCII })) {
    it(`maps every source character to its raw encoding (${name})`, () => checkAll(text));
  }

  it('puts list-source lines on their own raw lines, with exact columns', () => {
    const text = variants.indent1;
    const map = mapOf(text);
    const rawLines = text.split('\n');
    const lineOf = (needle: string) => rawLines.findIndex((l) => l.includes(needle)) + 1;
    // Line 1 of cell 1 is `x = "café 😀" \ \t end`; its raw line is `    "x = \"caf\u00e9 ...`.
    const first = lineOf('"x = ');
    expect(sourcePosition(text, map, 1, 1, 1)).toEqual({ line: first, column: rawLines[first - 1].indexOf('"x') + 2 });
    const rawFirst = rawLines[first - 1];
    expect(sourcePosition(text, map, 1, 1, 5)).toEqual({ line: first, column: rawFirst.indexOf('\\"caf') + 1 });
    const emoji = '\u{1F600}';
    const decodedCol = 'x = "caf\u00e9 '.length + 1;
    expect(sourcePosition(text, map, 1, 1, decodedCol)).toEqual({ line: first, column: rawFirst.indexOf(emoji) + 1 });
    expect(sourcePosition(text, map, 1, 1, decodedCol + 1)).toEqual({ line: first, column: rawFirst.indexOf(emoji) + 2 });
    const endCol = 'x = "caf\u00e9 \u{1F600}" \\ \t '.length + 1;
    expect(rawFirst.slice(sourcePosition(text, map, 1, 1, endCol)!.column - 1)).toMatch(/^end\\n",$/);
    expect(sourcePosition(text, map, 1, 2, 1)!.line).toBe(lineOf('"print(x)'));
    // The empty line 3 points inside its own "\n" token.
    const empty = sourcePosition(text, map, 1, 3, 1)!;
    expect(rawLines[empty.line - 1].slice(empty.column - 2)).toBe('"\\n",');
    expect(sourcePosition(text, map, 1, 4, 3)!.line).toBe(lineOf('"y = 1"'));
    expect(sourcePosition(text, map, 9, 1, 1)).toBeUndefined();
    expect(sourcePosition(text, map, 1, 0, 1)).toBeUndefined();
    expect(sourcePosition(text, map, 1, 1, 0)).toBeUndefined();
  });

  it('shares one raw line among the lines of a single-string source, and counts CRLF as one break', () => {
    for (const text of [variants.indent1, variants.crlf]) {
      const map = mapOf(text);
      const rawLines = text.split('\n');
      const row = rawLines.findIndex((l) => l.includes('"a = 1\\n')) + 1;
      const rawRow = rawLines[row - 1];
      expect(sourcePosition(text, map, 2, 1, 1)).toEqual({ line: row, column: rawRow.indexOf('a = 1') + 1 });
      expect(sourcePosition(text, map, 2, 2, 1)).toEqual({ line: row, column: rawRow.indexOf('b = ') + 1 });
      expect(sourcePosition(text, map, 2, 3, 1)).toEqual({ line: row, column: rawRow.indexOf('\\nc"') + 1 });
      expect(sourcePosition(text, map, 2, 4, 1)).toEqual({ line: row, column: rawRow.indexOf('c"') + 1 });
      expect(sourcePosition(text, map, 2, 4, 2)).toEqual({ line: row, column: rawRow.indexOf('c"') + 2 });
    }
  });

  it('takes an escaped \\u000A for a line break too', () => {
    const text = '{"cells": [{"source": "ab\\u000Acd\\u000a"}]}';
    const map = mapOf(text);
    expect(sourcePosition(text, map, 0, 1, 3)).toEqual({ line: 1, column: text.indexOf('\\u000A') + 1 });
    expect(sourcePosition(text, map, 0, 2, 1)).toEqual({ line: 1, column: text.indexOf('cd') + 1 });
    expect(sourcePosition(text, map, 0, 3, 1)).toEqual({ line: 1, column: text.indexOf('"}') + 1 });
    expect(sourcePosition(text, map, 0, 4, 1)).toBeUndefined();
  });

  it('maps \\uXXXX escapes, including surrogate pairs, to the start of each escape', () => {
    const text = PYTHON_ASCII;
    const map = mapOf(text);
    const rawLines = text.split('\n');
    const row = rawLines.findIndex((l) => l.includes('"x = ')) + 1;
    const raw = rawLines[row - 1];
    expect(sourcePosition(text, map, 0, 1, 9)).toEqual({ line: row, column: raw.indexOf('\\u00e9') + 1 });
    expect(sourcePosition(text, map, 0, 1, 11)).toEqual({ line: row, column: raw.indexOf('\\ud83d') + 1 });
    expect(sourcePosition(text, map, 0, 1, 12)).toEqual({ line: row, column: raw.indexOf('\\ude00') + 1 });
    // `\\u00e9` in line 2 is an escaped backslash followed by text, not an escape.
    const row2 = row + 1;
    expect(sourcePosition(text, map, 0, 2, 'print(x)\t# '.length + 1)).toEqual({
      line: row2,
      column: rawLines[row2 - 1].indexOf('\\\\u00e9') + 1,
    });
    expect(sourcePosition(text, map, 0, 2, 'print(x)\t# '.length + 2)).toEqual({
      line: row2,
      column: rawLines[row2 - 1].indexOf('u00e9') + 1,
    });
  });
});

describe('encodeJsonString / decodeJsonString', () => {
  const samples = [
    'plain', 'caf\u00e9', '\u{1F600} and \u2603', 'a"b\\c/d', '\b\f\n\r\t', '\u0000\u001b\u001f\u007f',
    'lone \ud800 high', 'lone \udc00 low', '\udbff\udfff', '\u2028\u2029', '',
  ];

  it('round-trips every string token of notebooks written by JSON.stringify and by Python', () => {
    const extra = { cells: [{ source: samples, outputs: [{ data: { 'text/plain': samples } }] }], metadata: { s: samples } };
    const texts = [
      ...Object.values(variants),
      PYTHON_ASCII,
      JSON.stringify(extra, null, 1),
      pythonStyle(JSON.stringify(extra, null, 1)),
    ];
    let count = 0;
    for (const text of texts) {
      for (const token of allStringTokens(text)) {
        const original = text.slice(token.start, token.end);
        expect(encodeJsonString(decodeJsonString(text, token), original)).toBe(original);
        count++;
      }
    }
    expect(count).toBeGreaterThan(300);
  });

  it('writes JSON.stringify style by default and follows the ensure_ascii style of a sample', () => {
    for (const s of samples) {
      expect(encodeJsonString(s)).toBe(JSON.stringify(s));
      expect(JSON.parse(encodeJsonString(s, '"\\u00e9"'))).toBe(s);
      expect(encodeJsonString(s, '"\\u00e9"')).toBe(pythonStyle(JSON.stringify(s)));
    }
    expect(encodeJsonString('\u00e9/\u{1F600}', '"\\u00E9"')).toBe('"\\u00E9/\\uD83D\\uDE00"');
    // An escaped backslash before `u00e9` is no \u escape; literal non-ASCII wins over escapes.
    expect(encodeJsonString('\u00e9', '"\\\\u00e9"')).toBe('"\u00e9"');
    expect(encodeJsonString('\u00e9', '"\u00e9 \\u00e9"')).toBe('"\u00e9"');
    // A whole file may serve as the sample.
    expect(encodeJsonString('\u2603', PYTHON_ASCII)).toBe('"\\u2603"');
    expect(decodeJsonString('x "a\\"\\u00e9\\n" y', { start: 2, end: 16 })).toBe('a"\u00e9\n');
    expect(decodeJsonString('"plain"', { start: 0, end: 7 })).toBe('plain');
  });
});
