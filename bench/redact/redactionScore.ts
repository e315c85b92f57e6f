// How well a redacted copy of the generated log matches its ground truth: every planted
// credential gone (recall), nothing else touched (precision), every decoy intact, and the same
// number of lines. Works from the set of changed lines, found either by the REDACTED_ marker
// (streaming, for the 1 GiB output) or by comparing input and output line by line (for the
// samples, and for tools such as secretlint whose mask is not recognisable).

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { GeneratedLog, TruthItem } from './logGenerator';

export interface ChangedLines {
  /** Lines in the output. */
  lines: number;
  /** 1-based line number -> the output line. */
  changed: Map<number, string>;
}

/** Output lines holding `marker`, streaming through a file of any size. The input never holds the marker. */
export function changedByMarker(file: string, marker = 'REDACTED_'): ChangedLines {
  const fd = openSync(file, 'r');
  const changed = new Map<number, string>();
  const chunkSize = 16 << 20;
  let buf = Buffer.allocUnsafe(chunkSize * 2);
  let have = 0; // bytes in buf (a partial line carried over, then the new chunk)
  let line = 1; // line number of buf[0]
  let lines = 0;
  try {
    for (;;) {
      if (buf.length - have < chunkSize) {
        const bigger = Buffer.allocUnsafe(have + chunkSize * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const n = readSync(fd, buf, have, chunkSize, null);
      const end = have + n;
      const last = n === 0 ? end : buf.lastIndexOf(10, end - 1) + 1; // complete lines end here
      // Markers first (fast native search), then their line numbers by counting newlines up to each.
      let pos = 0;
      let at = buf.indexOf(marker, 0, 'latin1');
      while (at >= 0 && at < last) {
        for (let nl = buf.indexOf(10, pos); nl >= 0 && nl < at; nl = buf.indexOf(10, pos)) {
          pos = nl + 1;
          line++;
        }
        const lineEnd = buf.indexOf(10, at);
        const stop = lineEnd < 0 || lineEnd >= end ? end : lineEnd;
        changed.set(line, buf.toString('latin1', pos, stop));
        at = buf.indexOf(marker, stop, 'latin1');
      }
      for (let nl = buf.indexOf(10, pos); nl >= 0 && nl < last; nl = buf.indexOf(10, pos)) {
        pos = nl + 1;
        line++;
      }
      if (n === 0) {
        lines = line - 1 + (pos < end ? 1 : 0);
        break;
      }
      buf.copy(buf, 0, last, end);
      have = end - last;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, changed };
}

/**
 * Lines that differ between input and output (both read whole: for samples of some MB). An
 * output of exactly the input's length is a same-length mask (secretlint's `mask-result` turns
 * every character of a finding into '*', line ends included) and is cut at the input's line
 * ends, so that a masked multi-line block does not shift every later line.
 */
export function changedByDiff(inputFile: string, outputFile: string): ChangedLines {
  const a = readFileSync(inputFile, 'latin1');
  const b = readFileSync(outputFile, 'latin1');
  const changed = new Map<number, string>();
  const countLines = (t: string) => (t.match(/\n/g)?.length ?? 0) + (t.length > 0 && !t.endsWith('\n') ? 1 : 0);
  if (a.length === b.length) {
    let line = 1;
    for (let start = 0; start < a.length; line++) {
      const nl = a.indexOf('\n', start);
      const end = nl < 0 ? a.length : nl;
      if (a.slice(start, end) !== b.slice(start, end)) changed.set(line, b.slice(start, end));
      start = end + 1;
    }
  } else {
    const al = a.split('\n');
    const bl = b.split('\n');
    for (let i = 0; i < bl.length; i++) if (al[i] !== bl[i]) changed.set(i + 1, bl[i]);
  }
  return { lines: countLines(b), changed };
}

export interface KindScore {
  kind: string;
  decoy: boolean;
  total: number;
  /** Credentials: redacted. Decoys: left intact. */
  ok: number;
}

export interface RedactionScore {
  lines: number;
  expectedLines: number;
  credentials: number;
  redacted: number;
  /** Redacted in part: the line changed but some of the credential is still there. */
  partial: number;
  decoys: number;
  decoysKept: number;
  /** Changed lines that hold no credential (decoy lines included). */
  falseLines: number;
  recall: number;
  precision: number;
  byKind: KindScore[];
  /** A few changed lines that hold no credential, for the report. */
  falseExamples: string[];
  /** A few credentials that survived, with their kind. */
  missExamples: string[];
}

function covered(item: TruthItem, changed: Map<number, string>): { all: boolean; any: boolean } {
  let all = true;
  let any = false;
  const texts: string[] = [];
  for (let l = item.line; l < item.line + item.span; l++) {
    const out = changed.get(l);
    if (out === undefined) all = false;
    else {
      any = true;
      texts.push(out);
    }
  }
  if (all && item.values.some((v) => texts.some((t) => t.includes(v)))) all = false;
  return { all, any };
}

export function scoreRedaction(log: Pick<GeneratedLog, 'items' | 'lines'>, out: ChangedLines): RedactionScore {
  const credentialLines = new Set<number>();
  const byKind = new Map<string, KindScore>();
  let redacted = 0;
  let partial = 0;
  let decoysKept = 0;
  const missExamples: string[] = [];
  for (const it of log.items) {
    const k = byKind.get(it.kind) ?? { kind: it.kind, decoy: it.decoy, total: 0, ok: 0 };
    byKind.set(it.kind, k);
    k.total++;
    if (it.decoy) {
      const text = out.changed.get(it.line);
      if (text === undefined || it.values.every((v) => text.includes(v))) {
        k.ok++;
        decoysKept++;
      }
      continue;
    }
    for (let l = it.line; l < it.line + it.span; l++) credentialLines.add(l);
    const c = covered(it, out.changed);
    if (c.all) {
      k.ok++;
      redacted++;
    } else {
      if (c.any) partial++;
      if (missExamples.length < 12) missExamples.push(`line ${it.line} (${it.kind}, ${it.values.map((v) => JSON.stringify(v)).join(' ')}): ${out.changed.get(it.line) ?? '(line unchanged)'}`);
    }
  }
  let falseLines = 0;
  const falseExamples: string[] = [];
  for (const [l, text] of out.changed) {
    if (credentialLines.has(l)) continue;
    falseLines++;
    if (falseExamples.length < 12) falseExamples.push(`line ${l}: ${text}`);
  }
  const credentials = log.items.filter((i) => !i.decoy).length;
  return {
    lines: out.lines,
    expectedLines: log.lines,
    credentials,
    redacted,
    partial,
    decoys: log.items.length - credentials,
    decoysKept,
    falseLines,
    recall: credentials ? redacted / credentials : 1,
    precision: redacted + falseLines ? redacted / (redacted + falseLines) : 1,
    byKind: [...byKind.values()].sort((a, b) => Number(a.decoy) - Number(b.decoy)),
    falseExamples,
    missExamples,
  };
}
