// The nbguard JupyterLab extension: every open notebook is watched (notebookGuard.ts), findings
// are marked in the cells (marks.ts) and listed in the right sidebar (findingsPanel.ts) with their
// fixes (fixes.ts), and the palette has "nbguard: Scan Notebook" and the output commands. The analysis runs in the page (engine.ts): no server
// extension, so it works on locked-down hubs and in JupyterLite (docs/jupyterlab.md).

import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import { engine } from './engine';
import { FindingsPanel } from './findingsPanel';
import { NotebookGuard } from './notebookGuard';

const SCAN = 'nbguard:scan-notebook';
const REDACT = 'nbguard:redact-outputs';
const CLEAR = 'nbguard:clear-outputs';

function activate(app: JupyterFrontEnd, tracker: INotebookTracker, palette: ICommandPalette | null): void {
  const panel = new FindingsPanel();
  app.shell.add(panel, 'right', { rank: 900 });
  const guards = new Map<NotebookPanel, NotebookGuard>();
  const showCurrent = () => {
    const notebook = tracker.currentWidget;
    const guard = notebook ? guards.get(notebook) : undefined;
    panel.display(notebook, guard?.findings ?? [], guard?.problem, guard);
  };

  tracker.widgetAdded.connect((_, notebook) => {
    void notebook.context.ready.then(async () => {
      const guard = new NotebookGuard(notebook, await engine());
      guards.set(notebook, guard);
      guard.changed.connect(() => tracker.currentWidget === notebook && showCurrent());
      notebook.disposed.connect(() => {
        guard.dispose();
        guards.delete(notebook);
        showCurrent();
      });
      showCurrent();
    });
  });
  tracker.currentChanged.connect(showCurrent);

  app.commands.addCommand(SCAN, {
    label: 'nbguard: Scan Notebook',
    isEnabled: () => tracker.currentWidget !== null,
    execute: () => {
      const notebook = tracker.currentWidget;
      if (notebook) guards.get(notebook)?.run();
      app.shell.activateById(panel.id);
    },
  });
  const current = () => (tracker.currentWidget ? guards.get(tracker.currentWidget) : undefined);
  app.commands.addCommand(REDACT, {
    label: 'nbguard: Redact Credentials in Outputs',
    isEnabled: () => tracker.currentWidget !== null,
    execute: () => current()?.redactOutputs(),
  });
  app.commands.addCommand(CLEAR, {
    label: 'nbguard: Clear Leaking Outputs',
    isEnabled: () => tracker.currentWidget !== null,
    execute: () => current()?.clearOutputs(),
  });
  for (const command of [SCAN, REDACT, CLEAR]) palette?.addItem({ command, category: 'nbguard' });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'nbguard-jupyterlab:plugin',
  description: 'Credential leaks and hardcoded keys in notebooks, live, in execution order.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette],
  activate,
};

export default plugin;
