// The helper thread that parses a notebook's cells ahead of the language server's main thread
// as it opens the notebook (analysis/parse/sharedTrees.ts). Its own bundle (dist/parseWorker.js),
// so that starting it loads the parser and nothing else. Each message is a TreeJob; the answer
// is how many cells it parsed (the main thread does not wait for it: the shared states say all).

import { parentPort } from 'node:worker_threads';
import { initPython, newPythonParser } from '../analysis/parse/pythonParser';
import { parseAhead, type TreeJob } from '../analysis/parse/sharedTrees';
import { nodeParserWasm } from './assets';

const port = parentPort;
if (!port) throw new Error('nbguard: parseWorker.js runs as a worker thread of the language server');
const parser = initPython(nodeParserWasm()).then(newPythonParser);
port.on('message', (job: TreeJob) => {
  void parser.then((p) => port.postMessage({ parsed: parseAhead(p, job) }));
});
