// The findings of the current notebook in the right sidebar: one row per finding (severity,
// rule, where, message) and the steps of its trace, each naming its cell; clicking a row or a
// step selects that cell and scrolls to it. Each row has the finding's fixes as buttons (as the
// library plans them for every editor; the preferred one in bold), the full title as tooltip.

import type { NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';
import { cellName, type Finding } from '../../server/src/analysis';
import { messageOf } from './marks';
import type { NotebookGuard } from './notebookGuard';

export class FindingsPanel extends Widget {
  private notebook: NotebookPanel | null = null;
  private guard: NotebookGuard | undefined;

  constructor() {
    super();
    this.addClass('jp-nbguard-panel');
    this.id = 'nbguard-findings';
    this.title.label = 'nbguard';
    this.title.caption = 'nbguard: credential findings of the current notebook';
    this.display(null, []);
  }

  /** Shows `findings` of `notebook` (null: no notebook is current). */
  display(notebook: NotebookPanel | null, findings: readonly Finding[], problem?: string, guard?: NotebookGuard): void {
    this.notebook = notebook;
    this.guard = guard;
    const node = this.node;
    node.replaceChildren();
    const header = document.createElement('div');
    header.className = 'jp-nbguard-header';
    header.textContent = notebook ? `${findings.length === 0 ? 'No' : findings.length} finding${findings.length === 1 ? '' : 's'} in ${notebook.context.path}` : 'No notebook is open';
    node.append(header);
    if (problem) {
      const p = document.createElement('div');
      p.className = 'jp-nbguard-problem';
      p.textContent = problem;
      node.append(p);
    }
    const list = document.createElement('ul');
    list.className = 'jp-nbguard-list';
    for (const f of findings) list.append(this.row(f));
    node.append(list);
  }

  private row(f: Finding): HTMLLIElement {
    const li = document.createElement('li');
    li.className = `jp-nbguard-finding jp-nbguard-${f.severity}`;
    li.dataset.rule = f.ruleId;
    li.dataset.cell = String(f.cell);
    li.dataset.line = String(f.line);
    const where = f.output !== undefined ? `${cellName(f.cell)}, output ${f.output + 1}` : `${cellName(f.cell)}, line ${f.line}`;
    li.append(this.link(`${f.severity} ${f.ruleId} · ${where}`, f.cell, 'jp-nbguard-where'), this.text(messageOf(f), 'jp-nbguard-message'));
    const fixes = document.createElement('div');
    fixes.className = 'jp-nbguard-fixes';
    for (const fix of this.guard?.fixes(f) ?? []) {
      const button = this.button(fix.label, fix.title, () => this.guard?.applyFix(f, fix));
      if (fix.preferred) button.classList.add('jp-nbguard-preferred');
      fixes.append(button);
    }
    li.append(fixes);
    if (f.trace && f.trace.length > 0) {
      const steps = document.createElement('ol');
      steps.className = 'jp-nbguard-trace';
      for (const s of f.trace) {
        const step = document.createElement('li');
        step.append(this.link(`${cellName(s.cell)}, line ${s.line}`, s.cell, 'jp-nbguard-step'), this.text(` ${s.message}`, ''));
        const code = this.guard?.shownLine(s.cell, s.line);
        if (code) step.append(this.text(code, 'jp-nbguard-code'));
        steps.append(step);
      }
      li.append(steps);
    }
    return li;
  }

  private button(label: string, title: string, action: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.className = 'jp-nbguard-fix jp-mod-styled';
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', action);
    return b;
  }

  private text(text: string, className: string): HTMLSpanElement {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    return span;
  }

  /** A clickable place that selects its cell. */
  private link(text: string, cell: number, className: string): HTMLAnchorElement {
    const a = document.createElement('a');
    a.className = className;
    a.textContent = text;
    a.href = '#';
    a.addEventListener('click', (event) => {
      event.preventDefault();
      const notebook = this.notebook?.content;
      const widget = notebook?.widgets[cell];
      if (!notebook || !widget) return;
      notebook.activeCellIndex = cell;
      void notebook.scrollToCell(widget);
    });
    return a;
  }
}
