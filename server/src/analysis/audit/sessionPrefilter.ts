// Which audit sessions can hold a finding at all, read from their text alone: most notebook
// sessions (plots, joins, model training) contain nothing a rule could start from, and need not be
// parsed. The test is derived from the compiled rules (built-in, user rules and Pysa models), so it
// follows them as they change. A session may have a finding only if its text holds one of:
//   - a piece of a secret source's name (`secrets` of dbutils.secrets.get, `environ`, `getpass`):
//     the rarest identifier of each pattern that is not an alias's target (`dbutils` may be written
//     `get_dbutils()`) nor implicit (`builtins`); the resolved name a rule matches is made of
//     identifiers written in the session. A source that needs a credential-naming argument
//     (`os.getenv("HF_TOKEN")`, `spark.conf.get("fs.azure.account.key...")`, `input("API key: ")`)
//     needs that name too, so it is found by the next check (input: its name and a prompt word);
//   - a word that makes a name a credential, split as rules/credentialNames.ts splits names
//     (password, token, secret, `api key` in any case and separator, PGPASSWORD), or a credential
//     configuration key's literal part (`fs.azure.sas.`) with a configuration setter;
//   - a credential a detector accepts in the raw text, or a match of the raw pattern of a detector
//     that reads a literal's name (an AWS secret key under any name with `key` in it);
//   - a line magic or shell line whose command is a secret source (`!env`, `%env`, `!gcloud auth
//     print-access-token`), checked as the analysis checks it.
// Text that the analysis could assemble into a credential or a credential's name from pieces
// (escapes, adjacent string literals) makes the detector check fall back to its keywords; a name
// built by `+` from separate literals (`"PASS" + "WORD"`) is the one construct it cannot see.
// A detector without keywords, or a source pattern without an identifier, turns it off.

import { commandOfMagic, credentialInCommandUrl } from '../dataflow/magicValues';
import { KeywordMatcher } from '../detectors/keywordMatcher';
import { CodeMasker } from '../findings/codeMasker';
import { magicsOf, prepareCellCode } from '../notebook/magics';
import type { CompiledRules } from '../rules/compiledRules';
import { CREDENTIAL_PAIRS, CREDENTIAL_WORDS, ENV_CREDENTIAL_WORDS, nameWords, PROMPT_SECRET_WORDS } from '../rules/credentialNames';

