// `nbguard fix` on every notebook of the real-world corpus, on a copy: notebooks with nothing to
// fix must come back byte for byte; a fixed one must still be the same notebook (valid JSON, the
// same cells and sources, outputs of the same shape) with only its secret text changed, and a
// rescan must find no stored credential left.
//
//   npm run build && node bench/realworld/fixRoundTrip.mjs /work/corpora/realworld

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const corpus = process.argv[2];
if (!corpus) throw new Error('usage: node bench/realworld/fixRoundTrip.mjs CORPUS_DIR');
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const copy = join(mkdtempSync(join(tmpdir(), 'nbguard-fix-rt-')), 'corpus');
cpSync(corpus, copy, { recursive: true });

const started = Date.now();
const fix = spawnSync(process.execPath, [cli, 'fix', copy], { encoding: 'utf8', maxBuffer: 1 << 28 });
const seconds = (Date.now() - started) / 1000;

const notebooks = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.ipynb')) notebooks.push(relative(copy, p));
  }
};
walk(copy);

/** The notebook without its output texts: what a fix must keep. */
const shape = (nb) => JSON.stringify(nb.cells.map((c) => [c.cell_type, c.source, (c.outputs ?? []).map((o) => [o.output_type, Object.keys(o.data ?? {})])]));
let same = 0;
let changed = 0;
const broken = [];
for (const f of notebooks) {
  const before = readFileSync(join(corpus, f), 'utf8');
  const after = readFileSync(join(copy, f), 'utf8');
  if (before === after) {
    same++;
    continue;
  }
  changed++;
  try {
    const [a, b] = [JSON.parse(before), JSON.parse(after)];
    // A cleared cell loses its outputs; otherwise the outputs keep their shape.
    const cleared = (nb) => ({ ...nb, cells: nb.cells.map((c, i) => (b.cells[i]?.outputs?.length === 0 ? { ...c, outputs: [] } : c)) });
    if (shape(cleared(a)) !== shape(b)) broken.push(`${f}: cells or outputs changed shape`);
  } catch (error) {
    broken.push(`${f}: ${error.message}`);
  }
}
const rescan = spawnSync(process.execPath, [cli, 'scan', '-f', 'json', '--fail-on', 'never', copy], { encoding: 'utf8', maxBuffer: 1 << 28 });
const left = JSON.parse(rescan.stdout).findings.filter((f) => f.ruleId === 'NBG401').length;
rmSync(join(copy, '..'), { recursive: true, force: true });

console.log(`${notebooks.length} notebooks, fix took ${seconds.toFixed(1)} s (exit ${fix.status}): ${same} byte for byte the same, ${changed} changed, ${broken.length} broken; stored credentials left after the fix: ${left}`);
for (const line of fix.stdout.split('\n').filter((l) => l.startsWith('fixed'))) console.log(`  ${line.replace(copy, corpus)}`);
for (const b of broken) console.log(`  BROKEN ${b}`);
process.exitCode = broken.length > 0 || left > 0 ? 1 : 0;
