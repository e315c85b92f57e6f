// The prefilter of line-magic masking (server/src/analysis/notebook/magics.ts): a cell is only
// scanned line by line when some line can be a magic, and the test for that stays linear in the
// cell (it once read every run of blank lines from each of its starts: 7.8 s for one cell).

import { describe, expect, it } from 'vitest';
import { maskLineMagics } from '../server/src/analysis/notebook/magics';

describe('line magic prefilter', () => {
  it('still finds the magics: indented by tabs, assigned, help lines, automagic, beside a !=', () => {
    for (const cell of ['x = 1\n\t%pip install x', 'files =\t!ls', 'df?', '  cd data', 'x = 1 != 2\n!ls', '\r\n%env K=v\r\n']) {
      expect(maskLineMagics(cell), JSON.stringify(cell)).not.toBe(cell);
    }
  });

  it('leaves code with % and != alone', () => {
    for (const cell of ['print("%s" % name)', 'if a != b:\n    pass', 'x = y % 3', 'd = {"k?": 1}']) expect(maskLineMagics(cell)).toBe(cell);
  });

  it('reads a long run of blank lines once, not once per line (no seconds per keystroke)', () => {
    for (const blank of ['\n', '\r', '\r\n', ' \n', '\u2028']) {
      const cell = `x = 1\n${blank.repeat(60_000)}y = a != b\n`;
      const started = performance.now();
      expect(maskLineMagics(cell)).toBe(cell);
      // A bound far above the linear time (about a millisecond), far below the quadratic one.
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
