// The checks the aws-secret-key detector makes before it looks at entropy (builtinKinds.ts):
// 40 characters of the base64 alphabet, not a hex digest, not an ...EXAMPLE key, not a path,
// and upper case, lower case and a digit all present. The study reports how much of each
// population survives these as well as the threshold, to show what the entropy alone leaves
// to the other checks and to the context.

import { isHexDigest, isPathLike } from '../../server/src/analysis/detectors/notCredentials';

export function isKeyShaped(text: string): boolean {
  return (
    /^[A-Za-z0-9+/]{39,40}=?$/.test(text) &&
    !isHexDigest(text) &&
    !/EXAMPLE/i.test(text) &&
    !isPathLike(text) &&
    /[A-Z]/.test(text) &&
    /[a-z]/.test(text) &&
    /[0-9]/.test(text)
  );
}
