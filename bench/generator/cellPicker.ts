// Chooses the generated notebook's cells after the setup: a code cell template picked at random
// by weight and padded to a realistic length (with a planted leak at fixed positions), and now
// and then a markdown cell.

import { branchCell, mlflowCell, optionsLoopCell, pandasLoadCell, pandasTransformCell, plotCell, sparkCell } from './dataCells';
import { connectorCell, httpCell, jdbcCell, jdbcOptionsCell, secretCell } from './credentialCells';
import { pad } from './filler';
import { helperCallCell, helperDefCell } from './helperFunctionCells';
import type { NotebookScope } from './notebookScope';
import { HARDCODED_EVERY, LEAK_EVERY, hardcodedLines, leakLines } from './plantedLeaks';
import { DOMAINS } from './vocabulary';

/** Cell length: 5-40 lines, mostly 8-20. */
function targetLength(scope: NotebookScope): number {
  const u = scope.random();
  if (u < 0.15) return scope.int(5, 7);
  if (u < 0.75) return scope.int(8, 20);
  if (u < 0.95) return scope.int(21, 32);
  return scope.int(33, 40);
}

/** One code cell; `k` is its position among the code cells (decides the planted leaks). */
export function codeCell(scope: NotebookScope, k: number): string[] {
  const target = targetLength(scope);
  const templates: [number, () => string[]][] = [
    [6, () => secretCell(scope)],
    [7, () => jdbcCell(scope)],
    [4, () => jdbcOptionsCell(scope)],
    [6, () => httpCell(scope)],
    [10, () => pandasLoadCell(scope)],
    [14, () => pandasTransformCell(scope)],
    [10, () => sparkCell(scope)],
    [7, () => plotCell(scope)],
    [8, () => helperDefCell(scope)],
    [10, () => helperCallCell(scope)],
    [5, () => optionsLoopCell(scope)],
    [6, () => branchCell(scope)],
    [4, () => mlflowCell(scope)],
    [3, () => connectorCell(scope)],
  ];
  const total = templates.reduce((n, [w]) => n + w, 0);
  let u = scope.random() * total;
  let body: string[] = [];
  for (const [w, make] of templates) {
    u -= w;
    if (u < 0) {
      body = make();
      break;
    }
  }
  // A few leaks spread through the notebook (one code cell in 25), and rarer hardcoded ones.
  if (k % LEAK_EVERY === LEAK_EVERY >> 1) body = [...pad(scope, body, target - 2), ...leakLines(scope)];
  else if (k % HARDCODED_EVERY === HARDCODED_EVERY >> 1) body = [...pad(scope, body, target - 2), ...hardcodedLines(scope)];
  else body = pad(scope, body, target, scope.chance(0.3) ? 'before' : 'after');
  // Do not end on a bare blank/comment line.
  while (body.length > 1 && /^(\s*|#.*)$/.test(body[body.length - 1])) body.pop();
  return body;
}

/** A section heading, sometimes with a short paragraph. */
export function markdownCell(scope: NotebookScope): string {
  const title = scope.pick(['Load', 'Clean up', 'Features', 'Publish', 'Checks', 'Backfill', 'Exploration', 'Export']);
  const domain = scope.pick(DOMAINS);
  return scope.chance(0.5)
    ? `## ${title}: ${domain}`
    : `### ${title} ${domain}\n\nThe ${domain} extract is refreshed nightly by the \`${domain}_ingest\` job.\nNumbers below are for \`run_date\` only; re-run the cell after changing the widget.`;
}

/** Whether a markdown cell comes before the next code cell (18% of the time). */
export function wantsMarkdown(scope: NotebookScope): boolean {
  return scope.chance(0.18);
}
