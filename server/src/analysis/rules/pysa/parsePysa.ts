// Reads Pysa model files (.pysa): Python-like stubs that name a callable by its dotted path
// and annotate its return and parameters with taint, e.g.
//   def dbutils.secrets.get(scope, key) -> TaintSource[UserSecrets]: ...
//   def dbutils.fs.put(file, contents: TaintSink[FileSystem_ReadWrite], overwrite): ...
//   @Sanitize
//   def acme.mask(value): ...
// Each statement becomes a PysaModel with its line; statements nbguard has no counterpart for
// (ModelQuery, class models, attribute models) are returned as skipped with the reason.
// Syntax that Pysa itself would reject is an error naming the file and line.

export interface Annotation {
  readonly name: string;
  readonly args: readonly Annotation[];
}

export interface PysaParameter {
  readonly name: string;
  /** 0-based position among the positional parameters after self/cls; undefined if keyword-only or starred. */
  readonly position?: number;
  readonly star?: '*' | '**';
  readonly annotation?: Annotation;
}

export interface PysaModel {
  readonly line: number;
  /** Dotted name as written: dbutils.secrets.get, pyspark.sql.conf.RuntimeConfig.set. */
  readonly callable: string;
  /** True when the first parameter is self or cls (a method model). */
  readonly method: boolean;
  readonly decorators: readonly Annotation[];
  readonly parameters: readonly PysaParameter[];
  readonly returns?: Annotation;
}

export interface SkippedStatement {
  readonly line: number;
  readonly reason: string;
}

export class PysaSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

interface Statement {
  readonly line: number;
  readonly text: string;
}

/** Joins physical lines into statements: brackets and strings may span lines. */
function statements(source: string): Statement[] {
  const out: Statement[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  let start = 0;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let kept = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quote) {
        kept += ch;
        if (ch === '\\') kept += line[++i] ?? '';
        else if (line.startsWith(quote, i)) {
          kept += quote.slice(1);
          i += quote.length - 1;
          quote = '';
        }
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") quote = line.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      if (quote.length === 3) {
        kept += quote;
        i += 2;
        continue;
      }
      if ('([{'.includes(ch)) depth++;
      if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
      kept += ch;
    }
    if (current === '' && kept.trim() === '') continue;
    if (current === '') start = n + 1;
    current += (current ? ' ' : '') + kept.trim();
    if (depth === 0 && !quote && !current.endsWith('\\')) {
      out.push({ line: start, text: current });
      current = '';
    } else if (current.endsWith('\\')) current = current.slice(0, -1);
  }
  if (current) throw new PysaSyntaxError(start, 'unclosed bracket or string');
  return out;
}

/** Splits at commas outside brackets and strings. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let part = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') part += ch + (text[++i] ?? '');
      else {
        if (ch === quote) quote = '';
        part += ch;
      }
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(part.trim());
      part = '';
      continue;
    }
    part += ch;
  }
  if (part.trim()) parts.push(part.trim());
  return parts;
}

/** `TaintSink[A, Via[b]]` -> {name: TaintSink, args: [{A}, {Via, [b]}]}; also `Sanitize(...)`. */
export function parseAnnotation(text: string, line: number): Annotation {
  const t = text.trim();
  const m = /^([A-Za-z_][\w.]*|-?\d+|"[^"]*"|'[^']*')\s*([[(]([\s\S]*)[\])])?$/.exec(t);
  if (!m) throw new PysaSyntaxError(line, `cannot read the annotation "${t}"`);
  return { name: m[1], args: m[3] !== undefined ? splitTopLevel(m[3]).map((a) => parseAnnotation(a.replace(/^\w+\s*=\s*/, ''), line)) : [] };
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && --depth === 0) return i;
  }
  return -1;
}

function parseParameters(text: string, line: number): { parameters: PysaParameter[]; method: boolean } {
  const raw = splitTopLevel(text);
  const method = raw.length > 0 && /^(self|cls)\b/.test(raw[0]);
  const parameters: PysaParameter[] = [];
  let position = 0;
  let keywordOnly = false;
  raw.forEach((p, i) => {
    if (p === '/') return;
    if (p === '*') {
      keywordOnly = true;
      return;
    }
    const m = /^(\*\*|\*)?\s*([A-Za-z_]\w*)\s*(?::\s*([\s\S]+?))?\s*(?:=\s*[\s\S]*)?$/.exec(p);
    if (!m) throw new PysaSyntaxError(line, `cannot read the parameter "${p}"`);
    const [, star, name, annotation] = m;
    if (star === '*') keywordOnly = true;
    const self = i === 0 && method;
    parameters.push({
      name,
      ...(star ? { star: star as '*' | '**' } : {}),
      ...(!star && !keywordOnly && !self ? { position: position++ } : {}),
      ...(annotation ? { annotation: parseAnnotation(annotation, line) } : {}),
    });
  });
  return { parameters, method };
}

export interface PysaFile {
  readonly models: PysaModel[];
  readonly skipped: SkippedStatement[];
}

export function parsePysa(source: string): PysaFile {
  const models: PysaModel[] = [];
  const skipped: SkippedStatement[] = [];
  let decorators: Annotation[] = [];
  for (const { line, text } of statements(source)) {
    if (text.startsWith('@')) {
      decorators.push(parseAnnotation(text.slice(1), line));
      continue;
    }
    const def = /^def\s+([A-Za-z_][\w.]*)\s*\(/.exec(text);
    if (def) {
      const open = def[0].length - 1;
      const close = closing(text, open);
      if (close < 0) throw new PysaSyntaxError(line, `the parameters of ${def[1]} are not closed`);
      const rest = text.slice(close + 1).trim();
      const tail = /^(?:->\s*([\s\S]+?))?\s*:\s*\.\.\.\s*$/.exec(rest);
      if (!tail) throw new PysaSyntaxError(line, `a model must end with ": ..." (def ${def[1]}(...): ...)`);
      const { parameters, method } = parseParameters(text.slice(open + 1, close), line);
      models.push({
        line,
        callable: def[1],
        method,
        decorators,
        parameters,
        ...(tail[1] ? { returns: parseAnnotation(tail[1], line) } : {}),
      });
      decorators = [];
      continue;
    }
    decorators = [];
    if (/^ModelQuery\s*\(/.test(text)) skipped.push({ line, reason: 'ModelQuery is not supported; write the models it would generate' });
    else if (/^class\s/.test(text)) skipped.push({ line, reason: 'class models are not supported; model the methods' });
    else if (/^(if|elif)\s.*:$|^else\s*:$/.test(text)) skipped.push({ line, reason: 'version conditions are ignored: the models under them are all read' });
    else if (/^[A-Za-z_][\w.]*\s*:/.test(text)) skipped.push({ line, reason: 'attribute models are not supported; model a call instead' });
    else throw new PysaSyntaxError(line, `not a Pysa model: "${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`);
  }
  return { models, skipped };
}
