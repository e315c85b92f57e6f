// The nbguard JupyterLab extension: every open notebook is watched (notebookGuard.ts), findings
// are marked in the cells (marks.ts) and listed in the right sidebar (findingsPanel.ts) with their
// fixes (fixes.ts), and the palette has "nbguard: Scan Notebook" and the output commands. The
// settings (settings.ts) apply to open notebooks as they change. The analysis runs in the page
// (engine.ts): no server extension, so it works on locked-down hubs and needs no server at all
// (docs/jupyterlab.md).

import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { engine as loadEngine, type Engine } from './engine';
import { FindingsPanel } from './findingsPanel';
import { NotebookGuard } from './notebookGuard';
import { DEFAULT_SETTINGS, readSettings, type LabSettings } from './settings';

const PLUGIN_ID = 'nbguard-jupyterlab:plugin';

const SCAN = 'nbguard:scan-notebook';
const REDACT = 'nbguard:redact-outputs';
const CLEAR = 'nbguard:clear-outputs';

/** The settings as they are, then again each time the user changes them (defaults without a registry). */
async function watchSettings(registry: ISettingRegistry | null, onChange: (settings: LabSettings) => void): Promise<LabSettings> {
  if (!registry) return DEFAULT_SETTINGS;
  try {
    const settings = await registry.load(PLUGIN_ID);
    settings.changed.connect(() => onChange(readSettings(settings.composite as Record<string, unknown>)));
    return readSettings(settings.composite as Record<string, unknown>);
  } catch {
    return DEFAULT_SETTINGS; // the schema did not load: nbguard still works with its defaults
  }
}

/** The engine of these rule files; a problem with them is told once, where the user will see it. */
let told: string | undefined;
async function engine(settings: LabSettings): Promise<Engine> {
  const started = performance.now();
  const loaded = await loadEngine(settings.ruleFiles);
  // For the latency benchmark: how long the first engine took to load (rules, wasm).
  document.body.dataset.nbguardEngineMs ??= (performance.now() - started).toFixed(0);
  if (loaded.problem && loaded.problem !== told) Notification.warning(`nbguard: ${loaded.problem}`, { autoClose: false });
  told = loaded.problem;
  return loaded;
}

function activate(app: JupyterFrontEnd, tracker: INotebookTracker, palette: ICommandPalette | null, registry: ISettingRegistry | null): void {
  const panel = new FindingsPanel();
  app.shell.add(panel, 'right', { rank: 900 });
  const guards = new Map<NotebookPanel, NotebookGuard>();
  const showCurrent = () => {
    const notebook = tracker.currentWidget;
    const guard = notebook ? guards.get(notebook) : undefined;
    panel.display(notebook, guard?.findings ?? [], guard?.problem, guard);
  };

  const settingsLoaded = watchSettings(registry, async (settings) => {
    const next = await engine(settings);
    for (const guard of guards.values()) guard.configure(next, settings);
    showCurrent();
  });

  tracker.widgetAdded.connect((_, notebook) => {
    void notebook.context.ready.then(async () => {
      const settings = await settingsLoaded;
      const guard = new NotebookGuard(notebook, await engine(settings), settings);
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
  id: PLUGIN_ID,
  description: 'Credential leaks and hardcoded keys in notebooks, live, in execution order.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ISettingRegistry],
  activate,
};

export default plugin;
