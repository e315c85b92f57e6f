// Abstract values of the taint analysis. A value knows which secrets flowed into it (flows,
// each with the path of hops it took), what it refers to (a qualified name such as
// `dbutils.secrets`), what kind of object it is (a logger, a file), the user function it is,
// the known fields of a dict or tuple, and its text when it is a string constant.

import type { Cell } from '../notebook/model';
import type { FunctionDef, Span } from '../lower/ir';

/** A place in the notebook: a cell and a span in its code. */
export interface Loc {
  readonly cell: Cell;
  readonly span: Span;
}

export type SourceKind = 'secret' | 'hardcoded' | 'presumed';

export interface Source {
  /** Where the secret enters (cell, position, kind): stable across runs, so a re-run cell that
   * adds a source does not renumber the sources of the cells after it. */
  readonly id: string;
  /** How messages name it: `dbutils.secrets.get("db", "password")`, `parameter "token"`. */
  readonly label: string;
  readonly kind: SourceKind;
  readonly loc: Loc;
  /** The id of the source rule that made it (`databricks-secret-scope`, `getpass`), if one did. */
  readonly rule?: string;
}

export interface Hop {
  readonly loc: Loc;
  readonly label: string;
}

/** The hops a flow took, newest first, shared between flows (a persistent list). */
export interface HopPath {
  readonly hop: Hop;
  readonly prev: HopPath | null;
  readonly length: number;
}

export interface Flow {
  readonly source: Source;
  readonly path: HopPath | null;
}

export interface FunctionValue {
  readonly def: FunctionDef;
  /** The cell that defines the function: its sinks are reported there. */
  readonly cell: Cell;
  /** Default values, evaluated where the function was defined. */
  readonly defaults: ReadonlyMap<string, Value>;
  /** The scope the function was defined in: free names resolve there when it is called. */
  readonly closure?: import('./scope').Scope;
}

/** A user-defined class: its methods and class-level attributes. */
export interface ClassValue {
  readonly name: string;
  readonly methods: ReadonlyMap<string, FunctionValue>;
  readonly attributes: ReadonlyMap<string, Value>;
  /** Field names declared with annotations (dataclasses): the generated __init__'s parameters. */
  readonly annotated: readonly string[];
}

export interface Value {
  readonly flows: readonly Flow[];
  /** A user class (calling it makes an instance). */
  readonly cls?: ClassValue;
  /** An instance of a user class (its methods are followed). */
  readonly instanceOf?: ClassValue;
  readonly qname?: string;
  readonly kind?: string;
  readonly fn?: FunctionValue;
  /** Known dict keys / tuple positions / object attributes and their values. */
  readonly fields?: ReadonlyMap<string, Value>;
  /**
   * The flows of the entries that are not among `fields`, when nbguard saw every secret go in
   * under a constant key: `cfg["schema"]` of `cfg = yaml.safe_load(f); cfg["token"] = t` reads
   * this (clean), not the whole dict. Absent: unknown, a read of another key gets `flows`.
   */
  readonly rest?: readonly Flow[];
  /** The text of a string constant. */
  readonly str?: string;
  /** The static text of an f-string, `*` standing for each interpolation. */
  readonly template?: string;
}

export const CLEAN: Value = Object.freeze({ flows: [] });

/** Flows kept per value: enough for a trace per distinct source, bounded for speed. */
const MAX_FLOWS = 4;
const MAX_PATH = 16;

export function isTainted(v: Value): boolean {
  return v.flows.length > 0;
}

export function unionFlows(a: readonly Flow[], b: readonly Flow[]): readonly Flow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = [...a];
  for (const f of b) {
    if (out.length >= MAX_FLOWS) break;
    if (!out.some((g) => g.source.id === f.source.id)) out.push(f);
  }
  return out;
}

export function flowsOf(values: readonly Value[]): readonly Flow[] {
  let flows: readonly Flow[] = [];
  for (const v of values) flows = unionFlows(flows, v.flows);
  return flows;
}

export function sourceId(loc: Loc, kind: SourceKind): string {
  return `${loc.cell.index}:${loc.span.r}:${loc.span.c}:${kind}`;
}

/** A value that carries only the given flows. */
export function tainted(flows: readonly Flow[]): Value {
  return flows.length === 0 ? CLEAN : { flows };
}

/** Joins the values of two paths (branches, loop iterations). */
export function join(a: Value | undefined, b: Value | undefined): Value {
  if (!a || a === b) return b ?? a ?? CLEAN;
  if (!b) return a;
  const flows = unionFlows(a.flows, b.flows);
  let fields: Map<string, Value> | undefined;
  if (a.fields && b.fields) {
    fields = new Map(a.fields);
    for (const [k, v] of b.fields) fields.set(k, join(fields.get(k), v));
  }
  return {
    flows,
    qname: a.qname === b.qname ? a.qname : undefined,
    kind: a.kind === b.kind ? a.kind : (a.kind ?? b.kind),
    fn: a.fn === b.fn ? a.fn : (a.fn ?? b.fn),
    fields,
    // Other keys read the entries either side may hold; unknown when either side's are.
    rest: fields && a.rest !== undefined && b.rest !== undefined ? unionFlows(a.rest, b.rest) : undefined,
    str: a.str === b.str ? a.str : undefined,
  };
}

/** Adds a hop to every flow of a tainted value (a clean value is returned as is). */
export function withHop(v: Value, hop: Hop): Value {
  if (v.flows.length === 0) return v;
  const flows = v.flows.map((f) =>
    f.path && f.path.length >= MAX_PATH ? f : { source: f.source, path: { hop, prev: f.path, length: (f.path?.length ?? 0) + 1 } },
  );
  return { ...v, flows };
}

/** The hops of a flow, oldest first. */
export function hopsOf(flow: Flow): Hop[] {
  const hops: Hop[] = [];
  for (let p = flow.path; p; p = p.prev) hops.push(p.hop);
  return hops.reverse();
}

/** The flow that makes the strongest finding: real secrets before hardcoded before presumed. */
export function strongestFlow(flows: readonly Flow[]): Flow {
  // Among real secrets, name the one that looks most like a credential (the password rather
  // than the user name that flowed into the same connection string).
  const rank = (f: Flow) =>
    (f.source.kind === 'secret' ? 0 : f.source.kind === 'hardcoded' ? 2 : 4) + (/pass|pwd|secret|token|key|cred/i.test(f.source.label.slice(f.source.label.indexOf('('))) ? 0 : 1);
  return [...flows].sort((a, b) => rank(a) - rank(b))[0];
}
