// Name bindings during the analysis. Module-level names persist from cell to cell; a function
// call gets its own local scope on top of the module's. Branches run on overlays (only the
// names a branch writes are stored), merged back by joining, so an `if` costs what it writes,
// not the size of the notebook.

import { join, type Value } from './value';

/** Previous values of the names a cell wrote (undefined: the name was unbound). */
export type UndoLog = Map<string, Value | undefined>;

class Frame {
  readonly vars = new Map<string, Value>();
  /** While set, the first write of each name records its previous value. */
  log: UndoLog | null = null;
  constructor(readonly base: Frame | null) {}

  set(name: string, value: Value): void {
    if (this.log && !this.log.has(name)) this.log.set(name, this.vars.get(name));
    this.vars.set(name, value);
  }

  get(name: string): Value | undefined {
    for (let f: Frame | null = this; f; f = f.base) {
      const v = f.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/** Which module names were read while it is set (shared by a module scope and its forks). */
interface ReadTracker {
  reads: Set<string> | null;
}

export class Scope {
  private constructor(
    private frame: Frame,
    private readonly tracker: ReadTracker,
    /** The module scope, for function scopes; null for the module itself. */
    readonly module: Scope | null,
    /** Names this (function) scope declared `global`. */
    readonly globals: ReadonlySet<string>,
  ) {}

  static module(): Scope {
    return new Scope(new Frame(null), { reads: null }, null, new Set());
  }

  /** A function's local scope on top of `module`. */
  static local(module: Scope, globals: ReadonlySet<string>): Scope {
    return new Scope(new Frame(null), { reads: null }, module, globals);
  }

  lookup(name: string): Value | undefined {
    if (this.module && this.globals.has(name)) return this.module.lookup(name);
    if (!this.module) {
      // A module-level read: what a cell depends on, for the incremental analysis.
      this.tracker.reads?.add(name);
      return this.frame.get(name);
    }
    return this.frame.get(name) ?? this.module.lookup(name);
  }

  assign(name: string, value: Value): void {
    if (this.module && this.globals.has(name)) this.module.assign(name, value);
    else this.frame.set(name, value);
  }

  /** A scope whose writes stay on an overlay until merge(). */
  fork(): Scope {
    return new Scope(new Frame(this.frame), this.tracker, this.module, this.globals);
  }

  /** Joins the writes of `forks` (each forked from this scope) into this scope. */
  merge(forks: readonly Scope[]): void {
    const names = new Set<string>();
    for (const f of forks) for (const n of f.frame.vars.keys()) names.add(n);
    for (const name of names) {
      // Joining with the value from before the branches depends on it: a read.
      if (!this.module) this.tracker.reads?.add(name);
      let value: Value | undefined;
      for (const f of forks) value = value === undefined ? (f.frame.get(name) ?? this.frame.get(name)) : join(value, f.frame.get(name) ?? this.frame.get(name));
      if (value) this.frame.set(name, value);
    }
  }

  /** Starts recording the reads of and writes to this (module) scope. */
  startUndoLog(): void {
    this.frame.log = new Map();
    this.tracker.reads = new Set();
  }

  /** Stops recording; returns the previous values (undo), the values now bound (redo) and the names read. */
  takeUndoLog(): { undo: UndoLog; redo: UndoLog; reads: Set<string> } {
    const undo = this.frame.log ?? new Map();
    this.frame.log = null;
    const reads = this.tracker.reads ?? new Set();
    this.tracker.reads = null;
    const redo: UndoLog = new Map();
    for (const name of undo.keys()) redo.set(name, this.frame.vars.get(name));
    return { undo, redo, reads };
  }

  /** The value bound at module level now (no read is recorded). */
  peek(name: string): Value | undefined {
    return this.frame.get(name);
  }

  /** Restores the bindings a log recorded (an undo log to roll back, a redo log to replay). */
  restore(log: UndoLog): void {
    for (const [name, value] of log) {
      if (value === undefined) this.frame.vars.delete(name);
      else this.frame.vars.set(name, value);
    }
  }

}
