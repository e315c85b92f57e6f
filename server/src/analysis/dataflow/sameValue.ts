// Structural equality of abstract values, for the incremental dataflow's early cut-off: when a
// re-run cell leaves every name it writes equal to what the previous run left, the cells after
// it would compute exactly what they computed before. Conservative: user functions and classes
// compare by identity (a re-parsed cell has new definitions), locations by the cell's place and the span.

import type { Flow, HopPath, Loc, Value } from './value';

const MAX_DEPTH = 6;

/**
 * The same place in the notebook: an edited cell is a new Cell object, but a value it computes
 * again at the same place is the same value. What reports derive from a place (the cell's index,
 * its first line, the column shift of masked magics) must be equal too.
 */
function sameCellPlace(a: Loc['cell'], b: Loc['cell']): boolean {
  if (a === b) return true;
  if (a.index !== b.index || a.firstLine !== b.firstLine) return false;
  const x = a.columnShift;
  const y = b.columnShift;
  return x === y || (x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]));
}

function sameLoc(a: Loc, b: Loc): boolean {
  return a.span.r === b.span.r && a.span.c === b.span.c && a.span.er === b.span.er && a.span.ec === b.span.ec && sameCellPlace(a.cell, b.cell);
}

function samePath(a: HopPath | null, b: HopPath | null): boolean {
  for (; a && b; a = a.prev, b = b.prev) {
    if (a === b) return true;
    if (a.hop.label !== b.hop.label || !sameLoc(a.hop.loc, b.hop.loc)) return false;
  }
  return a === b;
}

function sameFlow(a: Flow, b: Flow): boolean {
  const s = a.source;
  const t = b.source;
  return s.id === t.id && s.kind === t.kind && s.label === t.label && sameLoc(s.loc, t.loc) && samePath(a.path, b.path);
}

export function sameValue(a: Value | undefined, b: Value | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (!a || !b || depth > MAX_DEPTH) return false;
  if (a.qname !== b.qname || a.kind !== b.kind || a.str !== b.str || a.template !== b.template) return false;
  if (a.fn !== b.fn || a.cls !== b.cls || a.instanceOf !== b.instanceOf) return false;
  if (a.flows.length !== b.flows.length || a.flows.some((f, i) => !sameFlow(f, b.flows[i]))) return false;
  if ((a.rest === undefined) !== (b.rest === undefined)) return false;
  if (a.rest && b.rest && (a.rest.length !== b.rest.length || a.rest.some((f, i) => !sameFlow(f, b.rest![i])))) return false;
  if (!a.fields || !b.fields) return a.fields === b.fields;
  if (a.fields.size !== b.fields.size) return false;
  for (const [k, v] of a.fields) if (!sameValue(v, b.fields.get(k), depth + 1)) return false;
  return true;
}
