// Quick fixes for nbguard diagnostics, as WorkspaceEdits on the document (a notebook cell's
// URI or a .py file) that holds the finding:
//   NBG201  replace the literal with a read from where the notebook keeps its secrets: its
//           Databricks scope, Colab's or Kaggle's secrets, or os.environ[...]
//   NBG102  pass the secret scope and key names to the child notebook instead of the secret
//   NBG101  remove the statement, or mask the value (its last 4 characters, a masked preview)
//   NBG401  clear the cell's outputs, or redact the credentials in them (client commands)
//   all     add `# nbguard: ignore[ID]` at the end of the reported line

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { DiagnosticData } from './diagnostics';
import { CLIENT_COMMANDS } from './protocol';

export interface FixContext {
  readonly uri: string;
  /** The text of the document holding the diagnostic. */
  readonly text: string;
  /** All the notebook's code, to see whether it uses dbutils or imports os. */
  readonly notebookText: string;
  readonly isDatabricks: boolean;
  readonly isNotebookCell: boolean;
  readonly secretScope: string;
  /** Whether a text holds a credential (never copy one into a fix's title or edit). */
  readonly isCredential: (text: string) => boolean;
}

function lines(text: string): string[] {
  return text.split('\n');
}

function fix(title: string, diagnostic: Diagnostic, uri: string, edits: TextEdit[], preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: { changes: { [uri]: edits } } };
}

