// The nbguard language server: LSP 3.17 notebook sync for Jupyter notebooks and the
// interactive window (python cells), ordinary text sync for .py files, diagnostics, quick fixes
// and nbguard's own requests. Everything it knows about Python and secrets comes from the
// analysis library; this file only keeps documents, settings and the LSP conversation.

import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  NotebookDocuments,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeResult,
  type NotebookCell,
  type NotebookDocument,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, RuleLoadError } from '../analysis';
import { codeActionsFor } from './codeActions';
import { NotebookSession, TextSession, type DocumentSession, type SessionCell } from './documentSession';
import { CellOutputsNotification, RedactRequest, ScanDocumentRequest, ScanFilesRequest, TrustNotification, type ScanResult } from './protocol';
import { DEFAULT_SETTINGS, readSettings, type NbguardSettings } from './settings';
import { scanFiles } from './workspaceScan';
import { createAnalyzer } from '../node/createAnalyzer';
import { ParseHelper } from '../node/parseHelper';

const CODE_CELL = 2; // NotebookCellKind.Code

/** The cells of a notebook the client syncs: Python code, and the others only for numbering. */
const SYNCED_CELLS = [{ language: 'python' }, { language: 'markdown' }, { language: 'raw' }];

export class NbguardServer {
  private readonly notebooks = new NotebookDocuments(TextDocument);
  private readonly documents = new TextDocuments(TextDocument);
  private readonly sessions = new Map<string, DocumentSession>();
  /** Cell text last seen per cell URI: a moved cell arrives without its text. */
  private readonly cellText = new Map<string, string>();
  /** Stored outputs per cell URI, from the client. */
  private readonly cellOutputs = new Map<string, readonly Record<string, unknown>[]>();
  /** File URIs a workspace scan published diagnostics on. */
  private readonly scannedUris = new Set<string>();
  private settings: NbguardSettings = DEFAULT_SETTINGS;
  private analyzer: Promise<Analyzer>;
  private trusted = true;
  private workspaceFolders: string[] = [];
  private canPullConfiguration = false;
  /** The rule folders and settings the current analyzer and sessions were set up with. */
  private loadedKey: string | undefined;
  /** Parses a big notebook's cells on another core, ahead of the main thread opening it. */
  private readonly helper = ParseHelper.forServer((message) => this.connection.console.warn(message));

  constructor(private readonly connection: Connection) {
    this.analyzer = createAnalyzer();
    connection.onInitialize((params) => {
      this.canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
      const options = (params.initializationOptions ?? {}) as { workspaceTrusted?: boolean; settings?: unknown };
      if (options.workspaceTrusted === false) this.trusted = false;
      if (options.settings) this.settings = readSettings(options.settings);
      this.workspaceFolders = (params.workspaceFolders ?? []).flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
      const result: InitializeResult = {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          notebookDocumentSync: {
            // Markdown and raw cells too: not analysed, but they keep the server's cell indexes
            // those of the editor, so messages can say "Cell 5" as the status bar does.
            notebookSelector: [
              { notebook: { notebookType: 'jupyter-notebook' }, cells: SYNCED_CELLS },
              { notebook: { notebookType: 'interactive' }, cells: SYNCED_CELLS },
            ],
          },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: 'nbguard', version: typeof __NBGUARD_VERSION__ === 'string' ? __NBGUARD_VERSION__ : undefined },
      };
      return result;
    });
    connection.onInitialized(async () => {
      if (this.canPullConfiguration) {
        void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
        await this.reloadSettings();
      } else await this.reloadRules();
    });
    connection.onDidChangeConfiguration(async (change) => {
      if (this.canPullConfiguration) await this.reloadSettings();
      else if (change.settings?.nbguard) {
        this.settings = readSettings(change.settings.nbguard);
        await this.reloadRules();
      }
    });
    connection.onNotification(TrustNotification, async ({ trusted }) => {
      this.trusted = trusted;
      await this.reloadRules();
    });

    this.notebooks.onDidOpen((nb) => this.onNotebook(nb, true));
    // Changes reach onNotebook through afterEveryNotebookChange (moves too), not onDidChange.
    this.notebooks.onDidClose((nb) => this.closeSession(nb.uri, nb.cells.map((c) => c.document)));
    this.documents.onDidChangeContent((e) => this.onTextDocument(e.document));
    this.documents.onDidClose((e) => this.closeSession(e.document.uri, []));

