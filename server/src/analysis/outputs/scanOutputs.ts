// NBG401: credentials already sitting in a cell's stored outputs. Every code cell's outputs
// are scanned, also those of cells the taint analysis skips (`%%bash`, `!cat ~/.databrickscfg`):
// what is stored in the notebook leaks whatever produced it.

import type { DetectorMatch } from '../detectors/detector';
import type { DetectorSet } from '../detectors/detectorSet';
import type { Cell } from '../notebook/model';
import { outputTexts } from './outputText';

export interface OutputSecret {
  /** Index of the output in the cell's output list. */
  readonly output: number;
  readonly match: DetectorMatch;
}

/** The first credential found in each output of `cell`. */
export function scanCellOutputs(cell: Cell, detectors: DetectorSet): OutputSecret[] {
  const found: OutputSecret[] = [];
  (Array.isArray(cell.outputs) ? cell.outputs : []).forEach((output, index) => {
    if (output === null || typeof output !== 'object') return;
    for (const text of outputTexts(output)) {
      const match = detectors.scan(text)[0];
      if (match) {
        found.push({ output: index, match });
        return;
      }
    }
  });
  return found;
}
