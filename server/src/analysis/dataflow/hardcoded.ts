// Finds hardcoded credentials in a cell's string literals (NBG201): a detector format anywhere
// (an AWS key id, a dapi token, a PEM key, a password in a URL), or any literal that is not a
// placeholder given to a credential-named variable, keyword, dict key or option. The result
// depends on one cell only, so it is cached with the cell's facts; the taint analysis then
// treats each of these literals as a source.

import type { Arg, Expr, Stmt, Target } from '../lower/ir';
import { isCredentialName, isServiceKeyConstant, nameWords } from '../rules/credentialNames';
import type { CompiledRules } from '../rules/compiledRules';
import { shannonEntropy } from '../detectors/entropy';
import { isHexDigest, isNotCredentialValue, isUuid } from '../detectors/notCredentials';
import type { Span } from '../lower/ir';

export interface HardcodedLiteral {
  readonly span: Span;
  /** The credential text (masked before it is shown anywhere). */
  readonly value: string;
  /** The detector's name, or undefined for a name-based finding. */
  readonly detectorName?: string;
  /** The credential-named variable/keyword/key the literal was given to, if any. */
  readonly boundTo?: string;
  readonly confidence: 'high' | 'medium';
}

/** Literal spans -> hardcoded credentials, keyed by `row:column` of the literal. */
export type HardcodedMap = ReadonlyMap<string, HardcodedLiteral>;

export function literalKey(span: Span): string {
  return `${span.r}:${span.c}`;
}

const AUTH_SCHEME_WORDS = /^(bearer|basic|token|oauth2?|jwt|digest|negotiate|apikey|api-key|none|true|false|null|utf-?8|ascii|json|yaml|hex|base64)$/i;

/** Words that make a name a digest's or an id's, whatever key-like word it also has. */
const DIGEST_OR_ID_WORDS = new Set(['hash', 'digest', 'sha', 'sha1', 'sha256', 'md5', 'checksum', 'commit', 'revision', 'etag', 'id', 'uuid', 'guid', 'version', 'salt', 'nonce', 'fingerprint', 'kid']);
const KEY_WORDS = new Set(['key', 'apikey', 'token', 'secret', 'password', 'passwd', 'pwd', 'pat']);

/**
 * A hex string or UUID is a digest or an id, unless its name says it is a key: Weights & Biases
 * keys are 40 hex characters, Azure keys 32, some vendors' keys are UUIDs (`api_key`, `WANDB_API_KEY`).
 */
function hexOrUuidIsKey(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => KEY_WORDS.has(w)) && !words.some((w) => DIGEST_OR_ID_WORDS.has(w));
}

/** A literal given to a credential name that really looks like a credential value. */
export function looksLikeSecretValue(value: string, name: string): boolean {
  if (value.length < 6 || value.length > 4096) return false;
  if (/\s/.test(value) || AUTH_SCHEME_WORDS.test(value)) return false;
  if (isHexDigest(value) || isUuid(value) ? !hexOrUuidIsKey(name) : isNotCredentialValue(value)) return false;
  // The name repeated (`token="token"`) or a part of it (`PGADMIN_DEFAULT_PASSWORD=pgadmin`,
  // `postgres_password = "postgres"`, `token_key="tokens"`): a service's default login or a
  // column's name, not a secret.
  const lowerName = name.toLowerCase();
  if (lowerName.includes(value.toLowerCase()) || (/s$/i.test(value) && lowerName.includes(value.slice(0, -1).toLowerCase()))) return false;
  // Words run together (`token="EasyNegative"`, a trigger word; `token='YTFineTuneBert'`, a
  // model's name): not a machine-made token or key. A password may be such a phrase.
  if (/^[A-Z]*(?:[A-Z][a-z]+)+$/.test(value) && !namesPassword(name)) return false;
  // A service key constant (`ZYTE_KEY`) is named for a key but says nothing of what kind: only a
  // machine-made value, long and of letters and digits, is one (`ANNOTATION_KEY = "player"` is not).
  if (isServiceKeyConstant(name) && !(value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value))) return false;
  // A regular expression (`token = r"(?u)\b\w\w+\b"`, a tokenizer's pattern).
  if (/\\[bwdsBWDS]|\(\?[:=!<]/.test(value)) return false;
  // An environment variable's name (DB_PASSWORD), a fill-in name (WCS-API-KEY) or a secret's key name (svc-loader-password).
  if (/^[A-Z][A-Z0-9]*([_-][A-Z0-9]+)+$/.test(value)) return false;
  // A documentation sample: `GOCSPX-AbCdEfGhIjKlMnOp`, `abc12345678`.
  if (/abcdefgh|12345678/i.test(value)) return false;
  if (/^[a-z0-9]+([-_.][a-z0-9]+)+$/.test(value) && isIdentifierName(value, name)) return false;
  return shannonEntropy(value) >= 2.5;
}

