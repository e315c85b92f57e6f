// The counts an audit run ends with: what was read (lines, malformed lines, other events, late
// events), the sessions and commands analysed, findings by rule, and the notebooks with the
// most findings. Kept as counters so a run over a whole month of logs stays small.

import { compareText, formatCount, type RuleId } from '../../analysis';
import type { SessionReport } from '../../analysis/audit/analyseSession';

/** The first malformed lines are kept as examples; the rest are only counted. */
const MALFORMED_EXAMPLES = 20;

export interface MalformedLine {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface SummaryData {
  readonly lines: number;
  readonly malformedLines: number;
  readonly malformedExamples: readonly MalformedLine[];
  readonly otherEvents: number;
  readonly lateEvents: number;
  readonly sessions: number;
  readonly commands: number;
  readonly skippedCommands: number;
  readonly unparsableCommands: number;
  /** Sessions (and their commands in Python) the prefilter cleared without analysis. */
  readonly clearedSessions: number;
  readonly clearedCommands: number;
  readonly findings: number;
  readonly baselinedFindings: number;
  readonly findingsByRule: Partial<Record<RuleId, number>>;
  readonly topNotebooks: readonly { file: string; workspaceId?: string; findings: number; sessions: number }[];
}

export class AuditSummary {
  lines = 0;
  otherEvents = 0;
  lateEvents = 0;
  /** Findings left out because the baseline holds them. */
  baselined = 0;
  private malformed = 0;
  private readonly examples: MalformedLine[] = [];
  private sessions = 0;
  private commands = 0;
  private skipped = 0;
  private unparsable = 0;
  private cleared = 0;
  private clearedCommands = 0;
  private findings = 0;
  private readonly byRule = new Map<RuleId, number>();
  /** Only notebooks with findings are kept; the same path in two workspaces is two notebooks. */
  private readonly byNotebook = new Map<string, { file: string; workspaceId?: string; findings: number; sessions: number }>();

  constructor(private readonly topCount: number) {}

  addMalformed(line: MalformedLine): void {
    this.malformed++;
    if (this.examples.length < MALFORMED_EXAMPLES) this.examples.push(line);
  }

  /** A session handed on without analysis (`--format sessions`). */
  countSession(commands: number): void {
    this.sessions++;
    this.commands += commands;
  }

  addSession(report: SessionReport): void {
    this.countSession(report.session.commands.length);
    this.skipped += report.skipped;
    this.unparsable += report.unparsable.length;
    if (report.cleared) {
      this.cleared++;
      this.clearedCommands += report.session.commands.length - report.skipped;
    }
    if (report.findings.length === 0) return;
    this.findings += report.findings.length;
    for (const f of report.findings) this.byRule.set(f.ruleId, (this.byRule.get(f.ruleId) ?? 0) + 1);
    const workspaceId = report.session.workspaceId;
    const key = `${workspaceId ?? ''}\u0000${report.file}`;
    const entry = this.byNotebook.get(key) ?? { file: report.file, ...(workspaceId ? { workspaceId } : {}), findings: 0, sessions: 0 };
    entry.findings += report.findings.length;
    entry.sessions++;
    this.byNotebook.set(key, entry);
  }

  data(): SummaryData {
    const topNotebooks = [...this.byNotebook.values()]
      .sort((a, b) => b.findings - a.findings || compareText(a.file, b.file))
      .slice(0, this.topCount);
    return {
      lines: this.lines,
      malformedLines: this.malformed,
      malformedExamples: this.examples,
      otherEvents: this.otherEvents,
      lateEvents: this.lateEvents,
      sessions: this.sessions,
      commands: this.commands,
      skippedCommands: this.skipped,
      unparsableCommands: this.unparsable,
      clearedSessions: this.cleared,
      clearedCommands: this.clearedCommands,
      findings: this.findings,
      baselinedFindings: this.baselined,
      findingsByRule: Object.fromEntries([...this.byRule].sort(([a], [b]) => compareText(a, b))),
      topNotebooks,
    };
  }
}

const n = formatCount;
const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;

/** The summary as the text report ends with it. */
export function summaryLines(s: SummaryData, mode: 'events' | 'sessions', analysed = true): string[] {
  const out: string[] = [];
  const input = [`${plural(s.lines, 'line')} read`];
  if (s.malformedLines > 0) input.push(`${n(s.malformedLines)} malformed`);
  if (mode === 'events') input.push(`${plural(s.otherEvents, 'other event')}`);
  if (s.lateEvents > 0) input.push(`${plural(s.lateEvents, 'late event')} (after their session was analysed; see --lateness)`);
  out.push(`input:    ${input.join(', ')}`);
  if (!analysed) {
    out.push(`sessions: ${n(s.sessions)} with ${plural(s.commands, 'command')}`);
    return out;
  }
  const commands = [`${n(s.commands - s.skippedCommands - s.clearedCommands)} analysed`];
  if (s.skippedCommands > 0) commands.push(`${n(s.skippedCommands)} in another language`);
  if (s.unparsableCommands > 0) commands.push(`${n(s.unparsableCommands)} not parsable`);
  out.push(`sessions: ${n(s.sessions)} with ${plural(s.commands, 'command')} (${commands.join(', ')})`);
  if (s.clearedSessions > 0) {
    const share = s.sessions > 0 ? ` (${((100 * s.clearedSessions) / s.sessions).toFixed(0)}%)` : '';
    out.push(`cleared:  ${plural(s.clearedSessions, 'session')}${share} with ${plural(s.clearedCommands, 'command')}: nothing a rule could start from, not parsed`);
  }
  const rules = Object.entries(s.findingsByRule).map(([rule, count]) => `${rule} ${n(count)}`);
  const baselined = s.baselinedFindings > 0 ? `; ${n(s.baselinedFindings)} more in the baseline, not shown` : '';
  out.push(`findings: ${n(s.findings)}${rules.length > 0 ? ` (${rules.join(', ')})` : ''}${baselined}`);
  if (s.topNotebooks.length > 0) {
    out.push('top notebooks:');
    const width = String(s.topNotebooks[0].findings).length;
    const workspaces = new Set(s.topNotebooks.map((t) => t.workspaceId)).size > 1;
    for (const t of s.topNotebooks) {
      const where = workspaces && t.workspaceId ? `  (workspace ${t.workspaceId}, ${plural(t.sessions, 'session')})` : `  (${plural(t.sessions, 'session')})`;
      out.push(`  ${String(t.findings).padStart(width)}  ${t.file}${where}`);
    }
  }
  return out;
}
