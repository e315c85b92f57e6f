// Findings about what a notebook stores rather than what its code does: hardcoded credentials in
// its code (NBG201), and credentials in its stored outputs and metadata (NBG401). They depend on
// each cell alone, so the analysis computes them once per cell and reports them on every run.

import type { Cell } from '../notebook/model';
import { isAnalysed } from '../notebook/model';
import type { HardcodedLiteral, HardcodedMap } from '../dataflow/hardcoded';
import type { OutputSecret } from '../outputs/scanOutputs';
import type { StructuredSecret } from '../outputs/scanStructured';
import type { FindingCollector, RawFinding } from './collector';
import { maskSecret } from './mask';
import { RULES } from './ruleCatalog';

/** What this module reads of an analysed cell. */
export interface StoredFacts {
  readonly cell: Cell;
  readonly hardcoded?: HardcodedMap;
  readonly outputSecrets?: readonly OutputSecret[];
  readonly metadataSecret?: StructuredSecret;
}

/** `a credential`, `an Azure shared access key`. */
function withArticle(what: string): string {
  return `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;
}

/** Line 1 of a cell, where NBG401 is reported. */
function firstLineSpan(cell: Cell) {
  return { r: 0, c: 0, er: 0, ec: cell.code.split('\n', 1)[0].length };
}

/** One NBG401 per cell (its location is line 1): the first leaking output, all of them named. */
export function reportOutputs(entries: readonly StoredFacts[], collector: FindingCollector): void {
  for (const e of entries) {
    const leaks = e.outputSecrets ?? [];
    if (leaks.length === 0) continue;
    const what = leaks.map((l) => `${withArticle(l.match.detectorName)} (${maskSecret(l.match.value)}) in output ${l.output + 1}`); // numbered from 1, as cells are named
    collector.report({
      ruleId: 'NBG401',
      severity: leaks.some((l) => l.match.confidence === 'high') ? RULES.NBG401.severity : 'warning',
      message: `The stored outputs of this cell hold ${what.join(', ')}; clear the cell's outputs and rotate the credential`,
      loc: { cell: e.cell, span: firstLineSpan(e.cell) },
      output: leaks[0].output,
    });
  }
}

/**
 * NBG401 for metadata: a cell's at its line 1; the notebook's own (Databricks widget values,
 * papermill parameters) at line 1 of the first cell, as the notebook has no line of its own.
 */
export function reportMetadata(entries: readonly StoredFacts[], notebookSecret: StructuredSecret | undefined, collector: FindingCollector): void {
  const report = (cell: Cell, whose: string, secret: StructuredSecret) =>
    collector.report({
      ruleId: 'NBG401',
      severity: secret.match.confidence === 'high' ? RULES.NBG401.severity : 'warning',
      message: `The metadata of ${whose} holds ${withArticle(secret.match.detectorName)} (${maskSecret(secret.match.value)}) at ${secret.where}; remove it from the saved notebook (a widget's saved value, a parameter) and rotate the credential`,
      loc: { cell, span: firstLineSpan(cell) },
    });
  if (notebookSecret && entries.length > 0) report(entries[0].cell, 'the notebook', notebookSecret);
  for (const e of entries) if (e.metadataSecret) report(e.cell, 'this cell', e.metadataSecret);
}

/** The finding made for each literal, while its cell is the same: reported again, it is the same object. */
const literalFindings = new WeakMap<HardcodedLiteral, RawFinding>();

export function reportHardcoded(entries: readonly StoredFacts[], collector: FindingCollector): void {
  for (const e of entries) {
    if (!e.hardcoded || !isAnalysed(e.cell)) continue;
    for (const lit of e.hardcoded.values()) {
      let finding = literalFindings.get(lit);
      if (finding?.loc.cell !== e.cell) {
        const what = lit.detectorName ?? `credential given to "${lit.boundTo}"`;
        finding = {
          ruleId: 'NBG201',
          severity: lit.confidence === 'high' ? RULES.NBG201.severity : 'warning',
          message: `Hardcoded ${what} (${maskSecret(lit.value)}); read it from a secret scope with dbutils.secrets.get(scope=..., key=...) or from the environment instead, and rotate it`,
          loc: { cell: e.cell, span: lit.span },
        };
        literalFindings.set(lit, finding);
      }
      collector.report(finding);
    }
  }
}
