// IPython and Databricks magics. No Python grammar understands them, so before parsing each
// line magic or shell escape is masked with text of the same length (offsets stay exact), and
// cells that start with a cell magic whose body is not Python are skipped, except shell cells
// (`%%bash`, Databricks `%sh`), whose commands are kept like shell escapes.

/** Cell magics whose body is still Python: the first line is masked, the rest analysed. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'python', 'python3', 'debug']);

/** Cell magics whose body is a shell script (`%%script bash` too): its commands are read like `!` lines. */
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'shell', 'zsh']);

/** Databricks language magics on a cell's first line (`%sql`, `%md`, ...): the cell is not Python. */
const DATABRICKS_LANGUAGE_MAGICS = new Set(['md', 'md-sandbox', 'sql', 'sh', 'scala', 'r', 'fs', 'run', 'pip', 'conda']);

/**
 * Masks a magic with a statement of the same length: `...` keeps an indented block parsing
 * (`for x in y:\n    !cmd`) and keeps a trailing magic the cell's last statement, so the line
 * before it is not mistaken for the cell's echoed expression.
 */
function maskStatement(length: number): string {
  return length >= 3 ? '...' + ' '.repeat(length - 3) : ' '.repeat(length);
}

const SUPPRESSION_MARKER = /\s#\s*nbguard:\s*ignore\b.*$/i;

/**
 * A magic's text masked as maskStatement does, but a `# nbguard: ignore[...]` comment at its end
 * kept as written: the parser reads suppressions from comments, and the magic's are its own.
 */
function maskKeepingMarker(text: string): string {
  const marker = SUPPRESSION_MARKER.exec(text);
  if (!marker || marker.index < 3) return maskStatement(text.length);
  return maskStatement(marker.index) + text.slice(marker.index);
}

/**
 * A line magic or shell escape as written, kept beside the masked code: `%env KEY=value` and
 * `!git clone https://user:token@...` can hold credentials, `x = !gcloud auth print-access-token`
 * reads one and `!env` prints every one.
 */
export interface LineMagic {
  /** Where the `!` or `%` stands in the cell's code (0-based). */
  readonly row: number;
  readonly column: number;
  /** The magic from its `!`/`%` to the end of its line, continuation lines joined with a space. */
  readonly text: string;
  /** How much of `text` is on the magic's first line (positions past it are approximate). */
  readonly firstLength: number;
  /** Whether its output is assigned (`files = !ls`) rather than shown. */
  readonly assigned: boolean;
  /** A command line of a shell cell (`%%bash`, Databricks `%sh`): `text` is the command as written, with no `!`. */
  readonly shell?: boolean;
}

/**
 * The lines of a cell's masked code with each magic's first line shown as written (`!pip install
 * x`, not the `...` the parser saw), for reports that show code; the lengths stay as they were
 * only where the magic's text fits its line.
 */
export function linesAsWritten(code: string, magics: readonly LineMagic[] | undefined): string[] {
  const lines = code.split('\n');
  for (const m of magics ?? []) {
    const line = lines[m.row];
    if (line === undefined) continue;
    lines[m.row] = line.slice(0, m.column) + m.text.slice(0, m.firstLength) + line.slice(m.column + m.firstLength);
  }
  return lines;
}

/**
 * IPython's automagic: `pip install x`, `conda install y`, `cd data` run as `%pip`, `%conda`, `%cd`
 * (the name followed by a word is no Python statement). Only these common ones, whose next word
 * cannot continue a Python expression.
 */
