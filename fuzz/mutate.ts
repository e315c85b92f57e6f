// Mutators: JSON-level (notebooks, audit records), code-level (cell sources), and byte-level
// (logs, any file). Each takes the run's Rng and returns a new value; none throws.

import type { Rng } from './prng';

// ---- JSON ------------------------------------------------------------------------------------

/** An object that serializes with duplicate keys: `{"a": 1, "a": 2}`. */
export class DupKeys {
  constructor(readonly entries: [string, unknown][]) {}
}

/** JSON text that may hold DupKeys objects. Iterative: a mutated document may be nested deeper than the stack. */
export function serialize(value: unknown, indent = false): string {
  const out: string[] = [];
  const nl = indent ? '\n' : '';
  // Work items in reverse order: a value to write, or text to write as it is.
  const stack: ({ value: unknown } | { text: string })[] = [{ value }];
  const pushEntries = (entries: [string, unknown][], open: string, close: string, keyed: boolean): void => {
    stack.push({ text: close });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i];
      stack.push({ value: x });
      stack.push({ text: `${i ? ',' : ''}${nl}${keyed ? `${JSON.stringify(k)}: ` : ''}` });
    }
    stack.push({ text: open });
  };
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const v = item.value;
    if (v instanceof DupKeys) pushEntries(v.entries, '{', '}', true);
    else if (v instanceof RawJson) out.push(v.text);
    else if (Array.isArray(v)) pushEntries(v.map((x, i) => [String(i), x]), '[', ']', false);
    else if (v && typeof v === 'object') pushEntries(Object.entries(v), '{', '}', true);
    else out.push(v === undefined ? 'null' : JSON.stringify(v));
  }
  return out.join('');
}

/** Text pasted into the JSON as it is (deeply nested values, made as text so building them cannot overflow). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `[[[...]]]` or `{"a": {"a": ...}}` `depth` deep, as text. */
export function deepJson(rng: Rng, depth: number): RawJson {
  const kind = rng.int(3);
  if (kind === 0) return new RawJson('['.repeat(depth) + '"x"' + ']'.repeat(depth));
  if (kind === 1) return new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
  return new RawJson('[{"data":'.repeat(depth) + '{"text/plain":"x"}' + '}]'.repeat(depth));
}

interface Slot {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

/** Every (parent, key) position in a JSON tree, up to `limit` of them. */
function slots(root: unknown, limit = 5000): Slot[] {
  const found: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && found.length < limit) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        found.push({ parent: v, key: i });
        stack.push(x);
      });
    } else if (v && typeof v === 'object' && !(v instanceof RawJson) && !(v instanceof DupKeys)) {
      for (const [k, x] of Object.entries(v)) {
        found.push({ parent: v as Record<string, unknown>, key: k });
        stack.push(x);
      }
    }
  }
  return found;
}

function objects(root: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const s of slots(root)) {
    const v = (s.parent as Record<string, unknown>)[s.key as string];
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson) && !(v instanceof DupKeys)) out.push(v as Record<string, unknown>);
  }
  if (root && typeof root === 'object' && !Array.isArray(root)) out.push(root as Record<string, unknown>);
  return out;
}

export function wrongValue(rng: Rng, depthMax = 50): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => rng.int(1e6) - 5e5,
    () => 1e308 * 10, // serializes as null
    () => rng.chance(0.5),
    () => '',
    () => rng.word(1, 20),
    () => [],
    () => ({}),
    () => [rng.word(), rng.int(9), null],
    () => ({ [rng.word()]: rng.word() }),
    () => deepJson(rng, 1 + rng.int(depthMax)),
    () => '\u0000\ud800\uffff',
  ])();
}

export type JsonMutation = 'delete-key' | 'duplicate-key' | 'swap-keys' | 'wrong-type' | 'deep-nesting' | 'huge-string' | 'swap-values' | 'duplicate-element';

