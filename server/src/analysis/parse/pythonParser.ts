// Loads web-tree-sitter and the Python grammar once per process. Loading is asynchronous (wasm
// instantiation); everything after it is synchronous, so one `await initPython(wasm)` at start-up
// is all a caller needs before analysing. Where the wasm files are is the host's to say: paths
// and bytes read from disk on Node (server/src/node/assets.ts), URLs in a browser.

import { Language, Parser } from 'web-tree-sitter';
import { bindCursorCalls } from './cursorCalls';
import { checkTreeMemory } from './flatTree';
import { bindTreeMemory } from './treeMemory';

export interface ParserWasm {
  /** web-tree-sitter's runtime (tree-sitter.wasm): a file path on Node, a URL in a browser. */
  readonly runtime: string;
  /** The Python grammar (tree-sitter-python.wasm): its bytes, or a URL to fetch it from. */
  readonly python: Uint8Array | string;
}

let loading: Promise<Language> | undefined;
let language: Language | undefined;

export function initPython(wasm: ParserWasm): Promise<Language> {
  if (loading) return loading;
  loading = (async () => {
    // Emscripten builds the runtime module on this object: its exports end up on it.
    const runtime: Record<string, unknown> = { locateFile: () => wasm.runtime };
    await Parser.init(runtime);
    // Parser.init builds the runtime once per process: when other code got there first, this
    // object stayed empty, and nbguard cannot reach the functions its tree walk calls.
    if (runtime.HEAPU8 === undefined) {
      throw new Error('nbguard: web-tree-sitter was initialised before nbguard loaded it (Parser.init); call initPython() before any other use of web-tree-sitter in this process');
    }
    bindCursorCalls(runtime);
    bindTreeMemory(runtime);
    language = await Language.load(wasm.python);
    const probe = newPythonParser();
    checkTreeMemory(probe);
    probe.delete();
    return language;
  })();
  // A load that failed is not remembered: the next call tries again.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The Python grammar; initPython() must have finished. */
export function pythonLanguage(): Language {
  if (!language) throw new Error('nbguard: the Python parser is not loaded yet (await initPython() first)');
  return language;
}

/** A new parser for Python; initPython() must have finished. */
export function newPythonParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(pythonLanguage());
  return parser;
}
