// The audit benchmark's paragraph in docs/performance.md: a link to docs/performance-audit.md
// with its headline numbers. The numbers live in performance-audit.md itself (a `headline`
// comment the audit report writes), so the paragraph is the same whether the audit benchmark
// just ran (it rewrites the paragraph in place) or the analysis benchmark regenerated
// performance.md (bench/harness/performanceReport.ts reads the comment back).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT, ROOT } from './config';

export interface AuditHeadline {
  /** Log size, GiB. */
  readonly gib: number;
  readonly commandsPerSecond: number;
  readonly mbPerSecond: number;
  readonly peakRssMib: number;
  /** Aggregate commands/s of the largest executor count projected, and that count. */
  readonly executors: number;
  readonly executorCommandsPerSecond: number;
  /** Minutes for `dailyGib` GiB of log on that many executors. */
  readonly dailyGib: number;
  readonly dailyMinutes: number;
}

const MARK = '<!-- headline: ';
const LEAD = 'Audit log analysis (`nbguard audit`';

export function headlineComment(h: AuditHeadline): string {
  return `${MARK}${JSON.stringify(h)} -->`;
}

/** The headline performance-audit.md holds, if it exists and has one. */
export function readHeadline(root = ROOT): AuditHeadline | undefined {
  const file = join(root, REPORT);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(MARK);
  if (at < 0) return undefined;
  try {
    return JSON.parse(text.slice(at + MARK.length, text.indexOf(' -->', at))) as AuditHeadline;
  } catch {
    return undefined;
  }
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');

/** The paragraph for docs/performance.md (one line, like the redaction and LSP links). */
export function auditParagraph(h: AuditHeadline | undefined = readHeadline()): string {
  const link = '[performance-audit.md](performance-audit.md) (`npm run bench:audit`)';
  if (!h) return `${LEAD} on a generated Databricks audit log of 1 GiB: one core, sessionizing, partitioned runs and a projection for Spark executors) is measured separately: ${link}.`;
  return (
    `${LEAD} on a generated ${h.gib >= 1 ? `${h.gib.toFixed(0)} GiB` : `${(h.gib * 1024).toFixed(0)} MiB`} Databricks audit log) is measured separately: ${link}. ` +
    `One process on one core analyses ${n0(h.commandsPerSecond)} notebook commands/s (${h.mbPerSecond.toFixed(1)} MB/s of log) with a peak RSS of ${n0(h.peakRssMib)} MiB; ` +
    `as a stateless filter on ${h.executors} one-core Spark executors that projects to about ${n0(h.executorCommandsPerSecond)} commands/s, ${h.dailyGib} GiB of log in ${h.dailyMinutes < 10 ? h.dailyMinutes.toFixed(1) : n0(h.dailyMinutes)} minutes (sessionizing not included).`
  );
}

/** Rewrites the audit paragraph of docs/performance.md in place (after the LSP link when new). */
export function updatePerformanceDoc(h: AuditHeadline, root = ROOT): string | undefined {
  const file = join(root, 'docs', 'performance.md');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const paragraph = auditParagraph(h);
  const at = lines.findIndex((l) => l.includes('](performance-audit.md)'));
  if (at >= 0) lines[at] = paragraph;
  else {
    const lsp = lines.findIndex((l) => l.includes('(performance-lsp.md)'));
    if (lsp >= 0) lines.splice(lsp + 1, 0, paragraph);
    else {
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      lines.push('', paragraph, '');
    }
  }
  writeFileSync(file, lines.join('\n'));
  return file;
}