/** Applies one JSON-level mutation to the tree in place (the root may be replaced: use the result). */
export function mutateJson(rng: Rng, root: unknown, opts: { deepMax: number; hugeMax: number }): { root: unknown; what: JsonMutation } {
  const what = rng.pick<JsonMutation>(['delete-key', 'duplicate-key', 'swap-keys', 'wrong-type', 'wrong-type', 'deep-nesting', 'huge-string', 'swap-values', 'duplicate-element']);
  const all = slots(root);
  const objs = objects(root);
  if (all.length === 0) return { root: wrongValue(rng), what: 'wrong-type' };
  switch (what) {
    case 'delete-key': {
      const s = rng.pick(all);
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      break;
    }
    case 'duplicate-key': {
      const s = rng.pick(all);
      if (Array.isArray(s.parent)) break;
      const v = s.parent[s.key as string];
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        // make the parent's entries carry the key twice
        const entries = Object.entries(s.parent) as [string, unknown][];
        entries.splice(rng.int(entries.length + 1), 0, [s.key as string, rng.chance(0.5) ? wrongValue(rng) : v]);
        const dup = new DupKeys(entries);
        const up = all.find((x) => (x.parent as Record<string, unknown>)[x.key as string] === s.parent);
        if (up) (up.parent as Record<string, unknown>)[up.key as string] = dup;
        else return { root: dup, what };
      }
      break;
    }
    case 'swap-keys': {
      const o = rng.pick(objs.length ? objs : [{}]);
      const keys = Object.keys(o);
      if (keys.length >= 2) {
        const a = rng.pick(keys);
        const b = rng.pick(keys);
        const va = o[a];
        o[a] = o[b];
        o[b] = va;
      }
      break;
    }
    case 'swap-values': {
      const a = rng.pick(all);
      const b = rng.pick(all);
      const pa = a.parent as Record<string | number, unknown>;
      const pb = b.parent as Record<string | number, unknown>;
      const va = pa[a.key];
      const vb = pb[b.key];
      // no cycles: only swap leaves
      if ((va === null || typeof va !== 'object') && (vb === null || typeof vb !== 'object')) {
        pa[a.key] = vb;
        pb[b.key] = va;
      }
      break;
    }
    case 'wrong-type': {
      const s = rng.pick(all);
      (s.parent as Record<string | number, unknown>)[s.key] = wrongValue(rng);
      break;
    }
    case 'deep-nesting': {
      const s = rng.pick(all);
      (s.parent as Record<string | number, unknown>)[s.key] = deepJson(rng, rng.size(100, opts.deepMax));
      break;
    }
    case 'huge-string': {
      const s = rng.pick(all);
      (s.parent as Record<string | number, unknown>)[s.key] = hugeString(rng, rng.size(1000, opts.hugeMax));
      break;
    }
    case 'duplicate-element': {
      const arrays = all.map((s) => (s.parent as Record<string | number, unknown>)[s.key]).filter((v): v is unknown[] => Array.isArray(v) && v.length > 0);
      if (arrays.length) {
        const arr = rng.pick(arrays);
        const n = rng.size(1, 200);
        const el = arr[rng.int(arr.length)];
        for (let i = 0; i < n; i++) arr.splice(rng.int(arr.length + 1), 0, structuredCloneSafe(el));
      }
      break;
    }
  }
  return { root, what };
}

function structuredCloneSafe(v: unknown): unknown {
  if (v instanceof RawJson || v instanceof DupKeys) return v;
  try {
    return JSON.parse(JSON.stringify(v));
  } catch {
    return v;
  }
}

