// What a masked line magic or shell escape evaluates to. The parser sees `...` where the magic
// stood; when the magic runs a command whose output is a secret (`x = !gcloud auth
// print-access-token`, `!env`, `%env`, `!echo $OPENAI_API_KEY`, rules/sources.yaml `commands`),
// that `...` is the secret. A shell escape that is not assigned prints its output in the cell
// (NBG101) wherever it stands; `%env` shows its value only as the cell's last line (the echo).

import type { Span } from '../lower/ir';
import type { LineMagic } from '../notebook/magics';
import { maskSecret } from '../findings/mask';
import { newSource, type RunContext } from './context';
import { reportTaintSink } from './sinks';
import type { Value } from './value';

/** The shell command a magic runs, or what IPython's own magic amounts to (`%env` lists `env`). */
export function commandOf(text: string): { command: string; shell: boolean } | undefined {
  if (text.startsWith('!')) return { command: text.replace(/^!!?/, ''), shell: true };
  const sx = /^%(?:sx|system)\s+(.*)$/.exec(text);
  if (sx) return { command: sx[1], shell: false };
  const env = /^%env\s*(\S*)\s*$/.exec(text);
  if (env) return { command: env[1] === '' ? 'env' : `printenv ${env[1]}`, shell: false };
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
  const run = commandOf(magic.text);
  if (!run || run.command.length > 4096) return undefined;
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
