// Where a name is used as code in a snippet of Python (a print call, an f-string): not inside a
// string literal or a comment, but inside an f-string's replacement fields. The masking fix
// rewrites `print("conn:", conn)` to `print("conn:", conn[-4:])` and `f"pw={pw}"` to
// `f"pw={pw[-4:]}"`, and must leave the word "conn" in the string alone.

type Frame = { readonly kind: 'code'; depth: number } | { readonly kind: 'string'; readonly quote: string; readonly f: boolean };

const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

/** The offsets in `code` where the identifier `name` is used as code. */
export function codeUsesOf(code: string, name: string): number[] {
  const uses: number[] = [];
  const stack: Frame[] = [{ kind: 'code', depth: 0 }];
  const openString = (at: number, prefix: string): number => {
    const quote = code.startsWith(code[at].repeat(3), at) ? code[at].repeat(3) : code[at];
    stack.push({ kind: 'string', quote, f: /[fF]/.test(prefix) });
    return at + quote.length;
  };
  let i = 0;
  while (i < code.length) {
    const top = stack[stack.length - 1];
    const ch = code[i];
    if (top.kind === 'string') {
      if (ch === '\\') i += 2; // even in a raw string, \" does not end it
      else if (code.startsWith(top.quote, i)) { stack.pop(); i += top.quote.length; }
      else if (top.f && ch === '{') {
        if (code[i + 1] === '{') i += 2;
        else { stack.push({ kind: 'code', depth: 0 }); i++; }
      } else i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const word = /^\w+/.exec(code.slice(i, i + 256))![0];
      const next = code[i + word.length];
      if ((next === '"' || next === "'") && STRING_PREFIX.test(word)) i = openString(i + word.length, word);
      else {
        if (word === name) uses.push(i);
        i += word.length;
      }
    } else if (/\d/.test(ch)) i += /^\w+/.exec(code.slice(i, i + 64))![0].length; // 1e5, 0x1f: not names
    else if (ch === '"' || ch === "'") i = openString(i, '');
    else if (ch === '#' && stack.length === 1) i = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
    else {
      if ('([{'.includes(ch)) top.depth++;
      else if (')]}'.includes(ch)) {
        if (ch === '}' && top.depth === 0 && stack.length > 1) stack.pop(); // the end of an f-string's field
        else top.depth = Math.max(0, top.depth - 1);
      }
      i++;
    }
  }
  return uses;
}

/** The offset after the string literal that starts at `at` (with its prefix letters, if any), or after `at`. */
function afterString(code: string, at: number): number {
  const quote = code.startsWith(code[at].repeat(3), at) ? code[at].repeat(3) : code[at];
  for (let i = at + quote.length; i < code.length; i++) {
    if (code[i] === '\\') i++;
    else if (code.startsWith(quote, i)) return i + quote.length;
  }
  return code.length;
}

/** The offset after the bracket group that opens at `at` (strings inside skipped). */
function afterGroup(code: string, at: number): number {
  let depth = 0;
  for (let i = at; i < code.length; i++) {
    const ch = code[i];
    if (ch === '"' || ch === "'") i = afterString(code, i) - 1;
    else if (ch === '#') i = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && --depth === 0) return i + 1;
  }
  return code.length;
}

/**
 * The ends of the expression that starts at `at` with a name (`os.environ.get("K")[:4]`), after
 * each call or subscript of it: `os.environ.get("K")`, then `os.environ.get("K")[:4]`.
 */
export function expressionEnds(code: string, at: number): number[] {
  const ends: number[] = [];
  let i = at;
  const name = /^[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*/.exec(code.slice(at, at + 512));
  if (!name) return ends;
  i += name[0].length;
  for (;;) {
    if (code[i] === '(' || code[i] === '[') {
      i = afterGroup(code, i);
      ends.push(i);
    } else {
      const attr = /^\.\s*[A-Za-z_]\w*/.exec(code.slice(i, i + 256));
      if (!attr) return ends.length > 0 ? ends : [i];
      i += attr[0].length;
    }
  }
}