export function hugeString(rng: Rng, n: number): string {
  const unit = rng.pick(['a', 'x = 1\n', '0123456789abcdef', 'é', '\\', '"', ' ', 'AKIA', '\n', 'print(pw)\n']);
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

// ---- code ----------------------------------------------------------------------------------------

export const CODE_MUTATIONS = [
  'cut',
  'duplicate-line',
  'swap-lines',
  'unbalanced-bracket',
  'deep-parens',
  'deep-not',
  'deep-minus',
  'deep-list',
  'deep-fstring',
  'deep-indent',
  'deep-call',
  'long-line',
  'long-binop',
  'syntax-error',
  'insert-token',
  'magic',
  'tabs-crlf',
] as const;
export type CodeMutation = (typeof CODE_MUTATIONS)[number];

const TOKENS = ['(', ')', '[', ']', '{', '}', ':', '"', "'", '"""', 'f"', '\\', '#', '=', 'lambda', 'def', 'class', 'if', 'else', 'async', 'await', 'yield', '*', '**', '@', '->', ':=', 'match', 'case', '\t', '\r', '\u00a0', '\ufeff', 'é', '\ud83d\ude00', '\u0000', 'print(pw)', 'pw', 'dbutils.secrets.get("a", "b")'];

/** One code-level mutation of a cell's source. `scale` caps the sizes (depths, lengths). */
export function mutateCode(rng: Rng, code: string, scale: number): { code: string; what: CodeMutation } {
  const what = rng.pick(CODE_MUTATIONS);
  const lines = code.split('\n');
  const at = rng.int(lines.length + 1);
  const insert = (s: string) => [...lines.slice(0, at), s, ...lines.slice(at)].join('\n');
  const depth = () => rng.size(10, scale);
  switch (what) {
    case 'cut': {
      if (code.length === 0) return { code, what };
      const a = rng.int(code.length);
      const b = Math.min(code.length, a + rng.size(1, Math.max(1, code.length - a)));
      return { code: code.slice(0, a) + code.slice(b), what };
    }
    case 'duplicate-line': {
      const line = lines[rng.int(lines.length)];
      const n = rng.size(1, Math.max(1, scale / 4));
      return { code: insert(Array.from({ length: n }, () => line).join('\n')), what };
    }
    case 'swap-lines': {
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { code: lines.join('\n'), what };
    }
    case 'unbalanced-bracket': {
      const pos = rng.int(code.length + 1);
      return { code: code.slice(0, pos) + rng.pick(['(', ')', '[', ']', '{', '}', '"', "'", '"""', "f'{"]).repeat(rng.size(1, 50)) + code.slice(pos), what };
    }
    case 'deep-parens': {
      const n = depth();
      return { code: insert(`x = ${'('.repeat(n)}pw${')'.repeat(n)}\nprint(x)`), what };
    }
    case 'deep-not': {
      const n = depth();
      return { code: insert(`x = ${'not '.repeat(n)}pw\nprint(x)`), what };
    }
    case 'deep-minus': {
      const n = depth();
      return { code: insert(`x = ${rng.pick(['-', '~', '+', '- '])!.repeat(n)}pw\nprint(x)`), what };
    }
    case 'deep-list': {
      const n = depth();
      const [o, c] = rng.pick([['[', ']'], ['{', '}'], ['(', ',)'], ['{"k": ', '}']]);
      return { code: insert(`x = ${o.repeat(n)}pw${c.repeat(n)}\nprint(x)`), what };
    }
    case 'deep-fstring': {
      const n = Math.min(depth(), 2000);
      const q = ['"', "'"];
      let s = 'pw';
      for (let i = 0; i < n; i++) s = `f${q[i % 2]}{${s}}${q[i % 2]}`;
      return { code: insert(`x = ${s}\nprint(x)`), what };
    }
    case 'deep-indent': {
      const n = Math.min(depth(), 3000);
      const body = Array.from({ length: n }, (_, i) => `${' '.repeat(i)}if pw:`).join('\n') + `\n${' '.repeat(n)}print(pw)`;
      return { code: insert(body), what };
    }
    case 'deep-call': {
      const n = depth();
      const f = rng.pick(['f(', 'str(', 'print(', 'a.b(', 'x[']);
      const close = f === 'x[' ? ']' : ')';
      return { code: insert(`y = ${f.repeat(n)}pw${close.repeat(n)}`), what };
    }
    case 'long-line': {
      const n = rng.size(1000, scale * 200);
      return { code: insert(rng.pick([`s = "${'a'.repeat(n)}"`, `x = [${'1, '.repeat(n / 3)}]`, `# ${'#'.repeat(n)}`, `t = pw + "${'b'.repeat(n)}"\nprint(t)`])), what };
    }
    case 'long-binop': {
      const n = rng.size(10, scale * 10);
      return { code: insert(`x = ${Array.from({ length: n }, () => rng.pick(['pw', '"a"', '1', 'y'])).join(rng.pick([' + ', ' and ', ' or ', ', ', ' % ']))}\nprint(x)`), what };
    }
    case 'syntax-error': {
      const bad = rng.pick(['def f(:', 'x = = 1', 'class :', 'print(pw', ')', 'if x\n  y', 'lambda: :', '"""unterminated', 'for in x:', 'return return']);
      return { code: insert(bad), what };
    }
    case 'insert-token': {
      const pos = rng.int(code.length + 1);
      return { code: code.slice(0, pos) + rng.pick(TOKENS) + code.slice(pos), what };
    }
    case 'magic': {
      return { code: insert(rng.pick(['%sql SELECT 1', '%pip install x', '%run ./child', '!ls -la', '%%time', '%md # title', '%sh echo $TOKEN', '%python', '%scala val x = 1'])), what };
    }
    case 'tabs-crlf': {
      return { code: rng.chance(0.5) ? code.replaceAll('\n', '\r\n') : code.replaceAll('    ', '\t'), what };
    }
  }
}

// ---- bytes ----------------------------------------------------------------------------------------

export const BYTE_MUTATIONS = ['truncate', 'broken-utf8', 'random-bytes', 'crlf', 'cut-span', 'duplicate-span', 'bom', 'nul'] as const;
export type ByteMutation = (typeof BYTE_MUTATIONS)[number];

const BROKEN_UTF8 = [
  [0xff],
  [0xfe],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
  [0xbf, 0xbf],
];

export function mutateBytes(rng: Rng, buf: Buffer, which?: ByteMutation): { buf: Buffer; what: ByteMutation } {
  const what = which ?? rng.pick(BYTE_MUTATIONS);
  const pos = rng.int(buf.length + 1);
  switch (what) {
    case 'truncate':
      return { buf: buf.subarray(0, pos), what };
    case 'broken-utf8': {
      const n = rng.size(1, 20);
      let out = buf;
      for (let i = 0; i < n; i++) {
        const p = rng.int(out.length + 1);
        out = Buffer.concat([out.subarray(0, p), Buffer.from(rng.pick(BROKEN_UTF8)), out.subarray(p)]);
      }
      return { buf: out, what };
    }
    case 'random-bytes': {
      const n = rng.size(1, 4096);
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = rng.int(256);
      return { buf: Buffer.concat([buf.subarray(0, pos), bytes, buf.subarray(pos)]), what };
    }
    case 'crlf': {
      const s = buf.toString('latin1');
      const out = rng.chance(0.5) ? s.replaceAll('\n', '\r\n') : s.replace(/\n/g, () => (rng.chance(0.3) ? '\r\n' : rng.chance(0.1) ? '\r' : '\n'));
      return { buf: Buffer.from(out, 'latin1'), what };
    }
    case 'cut-span': {
      const end = Math.min(buf.length, pos + rng.size(1, Math.max(1, buf.length - pos)));
      return { buf: Buffer.concat([buf.subarray(0, pos), buf.subarray(end)]), what };
    }
    case 'duplicate-span': {
      const end = Math.min(buf.length, pos + rng.size(1, 4096));
      const span = buf.subarray(pos, end);
      const times = rng.size(1, 20);
      return { buf: Buffer.concat([buf.subarray(0, end), ...Array.from({ length: times }, () => span), buf.subarray(end)]), what };
    }
    case 'bom':
      return { buf: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]), what };
    case 'nul':
      return { buf: Buffer.concat([buf.subarray(0, pos), Buffer.from([0]), buf.subarray(pos)]), what };
  }
}
