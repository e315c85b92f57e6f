// Values that look like credentials but are not: placeholders, secret references, hex
// digests, UUIDs, paths, dotted class names, masked values. Shared by every detector and by
// the name-based check, so "changeme" is a placeholder everywhere.

const PLACEHOLDER_WORDS = /^(changeme|change_me|change-me|password|passwd|pass|secret|token|none|null|nil|undefined|todo|tbd|fixme|example|sample|test|dummy|placeholder|anything|whatever|redacted|masked|hidden|string|str|value|your[-_ ]?\w*|my[-_]?(password|secret|token|key)|\w*_here|xxx+|yyy+|zzz+|\.\.\.+|_+|-+)$/i;

/** Placeholders from the contract: <...>, {...}, ${...}, xxx, ***, changeme, YOUR_..., ...EXAMPLE, REDACTED... */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^<[^<>]*>$/.test(v) || /^\{[^{}]*\}$/.test(v) || /^\$\{[^}]*\}$/.test(v) || /^\$[A-Z_][A-Z0-9_]*$/.test(v)) return true;
  if (/^%[sdr]$|^%\([^)]*\)s$/.test(v)) return true;
  if (/^[*xX•#.?_-]{3,}$/.test(v) || /^\*{3,}/.test(v) || /\*{4,}/.test(v)) return true;
  if (/x{4,}|X{4,}/.test(v) && /^[xX\d_-]*$/.test(v.replace(/x{4,}|X{4,}/g, ''))) return true;
  if (/EXAMPLE/i.test(v) || /^YOUR[_-]/i.test(v) || /^REDACTED/i.test(v) || /\[REDACTED\]/i.test(v) || /^<.*>$/.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  return isElidedOrFillIn(v);
}

/**
 * Placeholders found in public notebooks (issue 10): elided keys (`sk-proj-...`, `sk-ant-***`),
 * fill-in markers (`__FILL_IN_API_KEY__`, `{{MY_SLACK_WEBHOOK}}`, `[your-key]`,
 * `--enter-your-API-key-here--`, `glpat-<your-token>`, `ghs_<APPID>_<JWT>`, `SG.YOUR_API_KEY`) and
 * dummies (`sk-foobar`, `hf_blabla`), and stand-ins that carry a token's prefix but not its
 * length (`dapijedi`).
 */
function isElidedOrFillIn(v: string): boolean {
  if (isTypedPrefixStub(v)) return true;
  if (/\.\.\.|…|\*{3,}/.test(v) || /[-_]x{3,}$/i.test(v) || /<[A-Za-z][\w .-]*>/.test(v)) return true;
  if (/^__\w+__$/.test(v) || /^\{\{[^{}]*\}\}$/.test(v) || /^\[[^\]]*\]$/.test(v)) return true;
  if (/(^|[-_ .])(your|enter)[-_ ]/i.test(v) || /[-_ ]here([-_ ]|$)/i.test(v)) return true;
  return /foobar|blabla|dummy|fake[-_]|placeholder|fill[-_]?in|replace[-_ ]?(me|with)/i.test(v);
}

/**
 * Prefixes of typed tokens (detectors/): a value with one and fewer than 16 characters after it
 * is a stand-in for such a token (`dapijedi`, `hf_abc123`, `ghp_1234`, `sk-test`), never one:
 * each of these tokens has at least 16 random characters after its prefix.
 */
const TYPED_TOKEN_PREFIX = /^(?:dapi|gh[pousr]_|github_pat_|glpat-|hf_|api_org_|xox[abpr]-|sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?|[sr]k_(?:live|test)_|AKIA|ASIA|AIza|npm_|pypi-|SG\.|gsk_|pcsk_|r8_|lsv2_(?:pt|sk)_|whsec_|dckr_pat_|shp(?:at|ca|pa)_|glc_|figd_|ntn_|pplx-)/;

function isTypedPrefixStub(v: string): boolean {
  const m = TYPED_TOKEN_PREFIX.exec(v);
  return m !== null && v.length - m[0].length < 16;
}

/** `{{secrets/scope/key}}` cluster references and `secret('scope', 'key')` SQL calls. */
export function isSecretReference(value: string): boolean {
  return /^\{\{\s*secrets\/[^}]+\}\}$/.test(value.trim()) || /^secret\(\s*'[^']*'\s*,\s*'[^']*'\s*\)$/i.test(value.trim());
}

