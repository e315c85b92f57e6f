// `nbguard fix --suppress`: a `# nbguard: ignore[ID]` comment for each finding in code, the way a
// person would add it. At the end of the reported line, or in the marker already there; for a
// finding that spans lines (a multi-line string or call, where the line's end may be inside the
// string), on a comment line of its own just above, which silences the line below it.

import type { Finding } from '../findings/finding';
import { decodeJsonString, encodeJsonString, type NotebookJsonMap } from '../notebook/jsonLocations';
import type { TextEdit } from './textEdits';

const MARKER = /#\s*nbguard:\s*ignore(\[([^\]]*)\])?/i;

/** `line` with `ids` suppressed: added to its marker, or a marker appended. */
export function withSuppression(line: string, ids: readonly string[]): string {
  const marker = MARKER.exec(line);
  if (marker && marker[1] === undefined) return line; // already ignores every rule
  if (marker) {
    const known = marker[2].split(',').map((s) => s.trim()).filter(Boolean);
    const all = [...known, ...ids.filter((id) => !known.includes(id))];
    return `${line.slice(0, marker.index)}# nbguard: ignore[${all.join(', ')}]${line.slice(marker.index + marker[0].length)}`;
  }
  return `${line.replace(/\s+$/, '')}  # nbguard: ignore[${ids.join(', ')}]`;
}

/** A comment line above `line`, at its indentation, that silences `ids` on it. */
function commentAbove(line: string, ids: readonly string[]): string {
  return `${/^\s*/.exec(line)![0]}# nbguard: ignore[${ids.join(', ')}]\n${line}`;
}

/** What to do to each reported line (1-based) of one cell or file: the rule ids, and how. */
function linePlan(findings: readonly Finding[]): Map<number, { ids: string[]; above: boolean }> {
  const plan = new Map<number, { ids: string[]; above: boolean }>();
  for (const f of findings) {
    const entry = plan.get(f.line) ?? { ids: [], above: false };
    if (!entry.ids.includes(f.ruleId)) entry.ids.push(f.ruleId);
    if (f.endLine > f.line) entry.above = true;
    plan.set(f.line, entry);
  }
  return plan;
}

/**
 * `line` (a \r kept at its end) with `ids` suppressed: in its marker, or on a comment line of its
 * own just above (`above`: for a finding that spans lines), with the line's own line ending.
 */
export function suppressedLine(line: string, ids: readonly string[], above: boolean): string {
  const cr = line.endsWith('\r') ? '\r' : '';
  const body = cr ? line.slice(0, -1) : line;
  return above ? commentAbove(body, ids).replace('\n', `${cr}\n`) + cr : withSuppression(body, ids) + cr;
}

/** Whether a line goes on in the next (ends with `\`): a comment at its end would cut it off. */
const continues = (line: string | undefined) => line !== undefined && /\\\r?$/.test(line);

/**
 * Whether the comment for a finding on line `i` of `lines` goes on a line of its own above: the
 * finding spans lines, or the line goes on in the next (`curl "...?key=$KEY" \`), unless that
 * would put the comment inside the same continued line.
 */
export function suppressAbove(lines: readonly string[], i: number, spansLines: boolean): boolean {
  return spansLines || (continues(lines[i]) && !continues(lines[i - 1]));
}

/** The lines of `text` (split on \n, a \r kept with its line) with the plan applied. */
function suppressLines(lines: string[], plan: Map<number, { ids: string[]; above: boolean }>): string[] {
  return lines.map((line, i) => {
    const entry = plan.get(i + 1);
    // `curl "...?key=$KEY" \` (and Python's `\` too): the comment goes above, unless that is
    // inside the same continued line.
    return entry ? suppressedLine(line, entry.ids, suppressAbove(lines, i, entry.above)) : line;
  });
}

/** Edits of a .py file (Databricks, `# %%` or plain: findings give lines of the file). */
export function suppressInText(text: string, findings: readonly Finding[]): TextEdit[] {
  if (findings.length === 0) return [];
  const lines = text.split('\n');
  const changed = suppressLines(lines, linePlan(findings));
  const edits: TextEdit[] = [];
  let offset = 0;
  lines.forEach((line, i) => {
    if (changed[i] !== line) edits.push({ start: offset, end: offset + line.length, text: changed[i] });
    offset += line.length + 1;
  });
  return edits;
}

/** Edits of one .ipynb cell's source tokens (findings give lines of the cell's source). */
export function suppressInCell(text: string, map: NotebookJsonMap, cell: number, findings: readonly Finding[]): TextEdit[] {
  const tokens = map.cells[cell]?.source ?? [];
  if (findings.length === 0 || tokens.length === 0) return [];
  const values = tokens.map((t) => decodeJsonString(text, t));
  const plan = linePlan(findings);
  const edits: TextEdit[] = [];
  let firstLine = 1; // the source line the current token starts
  values.forEach((value, i) => {
    const lines = value.split('\n');
    const own = new Map<number, { ids: string[]; above: boolean }>();
    lines.forEach((_, k) => {
      const entry = plan.get(firstLine + k);
      // The piece after the token's last line break belongs to the next token's line (nbformat
      // ends every element but the last with one), unless this is the last token.
      if (entry && (k < lines.length - 1 || i === values.length - 1)) own.set(k + 1, entry);
    });
    const next = suppressLines(lines, own).join('\n');
    if (next !== value) edits.push({ start: tokens[i].start, end: tokens[i].end, text: encodeJsonString(next, text.slice(tokens[i].start, tokens[i].end)) });
    firstLine += lines.length - 1;
  });
  return edits;
}