/**
 * Whether a lower-case identifier (words joined by `-`, `_` or `.`) is a name rather than the
 * secret its variable is named for: one that names a credential itself (`svc-loader-password`),
 * lower-case words given to a key or token (`eventhub_secret_key = "team-eventhub-cs"`, a secret
 * scope key's name), or any identifier given to a credential object (`storage_credential =
 * "ac_dev_eastus2"`, a Unity Catalog storage credential's name).
 */
function isIdentifierName(value: string, name: string): boolean {
  if (/(password|passwd|pwd|secret|token|key|cred)/.test(value)) return true;
  if (/^[a-z]+\d{0,2}(?:[-_][a-z]+\d{0,2})+$/.test(value) && !namesPassword(name)) return true;
  return /^[a-z][a-z0-9]*([-_][a-z0-9]+)+$/.test(value) && namesOnlyCredentialObject(name);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase']);

/** Whether the name is a password's (a person chooses it, and it may be words run together). */
function namesPassword(name: string): boolean {
  return nameWords(name).some((w) => PASSWORD_WORDS.has(w));
}

/** Whether "credential(s)" is the name's only credential word: often an object or its name, not a secret. */
function namesOnlyCredentialObject(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => w === 'credential' || w === 'credentials') && !words.some((w) => KEY_WORDS.has(w) || w === 'passphrase');
}

class LiteralScanner {
  readonly found = new Map<string, HardcodedLiteral>();
  constructor(private readonly rules: CompiledRules) {}

  private check(text: string, span: Span, name: string | undefined): void {
    const matches = this.rules.detectors.scan(text, { name });
    if (matches.length > 0) {
      const m = matches[0];
      this.found.set(literalKey(span), { span, value: m.value, detectorName: m.detectorName, boundTo: name, confidence: m.confidence });
      return;
    }
    if (name !== undefined && isCredentialName(name) && looksLikeSecretValue(text, name)) {
      this.found.set(literalKey(span), { span, value: text, boundTo: name, confidence: 'medium' });
    }
  }

  expr(e: Expr | undefined, name?: string): void {
    if (!e) return;
    switch (e.k) {
      case 'str':
        if (!e.bytes || e.value.length > 0) this.check(e.value, e.span, name);
        return;
      case 'fstr':
        for (const p of e.parts) {
          if ('text' in p) this.check(p.text, p.span, undefined);
          else this.expr(p.expr);
        }
        return;
      case 'call':
        this.call(e.fn, e.args);
        return;
      case 'dict':
        for (const item of e.items) {
          const key = item.key?.k === 'str' ? item.key.value : undefined;
          this.expr(item.key);
          this.expr(item.value, key);
        }
        return;
      case 'attr':
        this.expr(e.obj);
        return;
      case 'sub':
        this.expr(e.obj);
        this.expr(e.index);
        return;
      case 'slice':
        this.expr(e.lower);
        this.expr(e.upper);
        this.expr(e.step);
        return;
      case 'binop':
        this.expr(e.left);
        this.expr(e.right);
        return;
      case 'test':
        e.operands.forEach((o) => this.expr(o));
        return;
      case 'either':
        e.options.forEach((o) => this.expr(o, name));
        e.evaluated.forEach((o) => this.expr(o));
        return;
      case 'seq':
        e.elts.forEach((o) => this.expr(o));
        return;
      case 'star':
        this.expr(e.value);
        return;
      case 'comp':
        this.expr(e.elt);
        this.expr(e.key);
        e.gens.forEach((g) => { this.expr(g.iter); g.ifs.forEach((i) => this.expr(i)); });
        return;
      case 'lambda':
        e.def.params.forEach((p) => this.expr(p.default, p.name));
        this.expr(e.def.lambdaBody);
        return;
      case 'walrus':
        this.expr(e.value, e.target);
        return;
      case 'other':
        e.children.forEach((c) => this.expr(c));
        return;
    }
  }

