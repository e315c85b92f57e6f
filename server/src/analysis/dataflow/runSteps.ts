// The incremental dataflow's record of one analysis: a step per cell run, in analysis order
// (what it ran on, how it changed the module scope, what it reported), and the early cut-off
// that lets a later run skip a cell: the names whose values changed since the previous run.

import type { RawFinding } from '../findings/collector';
import type { CellFacts } from '../lower/ir';
import type { Cell } from '../notebook/model';
import type { SyntaxProblem } from '../notebookAnalysis';
import type { HardcodedMap } from './hardcoded';
import { sameValue } from './sameValue';
import type { UndoLog } from './scope';
import type { Value } from './value';

export function readsAny(reads: ReadonlySet<string>, changed: ReadonlySet<string>): boolean {
  if (changed.size === 0) return false;
  for (const name of changed) if (reads.has(name)) return true;
  return false;
}

/**
 * Updates the names whose value differs from the previous run after a cell ran again: for each
 * name the new or the old run of the cell wrote, compare what each left bound. A name only one
 * of them wrote kept its value from before the cell in the other run, which is known only while
 * the name had not changed yet (a changed name stays changed until both runs write it alike).
 */
export function noteChanges(changed: Set<string>, step: RunStep, old: RunStep | undefined): void {
  const names = new Set([...step.redo.keys(), ...(old?.redo.keys() ?? [])]);
  for (const name of names) {
    let now: Value | undefined;
    let then: Value | undefined;
    if (changed.has(name)) {
      // Values before the cell differ between the runs: comparable only if both runs wrote it.
      if (!step.redo.has(name) || !old?.redo.has(name)) continue;
      now = step.redo.get(name);
      then = old.redo.get(name);
    } else {
      // Same value before the cell in both runs; whichever run wrote the name logged it.
      const before = step.undo.has(name) ? step.undo.get(name) : old?.undo.get(name);
      now = step.redo.has(name) ? step.redo.get(name) : before;
      then = old?.redo.has(name) ? old.redo.get(name) : before;
    }
    if (sameValue(now, then)) changed.delete(name);
    else changed.add(name);
  }
}

/**
 * One cell's run in the last analysis, in analysis order: what it ran on, the module names it
 * changed (to roll back), the findings it reported (to replay) and the counters after it.
 */
export interface RunStep {
  readonly cell: Cell;
  readonly facts: CellFacts;
  readonly hardcoded: HardcodedMap | undefined;
  readonly undo: UndoLog;
  /** The values the cell left bound to the names it wrote. */
  readonly redo: UndoLog;
  /** The module-level names the cell read (directly or in the functions it called). */
  readonly reads: ReadonlySet<string>;
  readonly findings: RawFinding[];
  readonly calls: number;
  readonly failure?: SyntaxProblem;
}
