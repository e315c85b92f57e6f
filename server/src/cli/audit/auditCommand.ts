// `nbguard audit`: reads Databricks notebook audit events (or ready-made session lines with
// --sessions), cuts them into sessions, analyses each session as one module as soon as it is
// complete, and streams the report. Memory follows the open sessions, not the input: a month
// of logs is read once, line by line.

import type { Writable } from 'node:stream';
import { severityAtLeast, type Severity } from '../../analysis';
import { analyseSession, sessionFile, type SessionReport } from '../../analysis/audit/analyseSession';
import { SessionPrefilter } from '../../analysis/audit/sessionPrefilter';
import { sessionToLine } from '../../analysis/audit/sessionLines';
import type { AuditSession } from '../../analysis/audit/sessionizer';
import { readBaseline, writeBaseline } from '../baseline';
import { auditReporter, sessionFingerprints, type AuditFormat } from './auditReporters';
import { AuditSummary, summaryLines } from './auditSummary';
import { writeRuleNotes } from '../ruleNotes';
import { readSessions } from './readSessions';
import { createAnalyzer } from '../../node/createAnalyzer';

export interface AuditOptions {
  /** A report format, or `sessions` to write the session lines instead of analysing them. */
  readonly format: AuditFormat | 'sessions';
  /** The inputs are session JSON lines (as `--format sessions` writes), not audit events. */
  readonly sessions: boolean;
  readonly rules: readonly string[];
  readonly failOn: Severity | 'never';
  readonly colour: boolean;
  readonly version: string;
  /** How long after a session's end its late events are still taken in, in minutes. */
  readonly latenessMinutes: number;
  /** A session also ends after this many minutes without an event of its notebook. */
  readonly idleMinutes: number;
  /** How many notebooks the summary lists. */
  readonly top: number;
  /** Report only findings not in this baseline file. */
  readonly baseline?: string;
  /** Record this run's findings in this file. */
  readonly writeBaseline?: string;
  /** The size limit per command in bytes (--max-cell-size); a bigger command is skipped and reported. */
  readonly maxCellSize?: number;
  /** False: analyse every session, also those whose text cannot hold a finding (--no-prefilter). */
  readonly prefilter?: boolean;
}

export class AuditUsageError extends Error {}

/** Writes with back-pressure, so a slow reader of the report does not make nbguard buffer it. */
function writerTo(stream: Writable): (text: string) => Promise<void> {
  return (text) =>
    new Promise((resolve, reject) => {
      if (text.length === 0) return resolve();
      const onError = (error: Error) => reject(error);
      stream.once('error', onError);
      const ok = stream.write(text, () => undefined);
      const done = () => {
        stream.off('error', onError);
        resolve();
      };
      if (ok) done();
      else stream.once('drain', done);
    });
}

export async function runAudit(
  files: readonly string[],
  options: AuditOptions,
  out: Writable = process.stdout,
  err: Writable = process.stderr,
): Promise<0 | 1 | 2> {
  const inputs = files.length === 0 ? ['-'] : files;
  if (inputs.includes('-') && process.stdin.isTTY) throw new AuditUsageError('give audit log files, or pipe the log into standard input');
  const analyzer = options.format === 'sessions' ? undefined : await createAnalyzer({ rulesDirs: options.rules, maxCellSize: options.maxCellSize });
  if (analyzer) writeRuleNotes(analyzer, err);
  const prefilter = analyzer && options.prefilter !== false ? new SessionPrefilter(analyzer.rules) : undefined;
  const reporter = options.format === 'sessions' ? undefined : auditReporter(options.format, options);
  const summary = new AuditSummary(options.top);
  const write = writerTo(out);
  const errors: { file: string; message: string }[] = [];
  const known = options.baseline ? readBaseline(options.baseline) : undefined;
  const recorded = new Set<string>();
  let failing = false;

  const handle = async (session: AuditSession): Promise<void> => {
    if (!analyzer || !reporter) {
      summary.countSession(session.commands.length);
      return write(`${sessionToLine(session)}\n`);
    }
    let report: SessionReport;
    try {
      report = analyseSession(analyzer, session, prefilter);
    } catch (error) {
      // One session nbguard cannot analyse (a defect of nbguard's) never ends the run.
      summary.countSession(session.commands.length);
      errors.push({ file: sessionFile(session), message: `session ${session.id} could not be analysed (${(error as Error).name}); the other sessions were` });
      return;
    }
    let prints = sessionFingerprints(report);
    if (options.writeBaseline) prints.forEach((p) => recorded.add(p));
    if (known) {
      const fresh = report.findings.filter((_, i) => !known.has(prints[i]));
      summary.baselined += report.findings.length - fresh.length;
      prints = prints.filter((p) => !known.has(p));
      report = { ...report, findings: fresh };
    }
    summary.addSession(report);
    if (options.failOn !== 'never' && report.findings.some((f) => severityAtLeast(f.severity, options.failOn as Severity))) failing = true;
    return write(reporter.session(report, prints));
  };

  try {
    for await (const session of readSessions(inputs, options, summary, errors)) await handle(session);
  } catch (error) {
    // The reader went away (`nbguard audit log | head`): not an error of nbguard's.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return failing ? 1 : 0;
    throw error;
  }

  // With both, the new baseline keeps what the old one knew: a nightly job reads and writes one file.
  if (options.writeBaseline) writeBaseline(options.writeBaseline, [...(known ?? []), ...recorded]);
  const data = summary.data();
  const mode = options.sessions ? 'sessions' : 'events';
  if (reporter) await write(reporter.end({ summary: data, errors, mode }));
  if (!reporter || reporter.stderrSummary) {
    for (const e of errors) err.write(`nbguard audit: error: ${e.file}: ${e.message}\n`);
    for (const m of data.malformedExamples) err.write(`nbguard audit: ${m.file}:${m.line}: malformed line skipped: ${m.reason}\n`);
    err.write(summaryLines(data, mode, reporter !== undefined).map((l) => `nbguard audit: ${l}\n`).join(''));
  }
  return errors.length > 0 ? 2 : failing ? 1 : 0;
}
