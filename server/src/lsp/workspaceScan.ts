// Scans notebooks on disk for the "scan workspace" command: each file is read and analysed as
// the CLI does, and its findings are published on the file's URI so they show in the Problems
// panel even for notebooks that are not open. An .ipynb file's findings are placed on the line
// of the JSON file where the cell's source line is, so clicking one lands near the code.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection, Diagnostic } from 'vscode-languageserver';
import { NotebookInputError, readNotebookText, type Analyzer, type Finding } from '../analysis';
import { toDiagnostic, type PositionMap } from './diagnostics';
import type { ScanResult } from './protocol';
import type { NbguardSettings } from './settings';

/** Line of the JSON text where each cell's source lines start (best effort; 0 when unknown). */
function ipynbLineMap(json: string): (cell: number, line: number) => number {
  const starts: number[] = [];
  const re = /"source"\s*:\s*\[/g;
  for (let m = re.exec(json); m; m = re.exec(json)) starts.push(json.slice(0, m.index).split('\n').length);
  return (cell, line) => (starts[cell] !== undefined ? starts[cell] + line - 1 : 0);
}

export async function scanFiles(
  uris: readonly string[],
  analyzer: Analyzer,
  settings: NbguardSettings,
  connection: Connection,
  isOpen: (uri: string) => boolean,
  token?: CancellationToken,
  published?: (uri: string) => void,
): Promise<ScanResult> {
  const findings: Finding[] = [];
  const errors: { file: string; message: string }[] = [];
  let files = 0;
  for (const uri of uris) {
    if (token?.isCancellationRequested) break;
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
      if (isOpen(uri)) continue; // the open editor already shows them per cell
      const jsonLine = notebook.format === 'ipynb' ? ipynbLineMap(text) : undefined;
      const map: PositionMap = { uriOfCell: () => uri, lineOf: (cell, line) => (jsonLine ? jsonLine(cell, line) : line - 1) };
      const diagnostics: Diagnostic[] = [];
      for (const f of own) {
        const d = toDiagnostic(f, map, settings.rules[f.ruleId]);
        if (!d) continue;
        if (jsonLine) {
          d.message = `cell ${f.cell}, line ${f.line}: ${d.message}`;
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
