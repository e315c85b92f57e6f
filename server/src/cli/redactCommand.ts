// `nbguard redact [FILE...]`: copies files (or standard input) to standard output with every
// credential replaced by its REDACTED_* placeholder, streaming in constant memory. A line that
// cannot be redacted (an internal error) ends that file's output with status 2; the lines
// before it are written, and the next files are still redacted.

import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { loadRuleSet } from '../node/loadRuleSet';
import { CompiledRules } from '../analysis/rules/compiledRules';
import { RedactStream } from '../node/redactStream';

export async function runRedact(files: readonly string[], rulesDirs: readonly string[]): Promise<0 | 2> {
  const detectors = new CompiledRules(loadRuleSet(rulesDirs)).detectors;
  const inputs = files.length === 0 ? ['-'] : files;
  let status: 0 | 2 = 0;
  for (const file of inputs) {
    // Large reads: the default 64 KiB chunks leave the thread waiting on I/O a quarter of the time.
    const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 4 << 20 });
    const redactor = new RedactStream(detectors);
    try {
      await pipeline(input, redactor, process.stdout, { end: false });
      if (redactor.failure) {
        // Everything before the line is written; the line and the rest are not (never unredacted).
        process.stderr.write(`nbguard: ${file}: cannot redact the line at byte ${redactor.failure.offset} (${redactor.failure.message}); the output stops before it\n`);
        status = 2;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return status; // the reader went away (| head): not an error
      process.stderr.write(`nbguard: ${file}: cannot read: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
      status = 2;
    }
  }
  return status;
}
