// Detector kinds that need more than a regex: AWS secret keys (URL-decoding, entropy floor,
// context), passwords in URLs and in connection strings (placeholders are not passwords).

import { isCredentialName } from '../rules/credentialNames';
import { regexDetector, registerDetectorKind, type DetectorContext } from './detector';
import { shannonEntropy } from './entropy';
import { entropyFloor } from './entropyFloor';

export { entropyFloor };
import { hasPathSegments, isHexDigest, isPlaceholder, isSecretReference } from './notCredentials';

/** Decodes %2F / %252F (either case) back to / + =, as keys appear in URLs and logs. */
export function decodeUrlEscapes(text: string): string {
  return text.replace(/%(?:25)?(2[Ff]|2[Bb]|3[Dd])/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const AWS_KEY_ID = /(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/;
const CREDENTIAL_CONTEXT = /secret|aws_?secret|secretaccesskey|secret[_.-]?key|password|credential|token|fs\.s3a/i;

/** How far (in characters) a key id may stand from a secret key and still pair with it. */
const KEY_ID_WINDOW = 200;

function awsSecretContext(text: string, start: number, end: number, ctx?: DetectorContext): boolean {
  if (ctx?.name && (isCredentialName(ctx.name) || /secret|key/i.test(ctx.name))) return true;
  if (AWS_KEY_ID.test(text.slice(Math.max(0, start - KEY_ID_WINDOW), end + KEY_ID_WINDOW))) return true;
  // s3a://KEYID:SECRET@bucket: the secret sits between ':' and '@' after a scheme.
  if (text[start - 1] === ':' && text[end] === '@') return true;
  const before = text.slice(Math.max(0, start - 60), start);
  return CREDENTIAL_CONTEXT.test(before);
}

registerDetectorKind('aws-secret-key', (rule) => ({
  readsContext: true,
  ...regexDetector(rule, (value, text, start, ctx) => {
    const decoded = decodeUrlEscapes(value);
    if (decoded.length !== 40 || !/^[A-Za-z0-9+/]{39,40}=?$/.test(decoded)) return false;
    // A key may start with '/': only slash-separated names make it a path here.
    if (isHexDigest(decoded) || /EXAMPLE/i.test(decoded) || hasPathSegments(decoded)) return false;
    // Random keys mix upper and lower case (the seed's documented example has no digit at all).
    if (!/[A-Z]/.test(decoded) || !/[a-z]/.test(decoded)) return false;
    const floor = typeof rule.minEntropy === 'number' ? rule.minEntropy : entropyFloor(decoded.length, 64);
    if (shannonEntropy(decoded) < floor) return false;
    return awsSecretContext(text, start, start + value.length, ctx);
  }),
}));

function isPasswordPlaceholder(value: string): boolean {
  // `%s` and `%(pw)s` are placeholders; `%40dm1n` is a URL-encoded password.
  return isPlaceholder(value) || isSecretReference(value) || /[{}]|<[^<>]*>|^\$|^%(\(\w+\))?[sdr]$/.test(value);
}

/** `password=pg_password` in code: the value is a variable named like a credential, not a password. */
function isCredentialVariable(value: string): boolean {
  return /^[a-z_][a-z0-9_]*$/.test(value) && /pass|pwd|secret|token|key|cred/.test(value);
}

const LOCAL_HOST = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)(?![\w.-])/i;

/**
 * `root:root@localhost`, `postgres:postgres@127.0.0.1`: a password equal to the user name on the
 * local machine is a database image's default login, quoted in tutorials and FAQs, not a secret.
 */
function isLocalDefaultLogin(password: string, text: string, start: number): boolean {
  const userStart = text.lastIndexOf('//', start) + 2;
  const user = text.slice(userStart, start - 1);
  return user === password && LOCAL_HOST.test(text.slice(start + password.length + 1, start + password.length + 40));
}

registerDetectorKind('url-credentials', (rule) =>
  regexDetector(rule, (password, text, start) => !isPasswordPlaceholder(decodeUrlEscapes(password)) && !isLocalDefaultLogin(password, text, start)),
);

/** A password of punctuation only: the `\` of an escaped quote in a repr (`password=\'{}\'`), not a password. */
const HAS_ALPHANUMERIC = /[A-Za-z0-9]/;

registerDetectorKind('connection-password', (rule) =>
  regexDetector(rule, (password) => HAS_ALPHANUMERIC.test(password) && !isPasswordPlaceholder(password) && !isCredentialVariable(password)),
);
