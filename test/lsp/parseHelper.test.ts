// A big notebook opens with a helper thread parsing its cells (server/src/node/parseHelper.ts):
// what the user sees must be exactly what one thread shows. Two servers, one with the helper
// and one without (NBGUARD_PARSE_HELPER=0), open the same notebook of 240 cells: secrets read
// and printed across cells, functions and lambdas (their ids derive from the cell), hardcoded
// tokens, broken cells (which the helper leaves to the main thread's error recovery), magics,
// non-ASCII text and repeated cells. Every cell's diagnostics must be the same.

import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DAPI, GHP, startServer } from './harness';
import type { LspTestClient } from './lspClient';
import { openNotebook } from './notebookMessages';

function cells(): string[] {
  const out: string[] = ['import requests\nURL = "https://api.example.com/v1"'];
  for (let i = 1; out.length < 240; i++) {
    out.push(
      `token_${i} = dbutils.secrets.get("scope", "key_${i}")\nheaders_${i} = {"Authorization": f"Bearer {token_${i}}"}`,
      `def send_${i}(payload, h=headers_${i}):\n    # posts the payload\n    return requests.post(URL, json=payload, headers=h, timeout=30)`,
      `show_${i} = lambda v: print("value:", v)\nshow_${i}(token_${i})`,
      i % 5 === 0 ? `api_key = "${i % 2 ? DAPI : GHP}"\nsend_${i}({"k": api_key})` : `r = send_${i}({"n": ${i}})\ndisplay(r.json())`,
      i % 7 === 0 ? `if token_${i}\n    print(headers_${i}` : `s = "日本語 ${i} 🔑"\nprint(s)  # 注釈`,
      i % 3 === 0 ? '%%sql\nSELECT * FROM t' : '!pip install requests\nx = 1',
      'print(headers_1)',
    );
  }
  return out.slice(0, 240);
}

/** Opens the notebook and returns every cell's diagnostics once the server has published them. */
async function diagnosticsOf(client: LspTestClient): Promise<(Diagnostic[] | undefined)[]> {
  const nb = await openNotebook(client, cells(), 'big.ipynb');
  // The server publishes before it answers a scan of the document.
  await client.scanDocument(nb.uri);
  return nb.cells.map((_, i) => nb.diagnostics(i));
}

describe('opening a big notebook with the parse helper thread', () => {
  it.skipIf(availableParallelism() < 2)('shows the same diagnostics as one thread, with cells parsed on the helper', async () => {
    const withHelper = await startServer();
    const alone = await startServer({ env: { NBGUARD_PARSE_HELPER: '0' } });
    try {
      const [helped, single] = await Promise.all([diagnosticsOf(withHelper), diagnosticsOf(alone)]);
      expect(helped).toEqual(single);
      // The notebook has findings of every kind the cells hold, so the comparison compares something.
      const codes = new Set(single.flatMap((ds) => (ds ?? []).map((d) => d.code)));
      expect([...codes].sort()).toEqual(expect.arrayContaining(['NBG101', 'NBG201']));
      const log = await withHelper.waitForLog(/opened file:\/\/\/ws\/big\.ipynb: \d+ of \d+ cells parsed on the helper thread/);
      const [, parsed, total] = /: (\d+) of (\d+) cells/.exec(log)!.map(Number);
      expect(total).toBe(cells().filter((c) => !c.startsWith('%%sql')).length);
      expect(parsed).toBeGreaterThan(0);
      expect(alone.logs.some((l) => /helper thread/.test(l.message))).toBe(false);
    } finally {
      await withHelper.stop();
      await alone.stop();
    }
  });
});
