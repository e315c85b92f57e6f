// What a masked line magic or shell escape evaluates to. The parser sees `...` where the magic
// stood; when the magic runs a command whose output is a secret (`x = !gcloud auth
// print-access-token`, `!env`, `%env`, `!echo $OPENAI_API_KEY`, rules/sources.yaml `commands`),
// that `...` is the secret. A shell escape that is not assigned prints its output in the cell
// (NBG101) wherever it stands; `%env` shows its value only as the cell's last line (the echo).
// A shell command that expands a credential environment variable into a URL it requests puts
// the secret into that URL (NBG104).

import type { Span } from '../lower/ir';
import type { LineMagic } from '../notebook/magics';
import { maskSecret } from '../findings/mask';
import { newSource, type RunContext } from './context';
import { reportTaintSink } from './sinks';
import { isCredentialEnvName } from '../rules/credentialNames';
import type { Value } from './value';

/**
 * The shell command a magic runs, or what IPython's own magic amounts to (`%env` lists `env`): a
 * shell cell's line as it is, a `!` line without its `!`.
 */
export function commandOfMagic(magic: LineMagic): { command: string; shell: boolean } | undefined {
  const text = magic.text;
  if (magic.shell) return { command: text, shell: true };
  if (text.startsWith('!')) return { command: text.replace(/^!!?/, ''), shell: true };
  const sx = /^%(?:sx|system)\s+(.*)$/.exec(text);
  if (sx) return { command: sx[1], shell: false };
  const env = /^%env\s*(\S*)\s*$/.exec(text);
  if (env) return { command: env[1] === '' ? 'env' : `printenv ${env[1]}`, shell: false };
  return undefined;
}


/** Commands that request a URL given on their command line. */
const URL_COMMAND = /(?:^|[;&|(]\s*|\s)(curl|wget|http|https|xh)\s/;
/** A command line's words: double-quoted, single-quoted (where the shell expands nothing) or bare. */
const COMMAND_WORD = /"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+/g;
/** Options whose value is a header, a body or a form field, not the URL. */
const NOT_URL_OPTION = /^(?:-[HdFeuAb]|--(?:header|data[\w-]*|form[\w-]*|user|cookie|referer|user-agent|json))$/;
/** A shell variable as a URL's query parameter (`?key=${API_KEY}`) or password (`://user:$PW@`). */
const URL_VARIABLE = /[?&][\w.-]+=\$\{?([A-Za-z_]\w*)\}?|:\/\/[^/\s@]*:\$\{?([A-Za-z_]\w*)\}?@/g;

/**
 * The credential environment variable a command puts into a URL it requests (`curl
 * "${BASE_URL}/files?key=$GEMINI_API_KEY"`, `wget https://user:$PASSWORD@host/f`): the shell
 * expands it into the URL, which the server's and proxies' logs keep. A header (`-H
 * "Authorization: Bearer $TOKEN"`), a request body and a single-quoted word (the shell expands
 * nothing there) are not looked at.
 */
export function credentialInCommandUrl(command: string): { name: string; tool: string; start: number; end: number } | undefined {
  const tool = URL_COMMAND.exec(command)?.[1];
  if (!tool) return undefined;
  let previous = '';
  for (const word of command.matchAll(COMMAND_WORD)) {
    const skip = word[0].startsWith("'") || NOT_URL_OPTION.test(previous);
    previous = word[0];
    if (skip) continue;
    for (const v of word[0].matchAll(URL_VARIABLE)) {
      const name = v[1] ?? v[2];
      if (!isCredentialEnvName(name)) continue;
      // Where the variable stands in the command: `$NAME` or `${NAME}` inside the match.
      const at = (word.index ?? 0) + (v.index ?? 0) + v[0].lastIndexOf('$');
      return { name, tool, start: at, end: at + v[0].slice(v[0].lastIndexOf('$')).replace(/@$/, '').length };
    }
  }
  return undefined;
}

/** A command as messages show it: its first 60 characters, credentials the detectors know masked. */
export function shownCommand(ctx: RunContext, text: string): string {
  let shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  for (const m of ctx.rules.detectors.scan(shown).reverse()) shown = shown.slice(0, m.start) + maskSecret(m.value) + shown.slice(m.end);
  return shown;
}

/** The magic masked at `span`, if one starts there. */
function magicAt(ctx: RunContext, span: Span): LineMagic | undefined {
  return ctx.cell.magics?.find((m) => m.row === span.r && m.column === span.c);
}

/** The value of the `...` at `span` when a magic that reads a secret was masked there. */
export function magicValue(ctx: RunContext, span: Span): Value | undefined {
  const magic = magicAt(ctx, span);
  if (!magic) return undefined;
  const run = commandOfMagic(magic);
  if (!run || run.command.length > 4096) return undefined;
  if (run.shell) {
    const inUrl = credentialInCommandUrl(run.command);
    if (inUrl) {
      // At the variable when it is on the command's first line; else at the command.
      const offset = magic.text.length - run.command.length;
      const at: Span =
        offset + inUrl.end <= magic.firstLength ? { r: magic.row, c: magic.column + offset + inUrl.start, er: magic.row, ec: magic.column + offset + inUrl.end } : span;
      const variable = newSource(ctx, `$${inUrl.name}`, 'secret', at, 'environment-credential');
      reportTaintSink(ctx, 'NBG104', `${inUrl.tool} (the shell expands $${inUrl.name} into it)`, at, [{ flows: [{ source: variable, path: null }] }]);
    }
  }
  const rule = ctx.rules.commandSource(run.command);
  if (!rule) return undefined;
  const source = newSource(ctx, shownCommand(ctx, magic.text), 'secret', span, rule.id);
  const value: Value = { flows: [{ source, path: null }] };
  if (run.shell && !magic.assigned) {
    // `!cmd` prints its output unless it is sent elsewhere (`| docker login`, `> file`); it
    // evaluates to nothing, so the cell's echo does not report it again.
    if (!/[|>]/.test(run.command)) reportTaintSink(ctx, 'NBG101', "the cell's output (the shell command prints it)", span, [value]);
    return undefined;
  }
  return value;
}
