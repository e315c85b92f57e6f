// The status-bar item: how many nbguard findings the active notebook (or .py file) has.

import * as vscode from 'vscode';

function countFor(uris: readonly vscode.Uri[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const uri of uris) {
    for (const d of vscode.languages.getDiagnostics(uri)) {
      if (d.source !== 'nbguard') continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else warnings++;
    }
  }
  return { errors, warnings };
}

export function createStatusBar(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('nbguard.findings', vscode.StatusBarAlignment.Left, 50);
  item.name = 'nbguard findings';
  item.command = 'nbguard.scanNotebook';
  const update = () => {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    const doc = vscode.window.activeTextEditor?.document;
    const uris = nb ? nb.getCells().map((c) => c.document.uri) : doc && doc.languageId === 'python' ? [doc.uri] : undefined;
    if (!uris) {
      item.hide();
      return;
    }
    const { errors, warnings } = countFor(uris);
    const n = errors + warnings;
    item.text = n === 0 ? '$(shield) nbguard' : `$(shield) nbguard: ${n}`;
    item.tooltip = n === 0 ? 'nbguard: no credential leaks found' : `nbguard: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in this notebook`;
    item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveNotebookEditor(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