export function isHexDigest(value: string): boolean {
  return /^[0-9a-f]{32,128}$/i.test(value) && [32, 40, 56, 64, 96, 128].includes(value.length);
}

/** A password hash in crypt(3) form (`$2b$12$...` bcrypt, `$argon2id$...`, `$6$...` sha512-crypt): not the password. */
export function isPasswordHash(value: string): boolean {
  return /^\$(2[abxy]?|argon2(id|i|d)?|scrypt|pbkdf2[-\w]*|[1356]|y|gy|7)\$[^\s]{8,}$/.test(value);
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A date or a version (`2023-03-15-preview`, `v1.2.3`, `2024.1`): an API version, not a key. */
export function isDateOrVersion(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(?:[-.][A-Za-z0-9]+)?$/.test(value) || /^v?\d{1,4}(?:\.\d{1,4}){1,3}(?:[-+.]?[A-Za-z]+\d*)?$/.test(value);
}

/** A path segment that reads like a name (`churn`, `v12`, `train_2024`), not random text. */
function isWordySegment(segment: string): boolean {
  if (segment.length < 6) return true;
  const mixed = /[A-Z]/.test(segment) && /[a-z]/.test(segment) && /\d/.test(segment);
  return !mixed;
}

export function isPathLike(value: string): boolean {
  if (/^(\/|~\/|\.{1,2}\/|[A-Za-z]:\\|dbfs:|s3a?:\/\/|abfss?:\/\/|gs:\/\/|wasbs?:\/\/|file:)/.test(value)) return true;
  return hasPathSegments(value);
}

/** Slash-separated segments that all read like names: a path whatever its prefix. */
export function hasPathSegments(value: string): boolean {
  const segments = value.split('/').filter(Boolean);
  return segments.length >= 3 && /^[\w.\-/=]+$/.test(value) && segments.every(isWordySegment);
}

/**
 * Keys published for everyone to use, which grant nothing: the Azurite storage emulator's
 * well-known development account key, AWS's documented example secret key, the bot token of
 * Telegram's Bot API documentation.
 */
const PUBLISHED_KEYS = new Set([
  '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11',
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
]);

export function isPublishedKey(value: string): boolean {
  return PUBLISHED_KEYS.has(value);
}

/** Marks of a placeholder inside a value that has a real prefix (AKIAXXXX..., ghp_xxxx..., xoxb-your-token-here). */
export function hasPlaceholderMarks(value: string): boolean {
  return /EXAMPLE|x{4,}|X{4,}|your[-_]|[-_]here\b|\*{3,}|[<>]|\.\.\./i.test(value);
}

export function isDottedClassName(value: string): boolean {
  return /^[a-z_][\w]*(\.[a-z_][\w]*)+\.[A-Z][A-Za-z0-9_]*$/.test(value) || /^([a-z_]\w*\.){2,}[a-z_]\w*$/.test(value);
}

export function isUrlWithoutPassword(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/\S*$/i.test(value) && !/:\/\/[^/\s@]*:[^/\s@]*@/.test(value);
}

/** True when `value` is not a credential whatever its name: the contract's list. */
export function isNotCredentialValue(value: string): boolean {
  return (
    isPlaceholder(value) ||
    isPublishedKey(value) ||
    isSecretReference(value) ||
    isHexDigest(value) ||
    isPasswordHash(value) ||
    isUuid(value) ||
    isDateOrVersion(value) ||
    isPathLike(value) ||
    isDottedClassName(value) ||
    isUrlWithoutPassword(value)
  );
}