  private call(fn: Expr, args: readonly Arg[]): void {
    this.expr(fn);
    // `.option("password", "...")`, `spark.conf.set("fs.s3a.secret.key", "...")`, `setdefault("TOKEN", "...")`:
    // a string key followed by a string value names the value.
    const positional = args.filter((a) => !a.name && !a.star);
    const first = positional.length >= 2 ? positional[0].value : undefined;
    // spark.conf.set(f"fs.azure.account.key.{acct}.dfs.core.windows.net", "..."): the static text names it.
    const keyName =
      first?.k === 'str' ? first.value : first?.k === 'fstr' ? first.parts.map((p) => ('text' in p ? p.text : '*')).join('') : undefined;
    for (const a of args) {
      if (a.name) this.expr(a.value, a.name);
      else if (keyName !== undefined && a === positional[1]) this.expr(a.value, keyName);
      else this.expr(a.value);
    }
  }

  private targetName(t: Target): string | undefined {
    if (t.k === 'name') return t.id;
    if (t.k === 'attr') return t.attr;
    if (t.k === 'sub' && t.index.k === 'str') return t.index.value;
    return undefined;
  }

  private target(t: Target): void {
    if (t.k === 'attr') this.expr(t.obj);
    else if (t.k === 'sub') { this.expr(t.obj); this.expr(t.index); }
    else if (t.k === 'unpack') t.elts.forEach((x) => this.target(x));
    else if (t.k === 'starred') this.target(t.target);
  }

  stmts(body: readonly Stmt[]): void {
    for (const s of body) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    switch (s.k) {
      case 'expr':
        this.expr(s.value);
        return;
      case 'assign': {
        s.targets.forEach((t) => this.target(t));
        const names = s.targets.map((t) => this.targetName(t)).filter((n): n is string => n !== undefined);
        this.expr(s.value, names.find(isCredentialName) ?? names[0]);
        return;
      }
      case 'augassign':
        this.target(s.target);
        this.expr(s.value, this.targetName(s.target));
        return;
      case 'annassign':
        this.target(s.target);
        this.expr(s.value, this.targetName(s.target));
        return;
      case 'if':
        s.branches.forEach((b) => { this.expr(b.test); this.stmts(b.body); });
        return;
      case 'for':
        this.target(s.target);
        this.expr(s.iter);
        this.stmts(s.body);
        this.stmts(s.orelse);
        return;
      case 'while':
        this.expr(s.test);
        this.stmts(s.body);
        this.stmts(s.orelse);
        return;
      case 'try':
        this.stmts(s.body);
        s.handlers.forEach((h) => { this.expr(h.types); this.stmts(h.body); });
        this.stmts(s.orelse);
        this.stmts(s.finalbody);
        return;
      case 'with':
        s.items.forEach((i) => this.expr(i.ctx));
        this.stmts(s.body);
        return;
      case 'def':
        s.decorators.forEach((d) => this.expr(d));
        s.def.params.forEach((p) => this.expr(p.default, p.name));
        this.stmts(s.def.body);
        return;
      case 'class':
        s.bases.forEach((b) => this.expr(b));
        this.stmts(s.body);
        return;
      case 'return':
      case 'raise':
        this.expr(s.value);
        return;
      case 'assert':
        this.expr(s.test);
        this.expr(s.msg);
        return;
      case 'del':
        s.targets.forEach((t) => this.target(t));
        return;
      case 'other':
        s.exprs.forEach((e) => this.expr(e));
        this.stmts(s.body);
        return;
    }
  }
}

export function findHardcoded(body: readonly Stmt[], rules: CompiledRules): HardcodedMap {
  const scanner = new LiteralScanner(rules);
  scanner.stmts(body);
  return scanner.found;
}

/** A `name = value` pair found in free text, with the value's offsets in it. */
export interface NamedValue {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly value: string;
}

/**
 * The credentials of a piece of free text (a comment, a line magic) into `found`: every detector
 * match, then the named values (already judged credentials by the caller) that no match covers.
 * `at` places text offsets in the cell.
 */
export function addTextCredentials(found: Map<string, HardcodedLiteral>, text: string, named: readonly NamedValue[], rules: CompiledRules, at: (start: number, end: number) => Span): void {
  const matches = rules.detectors.scan(text);
  for (const m of matches) {
    const span = at(m.start, m.end);
    found.set(literalKey(span), { span, value: m.value, detectorName: m.detectorName, confidence: m.confidence });
  }
  for (const { start, end, name, value } of named) {
    if (matches.some((m) => m.start < end && start < m.end)) continue;
    const span = at(start, end);
    found.set(literalKey(span), { span, value, boundTo: name, confidence: 'medium' });
  }
}
