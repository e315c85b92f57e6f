// What the rule folders asked for that nbguard does not do (Pysa models it skipped), told once
// on standard error so reports on standard output stay clean.

import type { Writable } from 'node:stream';
import type { Analyzer } from '../analysis';

const SHOWN = 10;

export function writeRuleNotes(analyzer: Analyzer, err: Writable = process.stderr): void {
  const notes = analyzer.rules.set.notes;
  for (const note of notes.slice(0, SHOWN)) err.write(`nbguard: note: ${note}\n`);
  if (notes.length > SHOWN) err.write(`nbguard: note: ... and ${notes.length - SHOWN} more notes about the rule files\n`);
}
