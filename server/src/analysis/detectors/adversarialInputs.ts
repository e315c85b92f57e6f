// Inputs that make badly written regular expressions backtrack catastrophically: long runs of
// base64 characters, of %25 escapes, of almost-keys, of separators. Every built-in detector is
// tested on them (test/regex-safety.test.ts) and user detectors are checked on them when loaded.

export function adversarialInputs(size: number): { name: string; text: string }[] {
  const repeat = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  let seed = 12345;
  const random = (alphabet: string) =>
    Array.from({ length: size }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return alphabet[seed % alphabet.length];
    }).join('');
  return [
    { name: 'one letter', text: repeat('a') },
    // A run that almost matches and then does not: where nested quantifiers explode.
    { name: 'letters then a mismatch', text: repeat('a').slice(1) + '!' },
    { name: 'digits then a mismatch', text: repeat('0').slice(1) + '!' },
    { name: 'base64 run', text: random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') },
    { name: '%25 run', text: repeat('%25') },
    { name: '%252F run', text: repeat('%252F') },
    { name: 'almost AWS key ids', text: repeat('AKIAABCDEFGHIJKLMNO ') },
    { name: 'almost secrets', text: repeat('aws_secret_access_key=' + 'A'.repeat(39) + ' ') },
    { name: 'colons and ats', text: repeat('a:') + '@' },
    { name: 'almost URLs', text: repeat('s3a://user:pass') },
    { name: 'almost passwords', text: repeat('password=') },
    { name: 'almost PEM', text: repeat('-----BEGIN ') },
    { name: 'spaces', text: repeat(' \t') + 'x' },
    { name: 'account keys', text: 'fs.azure.account.key' + random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') },
  ];
}
