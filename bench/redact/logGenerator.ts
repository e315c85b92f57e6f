// Writes a generated Spark driver log of a given size to a file, streaming (a few MB of memory
// whatever the size), and returns its ground truth: the line and kind of every planted
// credential and decoy. Seeded: the same seed gives the same log, and a smaller size gives a
// prefix of the bigger log (the records are drawn in the same order), so the 20 MB sample the
// slow tools get is the beginning of the 1 GiB file.
//
//   node bench/run.mjs redact generate --size-mb 200 --seed 1 --out /tmp/driver.log
//                                      (also writes /tmp/driver.log.truth.json)

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CREDENTIALS, DECOYS } from './plants';
import { Random } from './random';
import { LogClock, ORDINARY, type LogContext } from './sparkLog';

export interface TruthItem {
  /** 1-based line number of the (first) line. */
  line: number;
  span: number;
  kind: string;
  values: string[];
  decoy: boolean;
}

export interface GeneratedLog {
  file: string;
  seed: number;
  bytes: number;
  lines: number;
  records: number;
  /** Probability per record of a planted credential record and of a decoy record. */
  credentialRate: number;
  decoyRate: number;
  items: TruthItem[];
  seconds: number;
}

export const DEFAULT_LOG_SEED = 20170101;
/** About one credential record and one decoy record per 2,000 log records. */
export const CREDENTIAL_RATE = 1 / 2000;
export const DECOY_RATE = 1 / 2000;
const FLUSH_AT = 4 << 20;
/** More than any record can take (the longest, a configuration dump, is about 1.5 KB). */
const MAX_RECORD = 1 << 20;

export function generateLog(file: string, targetBytes: number, seed = DEFAULT_LOG_SEED): GeneratedLog {
  const started = performance.now();
  const rng = new Random(seed);
  const c: LogContext = { rng, clock: new LogClock(), state: { job: 0, stage: 0, tid: 0, broadcast: 0, rdd: 0, delta: 0 } };
  const items: TruthItem[] = [];
  const fd = openSync(file, 'w');
  // Lines go straight into one buffer (building a 4 MB string first costs most of the time in GC).
  const buf = Buffer.allocUnsafe(FLUSH_AT + MAX_RECORD);
  let fill = 0;
  let bytes = 0;
  let lines = 0;
  let records = 0;
  try {
    while (bytes + fill < targetBytes) {
      c.clock.advance(rng);
      const x = rng.next();
      let recordLines: string[];
      if (x < CREDENTIAL_RATE || x >= 1 - DECOY_RATE) {
        const plant = (x < CREDENTIAL_RATE ? CREDENTIALS : DECOYS).pick(rng)(c);
        for (const it of plant.items) items.push({ line: lines + 1 + it.at, span: it.span, kind: it.kind, values: it.values, decoy: it.decoy });
        recordLines = plant.lines;
      } else {
        recordLines = ORDINARY.pick(rng)(c);
      }
      for (const l of recordLines) {
        fill += buf.write(l, fill, 'latin1');
        buf[fill++] = 10;
      }
      lines += recordLines.length;
      records++;
      if (fill >= FLUSH_AT) {
        bytes += writeSync(fd, buf, 0, fill);
        fill = 0;
      }
    }
    if (fill > 0) bytes += writeSync(fd, buf, 0, fill);
  } finally {
    closeSync(fd);
  }
  return { file, seed, bytes, lines, records, credentialRate: CREDENTIAL_RATE, decoyRate: DECOY_RATE, items, seconds: (performance.now() - started) / 1000 };
}

/** Counts of ground-truth items by kind, credentials first. */
export function kindCounts(items: readonly TruthItem[]): { kind: string; decoy: boolean; count: number }[] {
  const m = new Map<string, { kind: string; decoy: boolean; count: number }>();
  for (const it of items) {
    const e = m.get(it.kind) ?? { kind: it.kind, decoy: it.decoy, count: 0 };
    e.count++;
    m.set(it.kind, e);
  }
  return [...m.values()].sort((a, b) => Number(a.decoy) - Number(b.decoy));
}

/** `generate --size-mb N --seed S --out FILE`: writes a log and its ground truth (FILE.truth.json). */
export function generateLogCommand(args: string[]): void {
  const value = (flag: string, d: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : d;
  };
  const out = value('--out', 'driver.log');
  const log = generateLog(out, Number(value('--size-mb', '100')) * 2 ** 20, Number(value('--seed', String(DEFAULT_LOG_SEED))));
  writeFileSync(`${out}.truth.json`, JSON.stringify(log, null, 1));
  const creds = log.items.filter((i) => !i.decoy).length;
  console.log(`wrote ${out}: ${(log.bytes / 2 ** 20).toFixed(1)} MiB, ${log.lines} lines, ${creds} credentials, ${log.items.length - creds} decoys in ${log.seconds.toFixed(1)} s (ground truth in ${out}.truth.json)`);
}