const AUTOMAGIC = /^(?:pip3?|conda|mamba|uv)\s+[A-Za-z]|^cd\s+[\w~/.'"-]/;

/** Matches `name = !cmd` / `name = %magic` assignments (IPython captures the output). */
const MAGIC_ASSIGNMENT = /^(\s*[A-Za-z_][\w.,\s]*?\s*=\s*)([!%].*)$/;

/** A character or line start without which no line below is a magic. */
const MAYBE_MAGIC = /[%!?]|^[ \t]*(?:pip3?|conda|mamba|uv|cd)[ \t]/m;

/**
 * A line that may be a magic, looser than the tests in maskLineMagics: most cells with a `%` or
 * `!` (formatting, `!=`) have none, and are not scanned line by line. Its blanks are never line
 * ends (`\n`, and `\r`, U+2028, U+2029, where `^` also matches): from every start in a long run
 * of blank lines, `^\s*` would read to the run's end, quadratic in the run.
 */
const MAYBE_MAGIC_LINE = /^[^\S\n\r\u2028\u2029]*[%!?]|^[^\S\n\r\u2028\u2029]*[\w.]+\?\??[^\S\n\r\u2028\u2029]*$|^[^\S\n\r\u2028\u2029]*(?:pip3?|conda|mamba|uv|cd)\s|=[^\S\n\r\u2028\u2029]*[!%]/m;

/**
 * Masks IPython line magics (`%pip`, `%run`), shell escapes (`!ls`), help lines (`obj?`) and
 * magic assignments (`files = !ls`) in a cell, keeping every line's length.
 */
export function maskLineMagics(code: string, found?: LineMagic[]): string {
  if (!MAYBE_MAGIC.test(code) || !MAYBE_MAGIC_LINE.test(code)) return code;
  const lines = code.split('\n');
  let changed = false;
  const state: ScanState = { brackets: 0, triple: '' };
  /** The magic whose line ended with `\`: IPython joins the next line to it. */
  let continued: { row: number; column: number; parts: string[]; assigned: boolean } | undefined;
  const flush = () => {
    if (continued && found) {
      const { row, column, parts, assigned } = continued;
      found.push({ row, column, text: parts.join(' '), firstLength: parts[0].length, assigned });
    }
    continued = undefined;
  };
  const start = (row: number, column: number, text: string, assigned: boolean) => {
    continued = { row, column, parts: [], assigned };
    extend(text);
  };
  const extend = (text: string) => {
    const body = text.trimEnd();
    const joined = body.endsWith('\\');
    continued?.parts.push((joined ? body.slice(0, -1) : body).trim());
    if (!joined) flush();
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trimStart();
    if (continued) {
      lines[i] = ' '.repeat(line.length);
      changed = true;
      extend(line);
      continue;
    }
    // Inside a bracketed expression or a triple-quoted string a leading % or ! is not a magic.
    if (state.brackets === 0 && state.triple === '' && trimmed.length > 0) {
      const indent = line.length - trimmed.length;
      if (trimmed[0] === '%' || trimmed[0] === '!' || trimmed[0] === '?' || /^[\w.]+\?\??\s*$/.test(trimmed)) {
        lines[i] = line.slice(0, indent) + maskKeepingMarker(trimmed);
        changed = true;
        start(i, indent, trimmed, false);
        continue;
      }
      if (AUTOMAGIC.test(trimmed)) {
        lines[i] = line.slice(0, indent) + maskKeepingMarker(trimmed);
        changed = true;
        // Kept as the magic IPython runs (`%pip install ...`), one column to the left.
        start(i, indent - 1, `%${trimmed}`, false);
        continue;
      }
      const m = MAGIC_ASSIGNMENT.exec(line);
      if (m) {
        lines[i] = m[1] + (m[2].length >= 3 ? maskKeepingMarker(m[2]) : '...');
        changed = true;
        start(i, m[1].length, m[2], true);
        continue;
      }
    }
    scanLine(line, state);
  }
  flush();
  return changed ? lines.join('\n') : code;
}

interface ScanState {
  brackets: number;
  /** The triple quote that opened a string still open at the end of the line, or ''. */
  triple: string;
}

/** Tracks open brackets and triple-quoted strings across lines, roughly (enough for masking). */
function scanLine(line: string, state: ScanState): void {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (state.triple) {
      if (ch === '\\') i++;
      else if (line.startsWith(state.triple, i)) { i += 2; state.triple = ''; }
    } else if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      if (line.startsWith(ch.repeat(3), i)) { state.triple = ch.repeat(3); i += 2; } else quote = ch;
    } else if (ch === '#') break;
    else if (ch === '(' || ch === '[' || ch === '{') state.brackets++;
    else if (ch === ')' || ch === ']' || ch === '}') state.brackets = Math.max(0, state.brackets - 1);
  }
}

export interface CellMagicResult {
  /** The code to analyse (first line masked), or undefined when the cell is skipped. */
  readonly code?: string;
  /** Why the cell is skipped. */
  readonly skipReason?: string;
  /** The line magics and shell escapes masked in `code`, when there are any. */
  readonly magics?: readonly LineMagic[];
}

/** `{ magics }` for a Cell when there are any, `{}` otherwise. */
export function magicsOf(prepared: { readonly magics?: readonly LineMagic[] }): { magics?: readonly LineMagic[] } {
  return prepared.magics && prepared.magics.length > 0 ? { magics: prepared.magics } : {};
}

