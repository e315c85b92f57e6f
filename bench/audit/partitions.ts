// The Spark shape, by hand: the session lines `nbguard audit --format sessions` wrote are split
// into P partitions by a hash of the session id (as `repartition(P, "session")` would; FNV-1a
// here, Murmur3 in Spark), one file each, for P concurrent `nbguard audit --sessions -`
// processes. And the check that the partitioned runs found what the single run found: the
// finding lines, sorted, counted and hashed.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Partition {
  readonly file: string;
  readonly sessions: number;
  readonly bytes: number;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The session id of a session line: its first field, as sessionToLine writes it. */
function sessionKey(line: string): string {
  const m = /^\{"session":"((?:[^"\\]|\\.)*)"/.exec(line);
  return m ? m[1] : line.slice(0, 200);
}

/** Splits `file` (session JSON lines) into `count` files in `dir`; streaming. */
export async function splitSessions(file: string, count: number, dir: string): Promise<Partition[]> {
  const files = Array.from({ length: count }, (_, i) => join(dir, `sessions-${count}-part-${i}.jsonl`));
  const fds = files.map((f) => openSync(f, 'w'));
  const pending: string[][] = files.map(() => []);
  const pendingChars = files.map(() => 0);
  const sessions = files.map(() => 0);
  const bytes = files.map(() => 0);
  const flush = (i: number) => {
    if (pending[i].length === 0) return;
    bytes[i] += writeSync(fds[i], pending[i].join(''));
    pending[i] = [];
    pendingChars[i] = 0;
  };
  try {
    const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.length === 0) continue;
      const i = fnv1a(sessionKey(line)) % count;
      pending[i].push(`${line}\n`);
      pendingChars[i] += line.length + 1;
      sessions[i]++;
      if (pendingChars[i] > 4 << 20) flush(i);
    }
    for (let i = 0; i < count; i++) flush(i);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  return files.map((f, i) => ({ file: f, sessions: sessions[i], bytes: bytes[i] }));
}

export interface FindingSet {
  readonly count: number;
  /** SHA-256 of the finding lines sorted, each ending in a newline. */
  readonly sha256: string;
}

/** The finding lines (JSON lines) of one or more outputs, as one set. */
export function findingSet(files: readonly string[]): FindingSet {
  const lines: string[] = [];
  for (const f of files) for (const l of readFileSync(f, 'utf8').split('\n')) if (l.length > 0) lines.push(l);
  lines.sort();
  const hash = createHash('sha256');
  for (const l of lines) hash.update(`${l}\n`);
  return { count: lines.length, sha256: hash.digest('hex') };
}
