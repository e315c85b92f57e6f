// Loads web-tree-sitter and the Python grammar once per process. Loading is asynchronous (wasm
// instantiation); everything after it is synchronous, so one `await initPython()` at start-up
// is all a caller needs before analysing.

import { readFileSync } from 'node:fs';
import { Language, Parser } from 'web-tree-sitter';
import { wasmFiles } from '../assets';

let loading: Promise<Language> | undefined;
let language: Language | undefined;

export function initPython(): Promise<Language> {
  loading ??= (async () => {
    const files = wasmFiles();
    await Parser.init({ locateFile: () => files.runtime });
    // Reading the grammar ourselves avoids web-tree-sitter's fetch() path under Node.
    language = await Language.load(readFileSync(files.python));
    return language;
  })();
  return loading;
}

/** A new parser for Python; initPython() must have finished. */
export function newPythonParser(): Parser {
  if (!language) throw new Error('nbguard: the Python parser is not loaded yet (await initPython() first)');
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