    connection.onNotification(CellOutputsNotification, (params) => {
      for (const c of Array.isArray(params?.cells) ? params.cells : []) {
        if (typeof c?.cell !== 'string') continue;
        // Only objects are outputs; anything else from a client is dropped, not trusted.
        const outputs = Array.isArray(c.outputs) ? c.outputs.filter((o: unknown) => o !== null && typeof o === 'object' && !Array.isArray(o)) : [];
        this.cellOutputs.set(c.cell, outputs);
      }
      const nb = this.notebooks.getNotebookDocument(params.notebook);
      if (nb) this.onNotebook(nb, false);
    });
    connection.onCodeAction(async (params) => this.codeActions(params.textDocument.uri, params.context.diagnostics, await this.analyzer));
    connection.onRequest(ScanDocumentRequest, ({ uri }) => this.scanDocument(uri));
    connection.onRequest(ScanFilesRequest, async ({ uris }, token) =>
      scanFiles(uris, await this.analyzer, this.settings, connection, (uri) => this.sessions.get(uri)?.runNow(), token, (uri) => this.scannedUris.add(uri)),
    );
    connection.onRequest(RedactRequest, async ({ texts }) => {
      const analyzer = await this.analyzer;
      return { texts: texts.map((t) => analyzer.redact(t)) };
    });

