// The `pem-key` detector kind: a PEM private key is reported only when key material follows its
// BEGIN line. A header alone (a tutorial's `-----BEGIN PRIVATE KEY-----\n...`, a log message
// that names the format, a body cut to `MIIEpAIBAAKCAQEA...`) is not a credential. The body is
// read as redaction reads it (redact/pemBlock.ts: base64 lines, `\n` escapes of a key pasted
// into JSON, quotes and commas of a key built line by line), so the two never disagree on what
// a key's body is.

import { newBlock, scanBody } from '../redact/pemBlock';
import { regexDetector, registerDetectorKind } from './detector';
import { shannonEntropy } from './entropy';

/**
 * Base64 characters a body must hold: one full 64-character line. The shortest real key
 * (Ed25519, PKCS#8) has 64; a documentation stub (`MIIEpAIBAAKCAQEA...`) has 16.
 */
const MIN_BODY = 64;
/**
 * Bits per character the body must reach: DER and OpenSSH keys are close to 6 (their structure
 * repeats `A`s but the key bytes dominate); `AAAA…` or `ABCDABCD…` fillers stay far below.
 */
const MIN_BODY_ENTROPY = 4.5;

/** The key material after a BEGIN line of key type `type` that ends at `from` in `text`. */
export function pemBodyAfter(text: string, from: number, type: string): string {
  const block = newBlock(type);
  let body = '';
  let lineStart = false;
  for (let pos = from; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const lineOffset = lineStart ? pos : text.lastIndexOf('\n', pos - 1) + 1;
    const line = text.slice(lineOffset, end);
    const scan = scanBody(line, pos - lineOffset, block, lineStart, true);
    body += `${line.slice(scan.start, scan.end)}\n`;
    if (scan.kind !== 'open' || nl < 0) break;
    pos = nl + 1;
    lineStart = true;
  }
  return body.replace(/-----END[^-]*(?:-----)?\n$/, '');
}

/** Whether `body` is a key's: long enough and as random as key bytes are. */
export function isKeyBody(body: string): boolean {
  const base64 = body.replace(/(?:Proc-Type|DEK-Info|Version|Comment):[^\n\\]*/g, '').replace(/[^A-Za-z0-9+/]/g, '');
  return base64.length >= MIN_BODY && shannonEntropy(base64) >= MIN_BODY_ENTROPY;
}

registerDetectorKind('pem-key', (rule) =>
  regexDetector(rule, (header, text, start) => {
    // The match ends with the BEGIN line (after `"private_key": "` in a service-account file).
    const type = /-----BEGIN ((?:[A-Z0-9]+ )*)/.exec(header)?.[1] ?? '';
    return isKeyBody(pemBodyAfter(text, start + header.length, type));
  }),
);
