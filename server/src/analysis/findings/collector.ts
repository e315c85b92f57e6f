// Collects findings during one analysis run: one finding per rule and location (the strongest
// flow wins), suppression comments applied, positions converted to the reported coordinates.

import type { Span } from '../lower/ir';
import { toReported, type Cell } from '../notebook/model';
import { hopsOf, type Flow, type Loc } from '../dataflow/value';
import type { Finding, TraceStep } from './finding';
import { strongerSeverity, type RuleId, type Severity } from './ruleCatalog';

export interface RawFinding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly loc: Loc;
  /** The flow whose trace is shown (source, hops, then the sink at `loc`). */
  readonly flow?: Flow;
  readonly output?: number;
}

export class FindingCollector {
  private readonly byLocation = new Map<string, RawFinding>();
  /** Where reports are also recorded (per cell), so a later run can replay them. */
  recording: RawFinding[] | null = null;

  /**
   * @param reported the Finding made for each RawFinding so far (kept by the analysis across
   * runs): a finding replayed unchanged is the same object, so a client can tell at a glance
   * that nothing about it changed.
   */
  constructor(
    private readonly file: string,
    private readonly reported: WeakMap<RawFinding, Finding> = new WeakMap(),
  ) {}

  report(f: RawFinding): void {
    this.recording?.push(f);
    const key = `${f.ruleId}|${f.loc.cell.index}|${f.loc.span.r}|${f.loc.span.c}${f.output === undefined ? '' : `|${f.output}`}`;
    const existing = this.byLocation.get(key);
    if (!existing || strongerSeverity(f.severity, existing.severity)) this.byLocation.set(key, f);
  }

  /** The findings, minus suppressed ones (`suppressed(cell, row, ruleId)`), in reported coordinates. */
  findings(suppressed: (cell: Cell, row: number, ruleId: RuleId) => boolean): Finding[] {
    const out: Finding[] = [];
    for (const f of this.byLocation.values()) {
      if (suppressed(f.loc.cell, f.loc.span.r, f.ruleId)) continue;
      out.push(this.toFinding(f));
    }
    return out;
  }

  private toFinding(f: RawFinding): Finding {
    let finding = this.reported.get(f);
    if (!finding) {
      finding = this.newFinding(f);
      this.reported.set(f, finding);
    }
    return finding;
  }

  private newFinding(f: RawFinding): Finding {
    const start = toReported(f.loc.cell, { row: f.loc.span.r, column: f.loc.span.c });
    const end = toReported(f.loc.cell, { row: f.loc.span.er, column: f.loc.span.ec });
    const finding: Finding = {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: this.file,
      cell: f.loc.cell.index,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      ...(f.flow ? { trace: this.trace(f.flow, f.loc) } : {}),
      ...(f.output !== undefined ? { output: f.output } : {}),
    };
    return finding;
  }

  private trace(flow: Flow, sink: Loc): TraceStep[] {
    const step = (loc: Loc, message: string): TraceStep => {
      const p = toReported(loc.cell, { row: loc.span.r, column: loc.span.c });
      return { file: this.file, cell: loc.cell.index, line: p.line, column: p.column, message };
    };
    const steps = [step(flow.source.loc, 'source')];
    for (const hop of hopsOf(flow)) steps.push(step(hop.loc, hop.label));
    steps.push(step(sink, 'sink'));
    return steps;
  }
}

export function spanKey(cell: Cell, span: Span): string {
  return `${cell.index}:${span.r}:${span.c}`;
}
