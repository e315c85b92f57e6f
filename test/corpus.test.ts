// Keeps the labelled corpus (../shared/corpus) from regressing: its own scorer runs the built
// CLI, and every rule the analysis core owns must stay at precision and recall >= 0.95.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const scorer = resolve(root, '..', 'shared', 'corpus', 'score.mjs');
const cli = resolve(root, 'dist', 'cli.js');
const RULES_AT_095 = ['NBG101', 'NBG102', 'NBG103', 'NBG104', 'NBG201', 'NBG301', 'NBG401'];

describe.skipIf(!existsSync(scorer))('labelled corpus', () => {
  it('scores precision and recall of at least 0.95 for every rule', () => {
    expect(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)').toBe(true);
    const out = execFileSync(process.execPath, [scorer, '--cmd', `${process.execPath} ${cli}`], { encoding: 'utf8' });
    const scores = new Map<string, { precision: number; recall: number }>();
    for (const m of out.matchAll(/^(NBG\d{3}) .* precision=([\d.]+) recall=([\d.]+)$/gm)) {
      scores.set(m[1], { precision: Number(m[2]), recall: Number(m[3]) });
    }
    for (const rule of RULES_AT_095) {
      expect(scores.get(rule), `${rule} missing from the score:\n${out}`).toBeDefined();
      expect(scores.get(rule)!.precision, `${rule} precision\n${out}`).toBeGreaterThanOrEqual(0.95);
      expect(scores.get(rule)!.recall, `${rule} recall\n${out}`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
