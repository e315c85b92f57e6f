// Which audit sessions can hold a finding at all, read from their text alone: most notebook
// sessions (plots, joins, model training) contain nothing a rule could start from, and need not be
// parsed. The test is derived from the compiled rules (built-in, user rules and Pysa models), so
// it stays exact as rules change: a session may have a finding only if its text holds
//   - a piece of a secret source's name (`secrets` of dbutils.secrets.get, `environ`, `getpass`,
//     `input`), the longest identifier of each pattern that is not an alias's target (`dbutils`
//     may be written `get_dbutils()`) nor `builtins` (implicit): the resolved name a rule matches is
//     made of identifiers written in the session;
//   - a word that makes a name a credential (password, token, secret, ... `api key` in any case and
//     separator) or a credential configuration key's literal part (`fs.azure.sas.`);
//   - a detector's keyword, or a match of the raw pattern of a detector that reads a literal's name
//     (an AWS secret key under any name with `key` in it);
//   - a line magic or shell line whose command is a secret source (`!env`, `%env`, `!gcloud auth
//     print-access-token`), checked as the analysis checks it.
// Every check over-approximates (a keyword in a comment counts), never the reverse. A detector
// without keywords, or a source pattern without an identifier, turns the prefilter off.

import { commandOf } from '../dataflow/magicValues';
import { KeywordMatcher } from '../detectors/keywordMatcher';
import { CodeMasker } from '../findings/codeMasker';
import { magicsOf, prepareCellCode } from '../notebook/magics';
import type { CompiledRules } from '../rules/compiledRules';

/** Words of credential names (rules/credentialNames.ts), whole or as a suffix (PGPASSWORD). */
const CREDENTIAL_WORDS = ['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'credential', 'passphrase'];
/** The first words of the credential pairs that end in `key` (api key, access key, ...). */
const KEY_PAIR = /(?:api|access|private|account)[^a-z0-9]*key/i;
/** Names that are never written (implicit): `input` resolves to `builtins.input`. */
const IMPLICIT = new Set(['builtins']);

/** The longest identifier of a name pattern that the session's own text must contain. */
function requiredPiece(pattern: string, aliasTargets: ReadonlySet<string>): string | undefined {
  const first = pattern.split(/[.(*[]/, 1)[0];
  const pieces = (pattern.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((p, i) => !(i === 0 && p === first && aliasTargets.has(p)) && !IMPLICIT.has(p));
  return pieces.sort((a, b) => b.length - a.length)[0];
}

/** The literal parts of a `*` glob, the longest one (`*fs.azure.sas.*` -> `fs.azure.sas.`). */
function longestChunk(glob: string): string | undefined {
  return glob
    .split('*')
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)[0];
}

export class SessionPrefilter {
  /** False when the rules leave no text-level test (then every session is analysed). */
  readonly enabled: boolean;
  /** The literal triggers, for tests and the benchmark report. */
  readonly triggers: readonly string[];
  private readonly matcher: KeywordMatcher;
  private readonly contextual: readonly RegExp[];
  /** The masker of a session that was not analysed (no secrets of its own to mask). */
  readonly emptyMasker: CodeMasker;

  constructor(private readonly rules: CompiledRules) {
    this.emptyMasker = new CodeMasker(rules.detectors, []);
    const set = rules.set;
    const aliasTargets = new Set(set.aliases.map((a) => a.to));
    const triggers = new Set<string>(CREDENTIAL_WORDS);
    let enabled = !rules.detectors.hasUnfiltered;
    for (const s of set.sources) {
      for (const pattern of [...(s.calls ?? []), ...(s.subscripts ?? []), ...(s.mappings ?? []), ...(s.stores ?? []), ...(s.attributes ?? [])]) {
        const piece = requiredPiece(pattern, aliasTargets);
        if (piece) triggers.add(piece.toLowerCase());
        else enabled = false;
      }
    }
    for (const key of set.configuration.credentialKeys) {
      const chunk = longestChunk(key);
      if (chunk) triggers.add(chunk.toLowerCase());
      else enabled = false;
    }
    for (const k of rules.detectors.keywords) triggers.add(k.toLowerCase());
    // The matcher folds ASCII case only: a non-ASCII trigger could not be found reliably.
    if ([...triggers].some((t) => /[^\x20-\x7e]/.test(t) || t.length === 0)) enabled = false;
    this.enabled = enabled;
    this.triggers = [...triggers].sort();
    this.matcher = new KeywordMatcher(this.triggers);
    this.contextual = rules.detectors.contextualPatterns;
  }

  /** Whether a session of these command texts may have a finding (always true when disabled). */
  mayFind(commands: readonly string[]): boolean {
    if (!this.enabled) return true;
    for (const text of commands) {
      if (this.matcher.firstHit(text) >= 0 || KEY_PAIR.test(text)) return true;
      if (this.contextual.some((re) => re.test(text))) return true;
      // A shell or line magic that reads a secret (a %sql or %md command is not Python: no magics).
      if (/^[ \t]*[!%]/m.test(text)) {
        const prepared = prepareCellCode(text.replace(/\r\n?/g, '\n'));
        if (prepared.skipReason !== undefined) continue;
        for (const magic of magicsOf(prepared).magics ?? []) {
          const run = commandOf(magic.text);
          if (run && run.command.length <= 4096 && this.rules.commandSource(run.command)) return true;
        }
      }
    }
    return false;
  }
}