    this.notebooks.listen(this.afterEveryNotebookChange(connection));
    this.documents.listen(connection);
  }

  listen(): void {
    this.connection.listen();
  }

  /**
   * NotebookDocuments fires onDidChange only when cells were opened, closed, or changed data or
   * text, so a cell moved (a structure change alone) would never be re-analysed. Its handler is
   * wrapped so that every notebook change, once applied, reaches onNotebook.
   */
  private afterEveryNotebookChange(connection: Connection): Connection {
    const sync = connection.notebooks.synchronization;
    const wrapped: typeof sync = {
      ...sync,
      onDidChangeNotebookDocument: (handler) =>
        sync.onDidChangeNotebookDocument(async (params) => {
          await handler(params);
          const nb = this.notebooks.getNotebookDocument(params.notebookDocument.uri);
          if (nb) await this.onNotebook(nb, false);
        }),
    };
    return Object.create(connection, { notebooks: { value: Object.create(connection.notebooks, { synchronization: { value: wrapped } }) } }) as Connection;
  }

  private async reloadSettings(): Promise<void> {
    try {
      const [raw] = await this.connection.workspace.getConfiguration([{ section: 'nbguard' }]);
      this.settings = readSettings(raw);
    } catch (error) {
      this.connection.console.warn(`nbguard: cannot read settings, using defaults: ${(error as Error).message}`);
    }
    await this.reloadRules();
  }

  /** Rule folders inside an untrusted workspace are not loaded (a workspace must not add rules unasked). */
  private allowedRuleFolders(): string[] {
    const folders = this.settings.rulesFolders.map((f) => (isAbsolute(f) ? f : resolve(this.workspaceFolders[0] ?? process.cwd(), f)));
    if (this.trusted) return folders;
    const inside = (f: string) => this.workspaceFolders.some((w) => !relative(w, f).startsWith('..') && !isAbsolute(relative(w, f)));
    const skipped = folders.filter(inside);
    if (skipped.length > 0) this.connection.console.info(`nbguard: untrusted workspace, not loading rule folders ${skipped.join(', ')}`);
    return folders.filter((f) => !inside(f));
  }

  private async reloadRules(): Promise<void> {
    const dirs = this.allowedRuleFolders();
    const key = JSON.stringify({ dirs, settings: this.settings });
    if (key === this.loadedKey) return; // the client sends its configuration again at start-up
    this.loadedKey = key;
    try {
      const analyzer = await createAnalyzer({ rulesDirs: dirs });
      this.analyzer = Promise.resolve(analyzer);
      this.helper?.warm();
      this.connection.console.info(`nbguard: rules loaded (built-in${dirs.length ? ` + ${dirs.join(', ')}` : ''}); order ${this.settings.analysisOrder}`);
      for (const note of analyzer.rules.set.notes) this.connection.console.info(`nbguard: ${note}`);
    } catch (error) {
      const message = error instanceof RuleLoadError ? error.message : (error as Error).message;
      void this.connection.window.showErrorMessage(`nbguard: the rule folders could not be loaded, using the built-in rules: ${message}`);
      this.analyzer = createAnalyzer();
    }
    const analyzer = await this.analyzer;
    for (const session of this.sessions.values()) session.reset(analyzer, this.settings);
  }

  /** The notebook's cells as the session takes them; a cell that did not change keeps its object. */
  private cellsOf(nb: NotebookDocument, previous: readonly SessionCell[] = []): SessionCell[] {
    return nb.cells.map((cell: NotebookCell, index): SessionCell => {
      const uri = cell.document;
      const doc = this.notebooks.getCellTextDocument(cell);
      const text = doc?.getText() ?? this.cellText.get(uri) ?? '';
      this.cellText.set(uri, text);
      const order = cell.executionSummary?.executionOrder ?? (cell.metadata as { execution_count?: unknown } | undefined)?.execution_count;
      // A code cell in another language (raw, R, SQL kernels' cells) is not Python: skipped like markdown.
      const kind = cell.kind === CODE_CELL && (doc?.languageId ?? 'python') === 'python' ? 'code' : 'markdown';
      const executionCount = typeof order === 'number' ? order : null;
      const outputs = this.cellOutputs.get(uri);
      const was = previous[index];
      if (was && was.uri === uri && was.text === text && was.kind === kind && was.executionCount === executionCount && was.outputs === outputs) return was;
      return { uri, text, kind, executionCount, outputs };
    });
  }

  private async onNotebook(nb: NotebookDocument, opened: boolean): Promise<void> {
    const analyzer = await this.analyzer;
    let session = this.sessions.get(nb.uri) as NotebookSession | undefined;
    if (!session) {
      session = new NotebookSession(nb.uri, this.connection, analyzer, this.settings, this.helper);
      this.sessions.set(nb.uri, session);
      // A workspace scan put this file's findings on its file URI: the cells show them now.
      if (this.scannedUris.delete(nb.uri)) void this.connection.sendDiagnostics({ uri: nb.uri, diagnostics: [] });
    }
    session.cells = this.cellsOf(nb, session.cells);
    if (opened) session.runNow();
    else session.schedule();
  }

  private async onTextDocument(doc: TextDocument): Promise<void> {
    if (!/\.py$/i.test(doc.uri) && doc.languageId !== 'python') return;
    const analyzer = await this.analyzer;
    let session = this.sessions.get(doc.uri) as TextSession | undefined;
    const opened = !session;
    if (!session) {
      session = new TextSession(doc.uri, this.connection, analyzer, this.settings, this.helper);
      this.sessions.set(doc.uri, session);
    }
    session.text = doc.getText();
    if (opened) session.runNow();
    else session.schedule();
  }

  private closeSession(uri: string, cellUris: string[]): void {
    this.sessions.get(uri)?.close();
    this.sessions.delete(uri);
    for (const c of cellUris) {
      this.cellText.delete(c);
      this.cellOutputs.delete(c);
    }
  }

  /** The session and document text for a cell URI or a .py document URI. */
  private locate(uri: string): { session: DocumentSession; text: string; isCell: boolean } | undefined {
    const nb = this.notebooks.findNotebookDocumentForCell(uri);
    if (nb) {
      const session = this.sessions.get(nb.uri);
      return session ? { session, text: this.cellText.get(uri) ?? '', isCell: true } : undefined;
    }
    const session = this.sessions.get(uri);
    const doc = this.documents.get(uri);
    return session && doc ? { session, text: doc.getText(), isCell: false } : undefined;
  }

  private codeActions(uri: string, diagnostics: readonly import('vscode-languageserver').Diagnostic[], analyzer: Analyzer): CodeAction[] {
    const found = this.locate(uri);
    if (!found) return [];
    const ctx = {
      isCredential: (text: string) => analyzer.holdsCredential(text),
      uri,
      text: found.text,
      notebookText: found.session.allText(),
      isDatabricks: found.session.isDatabricks,
      hasOutputs: found.isCell,
      secretScope: this.settings.secretScope,
    };
    return diagnostics.filter((d) => d.source === 'nbguard').flatMap((d) => codeActionsFor(d, ctx));
  }

  private async scanDocument(uri: string): Promise<ScanResult> {
    const nb = this.notebooks.getNotebookDocument(uri) ?? this.notebooks.findNotebookDocumentForCell(uri);
    const session = this.sessions.get(nb?.uri ?? uri);
    if (!session) return { files: 0, findings: [], errors: [{ file: uri, message: 'not an open notebook or .py file' }] };
    const result = session.runNow();
    // The server numbers only the cells it is sent; the cell URI lets the client number them as
    // the editor does (markdown cells included).
    const map = session.positions();
    const findings = (result?.findings ?? []).map((f) => ({ ...f, cellUri: map.uriOfCell(f.cell) }));
    return { files: 1, findings, errors: [] };
  }
}

declare const __NBGUARD_VERSION__: string | undefined;
