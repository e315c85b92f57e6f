// Structural and checksum checks that a detector's match must pass (`validator:` in a detector
// rule): a token whose checksum fails is a look-alike or a typo, not a credential. Each check is
// offline and takes the matched credential only.

import { azureKeyService } from './azureKeyChecksum';

/** A check of a matched credential's structure: true when it can be a real one. */
export type Validator = (value: string) => boolean;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of a string's UTF-8 bytes (tokens are ASCII). */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` in base 62, left-padded with `0` to `width` digits. */
export function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}

/**
 * GitHub's classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 30 random + 6 checksum) and
 * npm's (`npm_` + 30 + 6): the last six characters are the CRC-32 of the random part in base 62.
 */
function prefixedCrc32Base62(value: string): boolean {
  const body = value.slice(value.indexOf('_') + 1);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

function decodeBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_\-+/]+=*$/.test(text)) return undefined;
  try {
    const normal = text.replace(/-/g, '+').replace(/_/g, '/');
    return atob(normal.padEnd(normal.length + ((4 - (normal.length % 4)) % 4), '='));
  } catch {
    return undefined;
  }
}

/** A JSON web token: its header decodes to a JSON object naming an algorithm, its payload to JSON. */
function jwt(value: string): boolean {
  const [header, payload, signature] = value.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return false;
  try {
    const h = JSON.parse(decodeBase64Url(header) ?? '') as unknown;
    const p = JSON.parse(decodeBase64Url(payload) ?? '') as unknown;
    return typeof h === 'object' && h !== null && typeof (h as { alg?: unknown }).alg === 'string' && typeof p === 'object' && p !== null;
  } catch {
    return false;
  }
}

/** A PyPI API token: `pypi-` + a base64 macaroon whose location is pypi.org (or test.pypi.org). */
function pypiMacaroon(value: string): boolean {
  const decoded = decodeBase64Url(value.slice('pypi-'.length));
  return decoded !== undefined && /pypi\.org/.test(decoded);
}

/**
 * An Atlassian API token (`ATATT` + base64url + `=` + 8 hex): the hex is the CRC-32 of
 * everything before it.
 */
function atlassianCrc32(value: string): boolean {
  const sum = value.slice(-8);
  if (!/^[0-9A-F]{8}$/i.test(sum)) return false;
  return crc32(value.slice(0, -8)).toString(16).padStart(8, '0').toUpperCase() === sum.toUpperCase();
}

/** A PEM private key with a body: base64 lines after the BEGIN line, at least 64 characters of them. */
function pemBody(value: string): boolean {
  const body = value.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\\n|\s/g, '');
  return /^[A-Za-z0-9+/=]{64,}$/.test(body);
}

/** Characters of every kind a random key of this alphabet mixes: not one case, not only letters. */
function mixedCase(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
}

const VALIDATORS = new Map<string, Validator>([
  ['github-crc32', prefixedCrc32Base62],
  ['npm-crc32', prefixedCrc32Base62],
  ['jwt', jwt],
  ['pypi-macaroon', pypiMacaroon],
  ['atlassian-crc32', atlassianCrc32],
  ['pem-body', pemBody],
  ['mixed-case', mixedCase],
  ['azure-key-checksum', (value) => azureKeyService(value) !== undefined],
]);

export function validatorNamed(name: string): Validator | undefined {
  return VALIDATORS.get(name);
}

export function validatorNames(): string[] {
  return [...VALIDATORS.keys()];
}
