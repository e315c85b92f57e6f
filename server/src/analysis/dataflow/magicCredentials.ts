// Credentials written into line magics and shell escapes (NBG201): `%env OPENAI_API_KEY=sk-...`,
// `!huggingface-cli login --token hf_...`, `!pip install https://user:token@host/...`. Magic
// lines are masked before parsing, so no string literal holds them: each magic's text is scanned
// with the detectors, and its `NAME=value` settings and `--name value` options are judged like a
// literal given to that name.

import type { Span } from '../lower/ir';
import type { LineMagic } from '../notebook/magics';
import type { CompiledRules } from '../rules/compiledRules';
import { isCredentialName } from '../rules/credentialNames';
import { addTextCredentials, looksLikeSecretValue, type HardcodedLiteral, type NamedValue } from './hardcoded';

/** `%env NAME=value`, `%env NAME value`, `%set_env NAME value`. */
const ENV_MAGIC = /^%(?:env|set_env)\s+([A-Za-z_]\w*)(?:\s*=\s*|\s+)(\S.{0,4095})$/;
/** A shell `NAME=value` or `export NAME=value` (the value unquoted, or in quotes). */
const SHELL_SETTING = /(?<![\w$-])([A-Za-z_]\w{0,63})=("[^"\n]{1,4096}"|'[^'\n]{1,4096}'|[^\s"'`;|&<>()]{1,4096})/g;
/** A command-line option with its value: `--token hf_...`, `--api-key=...`. */
const OPTION = /(?<![\w-])--([A-Za-z][\w-]{0,63})(?:=|\s+)("[^"\n]{1,4096}"|'[^'\n]{1,4096}'|[^\s"'`;|&<>()-][^\s"'`;|&<>()]{0,4095})/g;

/** The magic text that is scanned: long magics (a pasted blob) are cut, as detectors need no more. */
const MAX_MAGIC_TEXT = 64 * 1024;

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

/**
 * A value that IPython or the shell fills in (`$HF_TOKEN`, `{token}`, `$(cat key)`), not a
 * literal; `{userdata.get("K")}` too, which the option pattern cuts at its `(`.
 */
function isInterpolated(value: string): boolean {
  return /[$`]|^\{|\{[^}]*\}/.test(value);
}

/** `name = value` settings and options of a magic (`shell`: a shell cell's line), with the value's offsets in `text`. */
function namedSettings(text: string, shell: boolean): NamedValue[] {
  const out: NamedValue[] = [];
  const env = ENV_MAGIC.exec(text);
  if (env) {
    const raw = env[2].trimEnd();
    const value = unquote(raw);
    const start = text.length - env[2].length + (/^["']/.test(raw) ? 1 : 0);
    out.push({ name: env[1], value, start, end: start + value.length });
    return out;
  }
  if (!shell && !text.startsWith('!')) return out;
  for (const re of [SHELL_SETTING, OPTION]) {
    for (const m of text.matchAll(re)) {
      const raw = m[2];
      const start = (m.index ?? 0) + m[0].length - raw.length + (/^["']/.test(raw) ? 1 : 0);
      const value = unquote(raw);
      out.push({ name: m[1], value, start, end: start + value.length });
    }
  }
  return out;
}

/**
 * The credentials in a cell's line magics, keyed like literals. A credential on the magic's first
 * line is placed exactly; one on a continuation line is placed at the magic's start.
 */
export function findMagicCredentials(magics: readonly LineMagic[], rules: CompiledRules): Map<string, HardcodedLiteral> {
  const found = new Map<string, HardcodedLiteral>();
  for (const magic of magics) {
    if (!magic.shell && magic.text[0] !== '!' && magic.text[0] !== '%') continue;
    const text = magic.text.length > MAX_MAGIC_TEXT ? magic.text.slice(0, MAX_MAGIC_TEXT) : magic.text;
    if (/nbguard:\s*ignore/i.test(text)) continue;
    const at = (start: number, end: number): Span =>
      end <= magic.firstLength
        ? { r: magic.row, c: magic.column + start, er: magic.row, ec: magic.column + end }
        : { r: magic.row, c: magic.column, er: magic.row, ec: magic.column + 1 };
    const named = namedSettings(text, magic.shell === true).filter(({ name, value }) => !isInterpolated(value) && isCredentialName(name) && looksLikeSecretValue(value, name));
    addTextCredentials(found, text, named, rules, at);
  }
  return found;
}
