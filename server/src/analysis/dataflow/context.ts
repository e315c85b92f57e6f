// The state of one run of the taint analysis over a notebook: the compiled rules, where
// findings go, the hardcoded literals of every cell, the cell whose code is running and the
// user-function call stack. Expressions, calls and statements all take this context.

import type { Cell } from '../notebook/model';
import type { Span } from '../lower/ir';
import type { CompiledRules } from '../rules/compiledRules';
import type { FindingCollector } from '../findings/collector';
import type { HardcodedMap } from './hardcoded';
import { sourceId, type Loc, type Source, type SourceKind, type Value } from './value';

export interface RunContext {
  readonly rules: CompiledRules;
  readonly findings: FindingCollector;
  /** The hardcoded literals of a cell, by its index. */
  readonly hardcoded: { get(cell: number): HardcodedMap | undefined };
  /** The cell whose code is being interpreted (a function body runs in its defining cell). */
  cell: Cell;
  /** Ids of the user functions being interpreted, innermost last. */
  readonly callStack: string[];
  /** Where `return` values go while a function body runs. */
  returns: Value[] | null;
  /** True while a cell's top-level statements run (the echo sink applies only there). */
  topLevel: boolean;
  /** Whether the last expression of a cell is shown (notebooks yes, plain scripts no). */
  readonly echoes: boolean;
  /** Work budget: user-function bodies interpreted in this run. */
  calls: number;
}

export function locOf(ctx: RunContext, span: Span): Loc {
  return { cell: ctx.cell, span };
}

export function newSource(ctx: RunContext, label: string, kind: SourceKind, span: Span, rule?: string): Source {
  const loc = locOf(ctx, span);
  return { id: sourceId(loc, kind), label, kind, loc, ...(rule !== undefined ? { rule } : {}) };
}

/** Whether the rules' detectors accept a string as a credential (for masking it in messages). */
export function isCredentialFor(ctx: RunContext): (value: string) => boolean {
  return (value) => ctx.rules.detectors.scan(value).length > 0;
}
