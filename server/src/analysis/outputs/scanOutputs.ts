// NBG401: credentials already sitting in a cell's stored outputs. Every code cell's outputs
// are scanned, also those of cells the taint analysis skips (`%%bash`, `!cat ~/.databrickscfg`):
// what is stored in the notebook leaks whatever produced it.

import type { DetectorMatch } from '../detectors/detector';
import type { DetectorSet } from '../detectors/detectorSet';
import type { Cell, CellOutput } from '../notebook/model';
import { scanStructured } from './scanStructured';
import { outputTexts } from './outputText';
import { namedCredentialsIn } from '../dataflow/commentCredentials';

export interface OutputSecret {
  /** Index of the output in the cell's output list. */
  readonly output: number;
  readonly match: DetectorMatch;
}

/**
 * An AWS key id inside a presigned URL's query (`X-Amz-Credential=AKIA...`, `AWSAccessKeyId=`):
 * the signer's id (GitHub's, in a release download that wget logs), valid only with the URL's
 * expiring signature; not a credential of the notebook's author.
 */
function isPresignedKeyId(text: string, m: DetectorMatch): boolean {
  return m.detectorId === 'aws-access-key-id' && /(?:X-Amz-Credential|AWSAccessKeyId)=$/i.test(text.slice(Math.max(0, m.start - 20), m.start));
}

const SCRIPT_BLOCK = /<script\b[^>]*>[\s\S]*?<\/script>/gi;

/** A printed dict or `key=value` text with a credential under a credential name: `{'api_key': '38e4...'}`. */
function namedCredentialMatch(text: string): DetectorMatch | undefined {
  // A chart's HTML carries its library's minified code (plotly.js: `access_token="+e`), whose
  // names are no keys: the detectors read it, the names here do not.
  const named = namedCredentialsIn(text.includes('<script') ? text.replace(SCRIPT_BLOCK, (s) => ' '.repeat(s.length)) : text)[0];
  if (!named) return undefined;
  return { detectorId: 'credential-name', detectorName: `credential under "${named.name}"`, start: named.start, end: named.end, value: named.value, confidence: 'medium', redaction: 'REDACTED_SECRET' };
}

/** A credential under a credential-named key of an output's `application/json` data. */
function jsonCredential(output: CellOutput): DetectorMatch | undefined {
  const data = output.data;
  if (!data || typeof data !== 'object') return undefined;
  for (const [type, value] of Object.entries(data)) {
    if (!/^application\/(.+\+)?json$/.test(type)) continue;
    // The detectors read every string of the JSON already (outputTexts): only the names here.
    const found = scanStructured(value);
    if (found) return found.match;
  }
  return undefined;
}

/** The first credential found in each output of `cell`. */
export function scanCellOutputs(cell: Cell, detectors: DetectorSet): OutputSecret[] {
  const found: OutputSecret[] = [];
  (Array.isArray(cell.outputs) ? cell.outputs : []).forEach((output, index) => {
    if (output === null || typeof output !== 'object') return;
    const texts = outputTexts(output);
    // Detectors first, over every text (the decoded one included); names only as a fallback.
    let match: DetectorMatch | undefined;
    for (const text of texts) if ((match = detectors.scan(text).find((m) => !isPresignedKeyId(text, m)))) break;
    if (!match) for (const text of texts) if ((match = namedCredentialMatch(text))) break;
    // `{"access_token": "..."}` shown as application/json: its keys name the values.
    if (!match) match = jsonCredential(output);
    if (match) found.push({ output: index, match });
  });
  return found;
}