/** The text of `range` in `text`. */
function textOf(text: string, range: Range): string {
  const ls = lines(text);
  if (range.start.line === range.end.line) return (ls[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const parts = [(ls[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(ls[l] ?? '');
  parts.push((ls[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/** `# nbguard: ignore[ID]` at the end of the line, or ID added to an existing marker. */
export function suppressFix(d: Diagnostic, ctx: FixContext, ruleId: string): CodeAction {
  const line = d.range.start.line;
  const current = lines(ctx.text)[line] ?? '';
  if (ruleId === 'NBG201' && d.range.end.line > line) {
    // The literal goes on past this line: a comment here would be inside the string. A
    // comment-only line just above applies to the line below it.
    const indent = /^\s*/.exec(current)![0];
    return fix(`Suppress ${ruleId} on this line (# nbguard: ignore)`, d, ctx.uri, [
      { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# nbguard: ignore[${ruleId}]\n` },
    ]);
  }
  const marker = /#\s*nbguard:\s*ignore(\[([^\]]*)\])?/i.exec(current);
  let edit: TextEdit;
  if (marker && marker[1] === undefined) {
    edit = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '' }; // already ignores every rule
  } else if (marker) {
    const start = marker.index + marker[0].length - 1;
    edit = { range: { start: { line, character: start }, end: { line, character: start } }, newText: `, ${ruleId}` };
  } else {
    const end = current.replace(/\s+$/, '').length;
    edit = { range: { start: { line, character: end }, end: { line, character: current.length } }, newText: `  # nbguard: ignore[${ruleId}]` };
  }
  return fix(`Suppress ${ruleId} on this line (# nbguard: ignore)`, d, ctx.uri, [edit]);
}

/** The name a literal is given to: `NAME = "..."`, `name="..."`, `"name": "..."`, `.option("name", "...")`. */
export function literalName(text: string, range: Range): string | undefined {
  const before = (lines(text)[range.start.line] ?? '').slice(0, range.start.character);
  const m =
    /([A-Za-z_]\w*)\s*(?::[^=]*)?=\s*$/.exec(before) ?? /["']([\w.-]+)["']\s*[:,]\s*$/.exec(before) ?? /\(\s*["']([\w.-]+)["']\s*,\s*$/.exec(before);
  return m?.[1];
}

/** `DATABRICKS_TOKEN`, `databricks_token`, `databricksToken` -> `databricks-token`. */
export function secretKeyName(name: string | undefined): string {
  return (name ?? 'secret').replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_.\s]+/g, '-').toLowerCase().replace(/^-+|-+$/g, '') || 'secret';
}

function envName(name: string | undefined): string {
  return (name ?? 'SECRET').replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/**
 * The scope the notebook reads its secrets from most (`dbutils.secrets.get("prod", ...)`), if any;
 * a "scope" that is a credential (a token pasted in the wrong place) is not one to copy.
 */
export function usedScope(notebookText: string, isCredential: (text: string) => boolean): string | undefined {
  const counts = new Map<string, number>();
  const re = /secrets\.get(?:Bytes)?\(\s*(?:scope\s*=\s*)?["']([^"'\n]+)["']/g;
  for (let m = re.exec(notebookText); m; m = re.exec(notebookText)) if (!isCredential(m[1])) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  let best: string | undefined;
  for (const [scope, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = scope;
  return best;
}

/** Where the notebook runs, from the secret APIs and modules it already uses. */
function platformOf(ctx: FixContext): 'databricks' | 'colab' | 'kaggle' | 'local' {
  if (ctx.isDatabricks || /\bdbutils\b/.test(ctx.notebookText)) return 'databricks';
  if (/\bgoogle\.colab\b|\buserdata\.get\(/.test(ctx.notebookText)) return 'colab';
  if (/\bkaggle_secrets\b|\bUserSecretsClient\b/.test(ctx.notebookText)) return 'kaggle';
  return 'local';
}

/** The literal replaced by `call`, with `importLine` added at the top of the cell unless the notebook has it. */
function readFix(title: string, d: Diagnostic, ctx: FixContext, call: string, importLine: string | undefined, imported: RegExp, preferred: boolean): CodeAction {
  const edits: TextEdit[] = [{ range: d.range, newText: call }];
  if (importLine && !imported.test(ctx.notebookText)) {
    // After a cell magic (%%time) or a Databricks header, which must stay the first line.
    const first = lines(ctx.text)[0] ?? '';
    const at = /^(%%|# Databricks notebook source)/.test(first) ? 1 : 0;
    edits.unshift({ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, newText: `${importLine}\n` });
  }
  return fix(`${title}: ${call}`, d, ctx.uri, edits, preferred);
}

/**
 * NBG201: read the credential where this notebook reads its others. Databricks: its secret scope
 * (the one it uses most, else the setting), the key named after the variable; Colab: its secrets
 * panel (`userdata.get`); Kaggle: its secrets add-on; everywhere, the environment as well.
 */
function hardcodedFixes(d: Diagnostic, ctx: FixContext): CodeAction[] {
  const name = literalName(ctx.text, d.range);
  const platform = platformOf(ctx);
  const actions: CodeAction[] = [];
  if (platform === 'databricks') {
    const scope = usedScope(ctx.notebookText, ctx.isCredential) ?? ctx.secretScope;
    actions.push(readFix('Read it from the secret scope', d, ctx, `dbutils.secrets.get(scope="${scope}", key="${secretKeyName(name)}")`, undefined, /$^/, true));
  } else if (platform === 'colab') {
    actions.push(readFix("Read it from Colab's secrets", d, ctx, `userdata.get("${envName(name)}")`, 'from google.colab import userdata', /^\s*from google\.colab import[^\n]*\buserdata\b/m, true));
  } else if (platform === 'kaggle') {
    actions.push(readFix("Read it from Kaggle's secrets", d, ctx, `UserSecretsClient().get_secret("${envName(name)}")`, 'from kaggle_secrets import UserSecretsClient', /^\s*from kaggle_secrets import[^\n]*\bUserSecretsClient\b/m, true));
  }
  actions.push(readFix('Read it from the environment', d, ctx, `os.environ["${envName(name)}"]`, 'import os', /^\s*(import os\b|from os import)/m, platform === 'local'));
  return actions;
}

/** `("db", "password")` or `(scope="db", key="password")` of a dbutils.secrets.get label. */
function scopeAndKey(source: string | undefined): { scope: string; key: string } | undefined {
  const m = source && /secrets\.get(?:Bytes)?\(\s*(?:scope\s*=\s*)?["']([^"']+)["']\s*,\s*(?:key\s*=\s*)?["']([^"']+)["']/.exec(source);
  return m ? { scope: m[1], key: m[2] } : undefined;
}

function workflowFixes(d: Diagnostic, ctx: FixContext, data: DiagnosticData): CodeAction[] {
  const where = scopeAndKey(data.source);
  const carrier = data.carriers[data.carriers.length - 1];
  if (!carrier) return [];
  const sink = textOf(ctx.text, d.range);
  const scope = where?.scope ?? ctx.secretScope;
  const key = where?.key ?? secretKeyName(carrier);
  const entry = new RegExp(`(["'])([\\w.-]+)\\1(\\s*:\\s*)${carrier}\\b`);
  let replaced: string;
  const m = entry.exec(sink);
  if (m) replaced = sink.replace(entry, `"${m[2]}_scope": "${scope}", "${m[2]}_key": "${key}"`);
  else replaced = sink.replace(new RegExp(`\\b${carrier}\\b`), `{"scope": "${scope}", "key": "${key}"}`);
  if (replaced === sink) return [];
  return [
    fix(`Pass the secret scope "${scope}" and key "${key}" instead of the secret (read it in the child with dbutils.secrets.get)`, d, ctx.uri, [{ range: d.range, newText: replaced }], true),
  ];
}

function outputFixes(d: Diagnostic, ctx: FixContext): CodeAction[] {
  const remove = fix('Remove this statement', d, ctx.uri, [removeStatement(d.range, ctx.text)]);
  const sink = textOf(ctx.text, d.range);
  const data = d.data as DiagnosticData;
  const carrier = [...data.carriers].reverse().find((c) => new RegExp(`\\b${c}\\b(?!\\s*\\[\\s*-4\\s*:)`).test(sink));
  const actions = [remove];
  if (carrier) {
    const masked = sink.replace(new RegExp(`\\b${carrier}\\b(?!\\s*\\[\\s*-4\\s*:)`, 'g'), `${carrier}[-4:]`);
    actions.unshift(fix(`Mask ${carrier}: show only its last 4 characters`, d, ctx.uri, [{ range: d.range, newText: masked }], true));
  }
  return actions;
}

/**
 * Deletes the statement: only its text and a `;` when other statements share its lines,
 * otherwise its lines, leaving `pass` when it is the only statement of its block.
 */
function removeStatement(range: Range, text: string): TextEdit {
  const ls = lines(text);
  const first = range.start.line;
  const last = range.end.line;
  const before = (ls[first] ?? '').slice(0, range.start.character);
  const after = (ls[last] ?? '').slice(range.end.character);
  if (before.trim() !== '' || !/^\s*(#.*)?$/.test(after)) {
    const semicolonBefore = /;\s*$/.exec(before);
    if (semicolonBefore) return { range: { start: { line: first, character: semicolonBefore.index }, end: range.end }, newText: '' };
    const semicolonAfter = /^\s*;\s*/.exec(after);
    const end = { line: last, character: range.end.character + (semicolonAfter?.[0].length ?? 0) };
    return { range: { start: range.start, end }, newText: '' };
  }
  const indent = /^\s*/.exec(ls[first] ?? '')![0];
  const prev = ls.slice(0, first).reverse().find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const next = ls.slice(last + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const onlyInBlock = prev?.trimEnd().endsWith(':') && (next === undefined || /^\s*/.exec(next)![0].length < indent.length);
  if (onlyInBlock) return { range: { start: { line: first, character: 0 }, end: { line: last, character: (ls[last] ?? '').length } }, newText: `${indent}pass` };
  const endsFile = last + 1 >= ls.length;
  return endsFile
    ? { range: { start: { line: Math.max(0, first - 1), character: first > 0 ? (ls[first - 1] ?? '').length : 0 }, end: { line: last, character: (ls[last] ?? '').length } }, newText: '' }
    : { range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' };
}

function storedOutputFixes(d: Diagnostic, ctx: FixContext): CodeAction[] {
  if (!ctx.isNotebookCell) return [];
  return [
    { title: "Clear this cell's outputs", kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, command: { title: 'Clear outputs', command: CLIENT_COMMANDS.clearCellOutputs, arguments: [ctx.uri] } },
    { title: "Redact the credentials in this cell's outputs", kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Redact outputs', command: CLIENT_COMMANDS.redactCellOutputs, arguments: [ctx.uri] } },
  ];
}

/** Every quick fix for one nbguard diagnostic. */
export function codeActionsFor(d: Diagnostic, ctx: FixContext): CodeAction[] {
  const data = d.data as DiagnosticData | undefined;
  const ruleId = data?.ruleId ?? String(d.code ?? '');
  const actions: CodeAction[] = [];
  if (ruleId === 'NBG201') actions.push(...hardcodedFixes(d, ctx));
  if (ruleId === 'NBG102' && data) actions.push(...workflowFixes(d, ctx, data));
  if (ruleId === 'NBG101' && data) actions.push(...outputFixes(d, ctx));
  if (ruleId === 'NBG401') actions.push(...storedOutputFixes(d, ctx));
  actions.push(suppressFix(d, ctx, ruleId));
  return actions;
}
