// nbguard loads web-tree-sitter itself (parse/pythonParser.ts): its tree walk calls functions
// of the runtime module that only the first Parser.init of a process can hand out. Code that
// initialised web-tree-sitter before gets a clear error, not a wrong-version one.

import { Parser } from 'web-tree-sitter';
import { expect, it } from 'vitest';
import { initPython } from '../server/src/analysis/parse/pythonParser';
import { nodeParserWasm } from '../server/src/node/assets';

it('says so when web-tree-sitter was initialised by other code first', async () => {
  const wasm = nodeParserWasm();
  await Parser.init({ locateFile: () => wasm.runtime });
  await expect(initPython(wasm)).rejects.toThrow(/initialised before nbguard loaded it/);
  // The failure is not remembered as the answer for good: the next call tries again (and says the same).
  await expect(initPython(wasm)).rejects.toThrow(/initialised before nbguard loaded it/);
});