/**
 * A shell cell's commands as magics (continuation lines joined, `#` comments left out), each
 * masked with `...` like a shell escape: the body after the first line of `code` (which is
 * already masked) runs in a shell, whose commands can print secrets (`env`, `echo $TOKEN`), hold
 * credentials (`export OPENAI_API_KEY=...`) or put them into URLs (`curl "...?key=$API_KEY"`).
 */
function withShellLines(code: string): CellMagicResult {
  const lines = code.split('\n');
  const magics: LineMagic[] = [];
  let open: { row: number; column: number; parts: string[] } | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const body = line.trimEnd();
    const joined = body.endsWith('\\');
    const part = (joined ? body.slice(0, -1) : body).trim();
    if (open) {
      open.parts.push(part);
      lines[i] = ' '.repeat(line.length);
    } else {
      if (part === '' || part.startsWith('#')) continue;
      const indent = line.length - line.trimStart().length;
      open = { row: i, column: indent, parts: [part] };
      lines[i] = line.slice(0, indent) + maskKeepingMarker(line.slice(indent));
    }
    if (!joined) {
      magics.push({ row: open.row, column: open.column, text: open.parts.join(' '), firstLength: open.parts[0].length, assigned: false, shell: true });
      open = undefined;
    }
  }
  if (open) magics.push({ row: open.row, column: open.column, text: open.parts.join(' '), firstLength: open.parts[0].length, assigned: false, shell: true });
  return magics.length > 0 ? { code: lines.join('\n'), magics } : { code: lines.join('\n') };
}

/** Masks a cell's line magics and keeps them beside the code. */
function withLineMagics(code: string): CellMagicResult {
  const magics: LineMagic[] = [];
  const masked = maskLineMagics(code, magics);
  return magics.length > 0 ? { code: masked, magics } : { code: masked };
}

/** A cell's first non-blank text when it is a magic: its indent, `%` or `%%`, and its name. */
const CELL_MAGIC = /^(\s*)(%%?)([\w-]+)?/;

/** Whether the cell magic `percents` + `name` (lower-case) starting `code` runs its body in a shell. */
function isShellMagic(percents: string, name: string, code: string): boolean {
  if (percents === '%') return name === 'sh';
  return SHELL_CELL_MAGICS.has(name) || (name === 'script' && /^\s*%%script\s+(?:\S*\/)?(?:ba|z)?sh\b/.test(code));
}

/** Whether a cell is a shell cell (`%%bash`, `%%sh`, `%%script bash`, Databricks `%sh`), whose lines are shell commands. */
export function isShellCell(code: string): boolean {
  const m = CELL_MAGIC.exec(code);
  return m !== null && m[3] !== undefined && isShellMagic(m[2], m[3].toLowerCase(), code);
}

/**
 * Applies cell-level magic rules: `%%sql`-style cells and Databricks `%sql`/`%md` cells are
 * skipped; `%%time`-style and `%python` cells have their first line masked; all others have
 * their line magics masked.
 */
export function prepareCellCode(code: string): CellMagicResult {
  // A pasted interactive session (`>>> x = 1`, `... `): a transcript, not the cell's code.
  if (/^\s*>>>/.test(code)) return { skipReason: 'a pasted >>> session' };
  const firstNonBlank = CELL_MAGIC.exec(code);
  if (firstNonBlank && firstNonBlank[0].trim().length > 0) {
    const [, lead, percents, rawName = ''] = firstNonBlank;
    const name = rawName.toLowerCase();
    const lineEnd = code.indexOf('\n', lead.length);
    const end = lineEnd < 0 ? code.length : lineEnd;
    const masked = code.slice(0, lead.length) + ' '.repeat(end - lead.length) + code.slice(end);
    if (percents === '%%') {
      if (PYTHON_BODY_CELL_MAGICS.has(name)) return withLineMagics(masked);
      if (isShellMagic(percents, name, code)) return withShellLines(masked);
      return { skipReason: `cell magic %%${rawName}` };
    }
    if (name === 'python') return withLineMagics(masked);
    if (isShellMagic(percents, name, code)) return withShellLines(masked);
    if (DATABRICKS_LANGUAGE_MAGICS.has(name) && name !== 'run' && name !== 'pip' && name !== 'conda') {
      return { skipReason: `%${rawName} cell` };
    }
  }
  return withLineMagics(code);
}
