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
import { linesOf, textIn, type LineEdit, type LineRange } from './lineEdits';
import { codeUsesOf } from './codeNames';
import { removeStatement } from './removeStatement';
import { envName, literalName, scopeAndKey, secretKeyName, usedScope } from './secretNames';
import { withSuppression } from './suppressionFix';

/** What a fix needs to know of a finding, wherever the client keeps it (LSP puts it in Diagnostic.data). */
export interface FixTarget {
  readonly ruleId: string;
  /** Where the finding is in the text the fix edits, 0-based. */
  readonly range: LineRange;
  /** Names that carried the secret (the trace's hops), for the masking fix. */
  readonly carriers: readonly string[];
  /** The source's label (`dbutils.secrets.get("db", "password")`), for the child-notebook fix. */
  readonly source?: string;
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
  return { ruleId: f.ruleId, range: cellRange(f), ...fixFacts(f) };
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

/** `# nbguard: ignore[ID]` on the reported line; for a finding that spans lines, on a comment line above. */
export function suppressFix(target: FixTarget, text: string): QuickFix {
  const line = target.range.start.line;
  const current = linesOf(text)[line] ?? '';
  const body = current.endsWith('\r') ? current.slice(0, -1) : current;
  const title = `Suppress ${target.ruleId} on this line (# nbguard: ignore)`;
  if (target.range.end.line > line) {
    // The finding goes on past this line (a string literal, a call): a comment here could be
    // inside the string. A comment-only line just above applies to the line below it.
    const indent = /^\s*/.exec(body)![0];
    const eol = current.endsWith('\r') ? '\r\n' : '\n';
    return edit(title, 'Suppress', [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# nbguard: ignore[${target.ruleId}]${eol}` }]);
  }
  return edit(title, 'Suppress', [lineChange(line, body, withSuppression(body, [target.ruleId]))]);
}

/** Where the notebook runs, from the secret APIs and modules it already uses. */
function platformOf(ctx: FixContext): 'databricks' | 'colab' | 'kaggle' | 'local' {
  if (ctx.isDatabricks || /\bdbutils\b/.test(ctx.notebookText)) return 'databricks';
  if (/\bgoogle\.colab\b|\buserdata\.get\(/.test(ctx.notebookText)) return 'colab';
  if (/\bkaggle_secrets\b|\bUserSecretsClient\b/.test(ctx.notebookText)) return 'kaggle';
  return 'local';
}

/** The literal replaced by `call`, with `importLine` added at the top of the text unless the notebook has it. */
function readFix(title: string, label: string, target: FixTarget, ctx: FixContext, call: string, importLine: string | undefined, imported: RegExp | undefined, preferred: boolean): QuickFix {
  const edits: LineEdit[] = [{ range: target.range, newText: call }];
  if (importLine && !imported?.test(ctx.notebookText)) {
    // After a cell magic (%%time) or a Databricks header, which must stay the first line.
    const at = /^(%%|# Databricks notebook source)/.test(linesOf(ctx.text)[0] ?? '') ? 1 : 0;
    edits.unshift({ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, newText: `${importLine}\n` });
  }
  return edit(`${title}: ${call}`, label, edits, preferred);
}

/**
 * NBG201: read the credential where this notebook reads its others. Databricks: its secret scope
 * (the one it uses most, else the setting), the key named after the variable; Colab: its secrets
 * panel (`userdata.get`); Kaggle: its secrets add-on; everywhere, the environment as well.
 */
function hardcodedFixes(target: FixTarget, ctx: FixContext): QuickFix[] {
  const name = literalName(ctx.text, target.range);
  const platform = platformOf(ctx);
  const fixes: QuickFix[] = [];
  if (platform === 'databricks') {
    const scope = usedScope(ctx.notebookText, ctx.isCredential) ?? ctx.secretScope;
    fixes.push(readFix('Read it from the secret scope', 'Read from secret scope', target, ctx, `dbutils.secrets.get(scope="${scope}", key="${secretKeyName(name)}")`, undefined, undefined, true));
  } else if (platform === 'colab') {
    fixes.push(readFix("Read it from Colab's secrets", 'Read from Colab secrets', target, ctx, `userdata.get("${envName(name)}")`, 'from google.colab import userdata', /^\s*from google\.colab import[^\n]*\buserdata\b/m, true));
  } else if (platform === 'kaggle') {
    fixes.push(readFix("Read it from Kaggle's secrets", 'Read from Kaggle secrets', target, ctx, `UserSecretsClient().get_secret("${envName(name)}")`, 'from kaggle_secrets import UserSecretsClient', /^\s*from kaggle_secrets import[^\n]*\bUserSecretsClient\b/m, true));
  }
  fixes.push(readFix('Read it from the environment', 'Read from environment', target, ctx, `os.environ["${envName(name)}"]`, 'import os', /^\s*(import os\b|from os import)/m, platform === 'local'));
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

/** NBG101: show only the last 4 characters of the variable that reaches the output, or drop the statement. */
function outputFixes(target: FixTarget, ctx: FixContext): QuickFix[] {
  const fixes = [edit('Remove this statement', 'Remove statement', [removeStatement(target.range, ctx.text)])];
  const sink = textIn(ctx.text, target.range);
  // The carrier's uses as code, those already masked (`pw[-4:]`) left out.
  const unmasked = (c: string) => codeUsesOf(sink, c).filter((at) => !/^\s*\[\s*-4\s*:/.test(sink.slice(at + c.length)));
  const carrier = [...target.carriers].reverse().find((c) => unmasked(c).length > 0);
  if (carrier) {
    let masked = sink;
    for (const at of unmasked(carrier).reverse()) masked = `${masked.slice(0, at + carrier.length)}[-4:]${masked.slice(at + carrier.length)}`;
    fixes.unshift(edit(`Mask ${carrier}: show only its last 4 characters`, `Mask ${carrier}`, [{ range: target.range, newText: masked }], true));
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
