// The quick fixes for one finding, planned once for every editor: the language server turns them
// into LSP code actions, JupyterLab into buttons on the findings panel. Each is either edits of
// the text holding the finding (a cell's source, or a .py file) or an action on the cell's
// stored outputs, which only a notebook client can take.
//   NBG201  replace the literal with a read from where the notebook keeps its secrets: its
//           Databricks scope, Colab's or Kaggle's secrets, or os.environ[...]
//   NBG102  pass the secret scope and key names to the child notebook instead of the secret
//   NBG101  mask the value (its last 4 characters), or remove the statement
//   NBG401  clear the cell's outputs, or redact the credentials in them
//   all     add `# nbguard: ignore[ID]` to the reported line

import type { Finding } from '../findings/finding';
import { linesOf, textIn, type LineEdit, type LinePosition, type LineRange } from './lineEdits';
import { codeUsesOf, expressionEnds } from './codeNames';
import { removeStatement } from './removeStatement';
import { envName, literalName, scopeAndKey, secretKeyName, usedScope } from './secretNames';
import { suppressAbove, suppressedLine } from './suppressionFix';
import { isShellCell } from '../notebook/magics';

/** What a fix needs to know of a finding, wherever the client keeps it (LSP puts it in Diagnostic.data). */
export interface FixTarget {
  readonly ruleId: string;
  /** Where the finding is in the text the fix edits, 0-based. */
  readonly range: LineRange;
  /** Names that carried the secret (the trace's hops), for the masking fix. */
  readonly carriers: readonly string[];
  /** The source's label (`dbutils.secrets.get("db", "password")`), for the child-notebook and masking fixes. */
  readonly source?: string;
  /** Where the source is in the same text, when it is (`print(os.getenv("KEY"))`), 0-based. */
  readonly sourceAt?: LinePosition;
}

export interface FixContext {
  /** The text holding the finding: the cell's source, or the whole .py file. */
  readonly text: string;
  /** All the notebook's code, to see whether it uses dbutils or imports os. */
  readonly notebookText: string;
  /** A Databricks notebook (it has dbutils even if this code does not use it yet). */
  readonly isDatabricks: boolean;
  /** The text is a notebook cell, with stored outputs a client can clear or redact. */
  readonly hasOutputs: boolean;
  /** The secret scope to read from when the notebook names none (the user's setting). */
  readonly secretScope: string;
  /** Whether a text holds a credential (never copy one into a fix's title or edit). */
  readonly isCredential: (text: string) => boolean;
}

interface QuickFixBase {
  /** What the fix does, in full (a code action's title, a button's tooltip). */
  readonly title: string;
  /** A few words for a button or a hover's action. */
  readonly label: string;
  readonly preferred: boolean;
}

export type QuickFix = (QuickFixBase & { readonly edits: readonly LineEdit[] }) | (QuickFixBase & { readonly outputs: 'clear' | 'redact' });

/** The carriers and the source label of a finding (from its trace and message). */
export function fixFacts(f: Finding): Pick<FixTarget, 'carriers' | 'source'> {
  const trace = f.trace ?? [];
  const carriers = trace.slice(1, -1).map((s) => s.message).filter((m) => /^[A-Za-z_]\w*$/.test(m));
  const source = /^Secret from (.+?) (reaches|is )/.exec(f.message)?.[1];
  return { carriers, source };
}

/** A finding's range in its cell's source, 0-based (findings give 1-based lines and columns). */
export function cellRange(f: Finding): LineRange {
  const line = f.line - 1;
  const endLine = f.endLine - 1;
  return { start: { line, character: f.column - 1 }, end: { line: endLine, character: Math.max(f.endColumn - 1, endLine === line ? f.column : 0) } };
}

/** The fix target of a finding in a cell (JupyterLab, the tests). */
export function cellFixTarget(f: Finding): FixTarget {
  const source = f.trace?.[0];
  const sourceAt = source && source.cell === f.cell ? { line: source.line - 1, character: source.column - 1 } : undefined;
  return { ruleId: f.ruleId, range: cellRange(f), ...fixFacts(f), sourceAt };
}

