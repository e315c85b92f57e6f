// Scans notebooks for the "scan workspace" command. An open notebook or .py file counts as its
// editor shows it (the unsaved text, already analysed by its session and shown per cell); any
// other file is read from disk and analysed as the CLI does, and its findings are published on the
// file's URI so they show in the Problems panel. An .ipynb file's findings are placed where the
// cell's source line is stored in the JSON file, so clicking one lands on the code.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection, Diagnostic } from 'vscode-languageserver';
import { cellName, NotebookInputError, readNotebookText, type AnalysisResult, type Analyzer, type Finding } from '../analysis';
import { locateNotebookJson, sourcePosition } from '../analysis/notebook/jsonLocations';
import { toDiagnostic, type PositionMap } from './diagnostics';
import type { ScanResult } from './protocol';
import type { NbguardSettings } from './settings';

/** Where each finding of a file on disk goes: its file, at the stored line of .ipynb sources. */
function diskPositions(uri: string, text: string, format: string): { map: PositionMap; json: boolean } {
  const located = format === 'ipynb' ? locateNotebookJson(text) : undefined;
  const lineOf = (cell: number, line: number) => (located ? (sourcePosition(text, located, cell, line, 1)?.line ?? 1) - 1 : line - 1);
  return { map: { uriOfCell: () => uri, lineOf, hasCells: format !== 'plain' }, json: format === 'ipynb' };
}

export async function scanFiles(
  uris: readonly string[],
  analyzer: Analyzer,
  settings: NbguardSettings,
  connection: Connection,
  /** The current analysis of an open document (undefined when it is not open). */
  openResult: (uri: string) => AnalysisResult | undefined,
  token?: CancellationToken,
  published?: (uri: string) => void,
): Promise<ScanResult> {
  const findings: Finding[] = [];
  const errors: { file: string; message: string }[] = [];
  let files = 0;
  for (const uri of uris) {
    if (token?.isCancellationRequested) break;
    const open = openResult(uri);
    if (open) {
      files++;
      for (const f of open.findings) findings.push({ ...f, file: uri });
      continue; // its editor shows them per cell already
    }
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      errors.push({ file: uri, message: 'not a file URI' });
      continue;
    }
    try {
      const text = await readFile(path, 'utf8');
      const notebook = readNotebookText(path, text);
      const result = analyzer.analyze(notebook, { order: settings.analysisOrder });
      files++;
      const own = result.findings.map((f) => ({ ...f, file: uri }));
      for (const f of own) findings.push(f);
      const { map, json } = diskPositions(uri, text, notebook.format);
      const diagnostics: Diagnostic[] = [];
      for (const f of own) {
        const d = toDiagnostic(f, map, settings.rules[f.ruleId]);
        if (!d) continue;
        if (json) {
          // In the raw JSON the cell is not visible: say which it is, and point at the line only.
          d.message = `${cellName(f.cell)}, line ${f.line}: ${d.message}`;
          d.range = { start: { line: d.range.start.line, character: 0 }, end: { line: d.range.start.line, character: 0 } };
          d.relatedInformation = undefined;
        }
        diagnostics.push(d);
      }
      void connection.sendDiagnostics({ uri, diagnostics });
      published?.(uri);
    } catch (error) {
      errors.push({ file: uri, message: error instanceof NotebookInputError ? error.message : `could not be analysed: ${(error as Error).message}` });
    }
  }
  return { files, findings, errors };
}