/** Names that are never written (implicit): `input` resolves to `builtins.input`. */
const IMPLICIT = new Set(['builtins']);
/** Identifiers too common in notebook code to be a source's trigger when the pattern has another. */
const COMMON = new Set(['get', 'set', 'read', 'run', 'value', 'values', 'data', 'client', 'default', 'conf', 'create', 'session', 'open', 'main', 'databricks', 'google', 'spark', 'tokens']);
/** Escapes and adjacent literals: the analysis's string values may differ from the raw text. */
const ASSEMBLED = /\\[xuUN0-7]|["'][ \t]*(?:\\?\r?\n)?[ \t]+[rRbBfFuU]{0,2}["']|["'][ \t]*\\?\r?\n[ \t]*[rRbBfFuU]{0,2}["']/;
/** Substrings one of which every credential word or pair holds: the cheap first look. */
const WORD_HINTS = ['pass', 'pwd', 'secret', 'token', 'key', 'credential'];

/** isCredentialEnvName's suffix rule, lower case (lowered once: this runs per word of a session). */
const ENV_SUFFIXES = ENV_CREDENTIAL_WORDS.filter((c) => c.length >= 5).map((c) => c.toLowerCase());

/** A source pattern's piece is found by the credential-word check (`get_password`, `.token`). */
const COVERED = '';

/**
 * The identifier of a name pattern to look for, one the session's own text must contain;
 * COVERED when one of them is a credential word (the word check finds it), undefined when none.
 */
function requiredPiece(pattern: string, aliasTargets: ReadonlySet<string>, known: ReadonlySet<string>): string | undefined {
  const first = pattern.split(/[.(*[]/, 1)[0];
  const pieces = (pattern.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((p, i) => !(i === 0 && p === first && aliasTargets.has(p)) && !IMPLICIT.has(p));
  if (pieces.some((p) => hasCredentialWords(p))) return COVERED;
  const lower = pieces.map((p) => p.toLowerCase());
  // A piece already looked for costs nothing; then the longest uncommon one.
  return lower.find((p) => known.has(p)) ?? [...lower].sort((a, b) => Number(COMMON.has(a)) - Number(COMMON.has(b)) || b.length - a.length)[0];
}

/** The literal parts of a `*` glob, the longest one (`*fs.azure.sas.*` -> `fs.azure.sas.`). */
function longestChunk(glob: string): string | undefined {
  return glob
    .split('*')
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)[0];
}

/** Whether the words of `text` (split as names are) make a credential name or an environment one. */
function hasCredentialWords(text: string, extra: ReadonlySet<string> = new Set()): boolean {
  const words = nameWords(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (CREDENTIAL_WORDS.has(w) || extra.has(w)) return true;
    if (i + 1 < words.length && CREDENTIAL_PAIRS.has(`${w} ${words[i + 1]}`)) return true;
    // Environment names: PGPASSWORD, MYTOKEN (isCredentialEnvName's suffix rule).
    for (const c of ENV_SUFFIXES) if (w.endsWith(c)) return true;
  }
  return false;
}

export class SessionPrefilter {
  /** False when the rules leave no text-level test (then every session is analysed). */
  readonly enabled: boolean;
  /** The source triggers (lower case), for tests and reports. */
  readonly sourceTriggers: readonly string[];
  /** The masker of a session that was not analysed (no secrets of its own to mask). */
  readonly emptyMasker: CodeMasker;
  private readonly sources: KeywordMatcher;
  private readonly wordHints = new KeywordMatcher(WORD_HINTS);
  /** A source that asks with a prompt naming a secret (`input("API key: ")`): its piece, then a prompt word. */
  private readonly promptPieces: readonly string[];
  private readonly configKeys: KeywordMatcher;
  private readonly configSetters: KeywordMatcher;
  private readonly anySetter: boolean;
  private readonly contextual: readonly RegExp[];

  constructor(private readonly rules: CompiledRules) {
    this.emptyMasker = new CodeMasker(rules.detectors, []);
    const set = rules.set;
    const aliasTargets = new Set(set.aliases.map((a) => a.to));
    let enabled = !rules.detectors.hasUnfiltered;
    const piece = (pattern: string, known: Set<string>) => {
      const p = requiredPiece(pattern, aliasTargets, known);
      if (p === undefined) enabled = false;
      return p;
    };
    const sources = new Set<string>();
    const prompts = new Set<string>();
    for (const s of set.sources) {
      // Found by the credential words their argument must hold.
      if (s.credentialNameArgument || s.credentialKeyArgument) continue;
      const patterns = [...(s.calls ?? []), ...(s.subscripts ?? []), ...(s.mappings ?? []), ...(s.stores ?? []), ...(s.attributes ?? [])];
      for (const pattern of patterns) {
        if (s.whenKeyword !== undefined) sources.add(s.whenKeyword.toLowerCase());
        else if (s.promptArgument === 'named') {
          const p = piece(pattern, prompts);
          if (p) prompts.add(p);
        } else {
          const p = piece(pattern, sources);
          if (p) sources.add(p);
        }
      }
    }
    const keys = set.configuration.credentialKeys.map(longestChunk);
    if (keys.some((k) => k === undefined)) enabled = false;
    const setters = [...set.configuration.setters.flatMap((s) => s.calls), ...set.configuration.mounts.flatMap((m) => m.calls)].map((c) => piece(c, new Set()));
    // A setter found by the word check needs no piece of its own: then a key's part alone counts.
    this.anySetter = setters.some((p) => p === COVERED);
    const all = [...sources, ...prompts, ...keys, ...setters.filter((p) => p !== COVERED)];
    // The matchers fold ASCII case only: a non-ASCII trigger could not be found reliably.
    if (all.some((t) => t === undefined || t.length === 0 || /[^\x20-\x7e]/.test(t))) enabled = false;
    this.enabled = enabled;
    this.sourceTriggers = [...sources].sort();
    this.sources = new KeywordMatcher(this.sourceTriggers);
    this.promptPieces = [...prompts];
    this.configKeys = new KeywordMatcher(keys.filter((k): k is string => k !== undefined).map((k) => k.toLowerCase()));
    this.configSetters = new KeywordMatcher(setters.filter((k): k is string => k !== undefined && k !== COVERED));
    this.contextual = rules.detectors.contextualPatterns;
  }

  /** Whether a session of these command texts may have a finding (always true when disabled). */
  mayFind(commands: readonly string[]): boolean {
    if (!this.enabled) return true;
    // Commands in another language (%sql, %md, %%bash) are not analysed: nothing in them counts.
    const analysed = commands.filter((t) => !/^\s*(?:%|>>>)/.test(t) || prepareCellCode(t.replace(/\r\n?/g, '\n')).skipReason === undefined);
    const text = analysed.join('\n');
    if (this.sources.firstHit(text) >= 0) return true;
    const hinted = this.wordHints.firstHit(text) >= 0;
    if (hinted && hasCredentialWords(text)) return true;
    if (this.promptPieces.length > 0) {
      const lower = text.toLowerCase();
      if (this.promptPieces.some((p) => lower.includes(p)) && hasCredentialWords(text, PROMPT_SECRET_WORDS)) return true;
    }
    if (this.configKeys.firstHit(text) >= 0 && (this.anySetter || this.configSetters.firstHit(text) >= 0)) return true;
    if (this.contextual.some((re) => re.test(text))) return true;
    if (this.magicReadsSecret(analysed)) return true;
    if (this.rules.detectors.keywordMatcher.firstHit(text) >= 0) {
      // Where escapes or adjacent literals may assemble a credential, its keyword is enough.
      if (ASSEMBLED.test(text)) return true;
      if (this.rules.detectors.scan(text).length > 0) return true;
    }
    return false;
  }

  /** A shell or line magic whose command reads a secret. */
  private magicReadsSecret(commands: readonly string[]): boolean {
    for (const text of commands) {
      if (!/^[ \t]*[!%]/m.test(text)) continue;
      const prepared = prepareCellCode(text.replace(/\r\n?/g, '\n'));
      for (const magic of magicsOf(prepared).magics ?? []) {
        const run = commandOfMagic(magic);
        if (run && run.command.length <= 4096 && (this.rules.commandSource(run.command) || (run.shell && credentialInCommandUrl(run.command)))) return true;
      }
    }
    return false;
  }
}
