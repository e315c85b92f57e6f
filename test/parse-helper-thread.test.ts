// The language server's parse helper thread (server/src/node/parseHelper.ts, its worker the built
// dist/parseWorker.js): an open with it gives the analysis one thread gives, the thread ends once
// it has parsed what the open left it (its heap goes back), a later open starts it again, and a
// helper that cannot start leaves every open to the main thread, saying so once.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNotebookText, type Analyzer, type Notebook } from '../server/src/analysis';
import { isAnalysed } from '../server/src/analysis/notebook/model';
import { ParseHelper } from '../server/src/node/parseHelper';
import { analyzer as sharedAnalyzer, ipynb } from './helpers';

const WORKER = join(__dirname, '..', 'dist', 'parseWorker.js');
let analyzer: Analyzer;

beforeAll(async () => {
  analyzer = await sharedAnalyzer();
});

function notebook(): Notebook {
  const cells = ['token = dbutils.secrets.get("s", "k")'];
  for (let i = 1; i < 120; i++) cells.push(i % 10 === 0 ? 'print(token)' : `def f_${i}(x):\n    return [x + ${i} for _ in range(3)]\ny_${i} = f_${i}(token)`);
  return readNotebookText('big.ipynb', ipynb(cells));
}

/** Opens the notebook with the helper's trees; the findings, and how many cells the helper parsed. */
function openWith(helper: ParseHelper, nb: Notebook): { findings: string; fromHelper: number } {
  const trees = helper.start(nb.cells.filter(isAnalysed).map((c) => c.code));
  const analysis = analyzer.open(nb, { trees });
  trees?.finish();
  try {
    return { findings: JSON.stringify(analysis.analyze().findings), fromHelper: trees?.fromHelper ?? 0 };
  } finally {
    analysis.dispose();
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the parse helper thread', () => {
  it('parses cells for an open, ends after it, and starts again for the next', async () => {
    const helper = new ParseHelper(WORKER);
    const nb = notebook();
    const alone = JSON.stringify(analyzer.analyze(nb).findings);
    try {
      helper.warm();
      await new Promise((r) => setTimeout(r, 300));
      const first = openWith(helper, nb);
      expect(first.findings).toBe(alone);
      expect(first.fromHelper).toBeGreaterThan(0);
      await until(() => !helper.running, 'the helper ended');
      const second = openWith(helper, nb);
      expect(second.findings).toBe(alone);
      expect(helper.running).toBe(true);
      await until(() => !helper.running, 'the helper ended again');
    } finally {
      helper.dispose();
    }
  });

  it('a helper that fails to start: opens parse on the main thread, and it is not started again', async () => {
    const broken = join(tmpdir(), `nbguard-broken-worker-${process.pid}.js`);
    writeFileSync(broken, 'throw new Error("no parser here");\n');
    const logs: string[] = [];
    const helper = new ParseHelper(broken, (m) => logs.push(m));
    const nb = notebook();
    const alone = JSON.stringify(analyzer.analyze(nb).findings);
    try {
      const first = openWith(helper, nb);
      expect(first.findings).toBe(alone);
      expect(first.fromHelper).toBe(0);
      await until(() => logs.length > 0, 'the failure was logged');
      expect(logs).toEqual(['nbguard: the parse helper thread failed (no parser here); notebooks open on the main thread']);
      expect(helper.start(nb.cells.map((c) => c.code))).toBeUndefined();
    } finally {
      helper.dispose();
    }
  });
});