function edit(title: string, label: string, edits: LineEdit[], preferred = false): QuickFix {
  return { title, label, preferred, edits };
}

/**
 * The edit that turns line `line` from `before` into `after`, touching only what differs (so the
 * rest of the line, a credential on it included, is not part of the edit).
 */
function lineChange(line: number, before: string, after: string): LineEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { range: { start: { line, character: start }, end: { line, character: before.length - end } }, newText: after.slice(start, after.length - end) };
}

/**
 * `# nbguard: ignore[ID]` on the reported line, as `nbguard fix --suppress` writes it; for a
 * finding that spans lines (a string literal, a call, where the line's end may be inside the
 * string), on a comment-only line just above, which applies to the line below it.
 */
export function suppressFix(target: FixTarget, text: string): QuickFix {
  const line = target.range.start.line;
  const lines = linesOf(text);
  const current = lines[line] ?? '';
  const suppressed = suppressedLine(current, [target.ruleId], suppressAbove(lines, line, target.range.end.line > line));
  return edit(`Suppress ${target.ruleId} on this line (# nbguard: ignore)`, 'Suppress', [lineChange(line, current, suppressed)]);
}

/** Where the notebook runs, from the secret APIs and modules it already uses. */
function platformOf(ctx: FixContext): 'databricks' | 'colab' | 'kaggle' | 'local' {
  if (ctx.isDatabricks || /\bdbutils\b/.test(ctx.notebookText)) return 'databricks';
  if (/\bgoogle\.colab\b|\buserdata\.get\(/.test(ctx.notebookText)) return 'colab';
  if (/\bkaggle_secrets\b|\bUserSecretsClient\b/.test(ctx.notebookText)) return 'kaggle';
  return 'local';
}

/** A line to add at the top of the text unless the notebook already has it. */
interface Import {
  readonly line: string;
  readonly present: RegExp;
}

const IMPORT_OS: Import = { line: 'import os', present: /^\s*(import os\b|from os import)/m };

/** How one secret store reads a credential: the call, what it needs imported, the fix's words. */
interface SecretRead {
  readonly title: string;
  readonly label: string;
  readonly call: string;
  readonly imports: readonly Import[];
}

/** The notebook platform's own secret store (Databricks scope, Colab or Kaggle secrets), if it has one. */
function platformRead(platform: ReturnType<typeof platformOf>, name: string | undefined, ctx: FixContext): SecretRead | undefined {
  if (platform === 'databricks') {
    const scope = usedScope(ctx.notebookText, ctx.isCredential) ?? ctx.secretScope;
    return { title: 'Read it from the secret scope', label: 'Read from secret scope', call: `dbutils.secrets.get(scope="${scope}", key="${secretKeyName(name)}")`, imports: [] };
  }
  if (platform === 'colab') {
    return { title: "Read it from Colab's secrets", label: 'Read from Colab secrets', call: `userdata.get("${envName(name)}")`, imports: [{ line: 'from google.colab import userdata', present: /^\s*from google\.colab import[^\n]*\buserdata\b/m }] };
  }
  if (platform === 'kaggle') {
    return { title: "Read it from Kaggle's secrets", label: 'Read from Kaggle secrets', call: `UserSecretsClient().get_secret("${envName(name)}")`, imports: [{ line: 'from kaggle_secrets import UserSecretsClient', present: /^\s*from kaggle_secrets import[^\n]*\bUserSecretsClient\b/m }] };
  }
  return undefined;
}

/** `edits` with the imports the notebook lacks added at the top of the text. */
function withImports(ctx: FixContext, edits: LineEdit[], imports: readonly Import[]): LineEdit[] {
  const missing = imports.filter((i) => !i.present.test(ctx.notebookText)).map((i) => `${i.line}\n`);
  if (missing.length === 0) return edits;
  // After a cell magic (%%time) or a Databricks header, which must stay the first line.
  const at = /^(%%|# Databricks notebook source)/.test(linesOf(ctx.text)[0] ?? '') ? 1 : 0;
  return [{ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, newText: missing.join('') }, ...edits];
}

/**
 * NBG201: read the credential where this notebook reads its others. Databricks: its secret scope
 * (the one it uses most, else the setting), the key named after the variable; Colab: its secrets
 * panel (`userdata.get`); Kaggle: its secrets add-on; everywhere, the environment as well. Where
 * the literal sits decides the form: in Python code the call replaces it; in a shell line (`!`)
 * IPython expands `{call}` and the shell `$NAME`; in a shell cell (`%%bash`, `%sh`) only the shell
 * expands, so only `$NAME`; a literal that sets an environment variable (`%env NAME=...`,
 * `os.environ["NAME"] = ...`, `export NAME=...` in a shell cell) is better not set in the
 * notebook at all.
 */
function hardcodedFixes(target: FixTarget, ctx: FixContext): QuickFix[] {
  const name = literalName(ctx.text, target.range);
  const platform = platformOf(ctx);
  const row = target.range.start.line;
  const line = (linesOf(ctx.text)[row] ?? '').replace(/\r$/, '');
  const before = line.slice(0, target.range.start.character);
  const shellCell = isShellCell(ctx.text);
  const envMagic = !shellCell && /^\s*%(?:set_)?env\s+[\w.-]+\s*[= ]\s*$/.test(before);
  const setsEnv = envMagic || (shellCell ? /^\s*export\s+\w+=["']?$/ : /\bos\.environ\s*\[\s*["'][\w.-]+["']\s*\]\s*=\s*$/).test(before);
  const shell = shellCell || /^\s*!/.test(line);
  const indent = /^\s*/.exec(line)![0];
  const wholeLine: LineRange = { start: { line: row, character: indent.length }, end: { line: row, character: line.length } };
  const fixes: QuickFix[] = [];
  // Python calls cannot run in a shell cell.
  const read = shellCell ? undefined : platformRead(platform, name, ctx);
  if (read) {
    const title = `${read.title}: ${read.call}`;
    if (envMagic) fixes.push(edit(title, read.label, withImports(ctx, [{ range: wholeLine, newText: `os.environ["${envName(name)}"] = ${read.call}` }], [IMPORT_OS, ...read.imports]), true));
    else fixes.push(edit(title, read.label, withImports(ctx, [{ range: target.range, newText: shell ? `{${read.call}}` : read.call }], read.imports), true));
  }
  const local = platform === 'local';
  if (setsEnv) {
    fixes.push(edit(`Remove it: set ${envName(name)} in the environment the notebook starts from`, 'Remove, set in environment', [removeStatement(wholeLine, ctx.text)], local));
  } else if (shell) {
    fixes.push(edit(`Read it from the environment: $${envName(name)}`, 'Read from environment', [{ range: target.range, newText: `$${envName(name)}` }], local));
  } else {
    const call = `os.environ["${envName(name)}"]`;
    fixes.push(edit(`Read it from the environment: ${call}`, 'Read from environment', withImports(ctx, [{ range: target.range, newText: call }], [IMPORT_OS]), local));
  }
  return fixes;
}

/** NBG102: the child notebook gets the scope and key names, and reads the secret itself. */
function workflowFixes(target: FixTarget, ctx: FixContext): QuickFix[] {
  const where = scopeAndKey(target.source);
  const carrier = target.carriers[target.carriers.length - 1];
  if (!carrier) return [];
  const sink = textIn(ctx.text, target.range);
  const scope = where?.scope ?? ctx.secretScope;
  const key = where?.key ?? secretKeyName(carrier);
  const entry = new RegExp(`(["'])([\\w.-]+)\\1(\\s*:\\s*)${carrier}\\b`);
  const m = entry.exec(sink);
  const replaced = m ? sink.replace(entry, `"${m[2]}_scope": "${scope}", "${m[2]}_key": "${key}"`) : sink.replace(new RegExp(`\\b${carrier}\\b`), `{"scope": "${scope}", "key": "${key}"}`);
  if (replaced === sink) return [];
  return [edit(`Pass the secret scope "${scope}" and key "${key}" instead of the secret (read it in the child with dbutils.secrets.get)`, 'Pass scope and key', [{ range: target.range, newText: replaced }], true)];
}

/** `label` compared as code: no spaces, one kind of quote. */
const asCode = (text: string) => text.replace(/\s+/g, '').replace(/'/g, '"');

/**
 * Where the source expression at `sourceAt` ends inside the sink (an offset of `sink`, which
 * starts at `range.start`): the end at which its text is the source's label (`os.getenv("K")`, a
 * label shortened with "…" matched by its start), else after its first call or subscript.
 */
function inlineSourceEnd(target: FixTarget, sink: string): number | undefined {
  const at = target.sourceAt;
  const { start, end } = target.range;
  if (!at || at.line < start.line || at.line > end.line || (at.line === start.line && at.character < start.character)) return undefined;
  const lines = sink.split('\n');
  let offset = at.character - (at.line === start.line ? start.character : 0);
  for (let l = 0; l < at.line - start.line; l++) offset += lines[l].length + 1;
  const ends = expressionEnds(sink, offset);
  const label = target.source ? asCode(target.source) : '';
  const [prefix] = label.split('…');
  const byLabel = ends.find((e) => asCode(sink.slice(offset, e)) === label) ?? (label.includes('…') ? ends.find((e) => asCode(sink.slice(offset, e)).startsWith(prefix)) : undefined);
  return byLabel ?? ends[0];
}

/**
 * NBG101: show only the last 4 characters of what reaches the output (the variable that carried
 * the secret, or the source itself when it is read right there), or drop the statement.
 */
function outputFixes(target: FixTarget, ctx: FixContext): QuickFix[] {
  const fixes = [edit('Remove this statement', 'Remove statement', [removeStatement(target.range, ctx.text)])];
  // A shell command (`!env`, a `%%bash` line) prints what it prints: no Python slice masks it.
  if (isShellCell(ctx.text) || /^\s*!/.test(linesOf(ctx.text)[target.range.start.line] ?? '')) return fixes;
  const sink = textIn(ctx.text, target.range);
  const isMasked = (after: string) => /^\s*\[\s*-4\s*:/.test(after);
  // The carrier's uses as code, those already masked (`pw[-4:]`) left out.
  const unmasked = (c: string) => codeUsesOf(sink, c).filter((at) => !isMasked(sink.slice(at + c.length)));
  const carrier = [...target.carriers].reverse().find((c) => unmasked(c).length > 0);
  if (carrier) {
    let masked = sink;
    for (const at of unmasked(carrier).reverse()) masked = `${masked.slice(0, at + carrier.length)}[-4:]${masked.slice(at + carrier.length)}`;
    fixes.unshift(edit(`Mask ${carrier}: show only its last 4 characters`, `Mask ${carrier}`, [{ range: target.range, newText: masked }], true));
    return fixes;
  }
  const end = inlineSourceEnd(target, sink);
  if (end !== undefined && !isMasked(sink.slice(end))) {
    const masked = `${sink.slice(0, end)}[-4:]${sink.slice(end)}`;
    fixes.unshift(edit('Mask the secret: show only its last 4 characters', 'Mask secret', [{ range: target.range, newText: masked }], true));
  }
  return fixes;
}

/** NBG401: the stored outputs are the client's to clear or redact. */
function storedOutputFixes(ctx: FixContext): QuickFix[] {
  if (!ctx.hasOutputs) return [];
  return [
    { title: "Clear this cell's outputs", label: 'Clear output', preferred: true, outputs: 'clear' },
    { title: "Redact the credentials in this cell's outputs", label: 'Redact output', preferred: false, outputs: 'redact' },
  ];
}

/** Every quick fix for one finding, the preferred first within its kind, suppression last. */
export function quickFixes(target: FixTarget, ctx: FixContext): QuickFix[] {
  const fixes: QuickFix[] = [];
  if (target.ruleId === 'NBG201') fixes.push(...hardcodedFixes(target, ctx));
  if (target.ruleId === 'NBG102') fixes.push(...workflowFixes(target, ctx));
  if (target.ruleId === 'NBG101') fixes.push(...outputFixes(target, ctx));
  if (target.ruleId === 'NBG401') fixes.push(...storedOutputFixes(ctx));
  fixes.push(suppressFix(target, ctx.text));
  return fixes;
}
