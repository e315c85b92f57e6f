// A minimal LSP client for tests: starts the real server bundle (dist/server.js) over stdio,
// answers its configuration requests, and collects published diagnostics per URI so tests can
// wait for what a user would see in the editor.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  ConfigurationRequest,
  CodeActionRequest,
  type CodeAction,
  type Command,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const SERVER = process.env.NBGUARD_SERVER ?? resolve(__dirname, '..', '..', 'dist', 'server.js');

/** The answer of nbguard/scanDocument and nbguard/scanFiles (server/src/lsp/protocol.ts). */
export interface ScanResult {
  files: number;
  findings: { ruleId: string; severity: string; message: string; file?: string; cell: number; line: number; column: number; endLine: number; endColumn: number }[];
  errors: { file: string; message: string }[];
}

export interface ClientOptions {
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  workspaceFolder?: string;
  /** Whether the client answers workspace/configuration (default true); false: settings come only in notifications. */
  pullConfiguration?: boolean;
  /** Environment variables for the server process, on top of the test's own. */
  env?: Record<string, string>;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics in order: [uri, count]. */
  readonly publications: { uri: string; diagnostics: Diagnostic[] }[] = [];
  private waiters: (() => void)[] = [];
  stderr = '';
  /** What the server logged or showed (window/logMessage, showMessage, showMessageRequest), in order. */
  readonly logs: { type: number; message: string }[] = [];
  /** The nbguard settings answered to workspace/configuration; change them, then send didChangeConfiguration. */
  settings: Record<string, unknown>;

  constructor(private readonly options: ClientOptions = {}) {
    this.settings = { ...(options.settings ?? {}) };
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publications.push({ uri: p.uri, diagnostics: p.diagnostics });
      this.wake();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ debounceMs: 0, ...this.settings })));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.wake();
    });
    this.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.wake();
    });
    this.connection.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.wake();
      return null;
    });
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    const folder = this.options.workspaceFolder;
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: this.options.pullConfiguration ?? true, didChangeConfiguration: { dynamicRegistration: true } },
        notebookDocument: { synchronization: { dynamicRegistration: true, executionSummarySupport: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true } },
      },
      initializationOptions: this.options.initializationOptions ?? {},
    });
    await this.connection.sendNotification('initialized', {});
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Writes bytes straight to the server's stdin (for malformed-message tests). */
  writeRaw(data: string | Buffer): Promise<void> {
    return new Promise((resolveWrite, reject) => this.child.stdin!.write(data, (error) => (error ? reject(error) : resolveWrite())));
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the server logged a message matching `pattern`; returns it. */
  async waitForLog(pattern: RegExp, timeoutMs = 10_000, since = 0): Promise<string> {
    const find = () => this.logs.slice(since).find((l) => pattern.test(l.message));
    await this.waitFor(() => find() !== undefined, timeoutMs, () => `timed out waiting for log ${pattern}; have: ${JSON.stringify(this.logs.map((l) => l.message))}`);
    return find()!.message;
  }

  /** New settings: workspace/didChangeConfiguration, then waits until the server reloaded with them. */
  async configure(settings: Record<string, unknown>): Promise<void> {
    const since = this.logs.length;
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await this.waitForLog(/nbguard: rules loaded/, 10_000, since);
  }

  /** initialize + initialized, then waits until the server loaded its rules with the client's settings. */
  async start(): Promise<void> {
    await this.initialize();
    await this.waitForLog(/nbguard: rules loaded/);
  }

  /** Code actions for `diagnostics` (default: all published) of the document `uri`. */
  async codeActions(uri: string, diagnostics = this.diagnostics.get(uri) ?? []): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const result = (await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } })) ?? [];
    return result.filter((a): a is CodeAction => !isCommand(a));
  }

  /**
   * nbguard/scanDocument: analyses the open document holding `uri` now. The server publishes
   * before it answers, so after this resolves the published diagnostics are current (a barrier
   * for assertions that something is absent).
   */
  scanDocument(uri: string): Promise<ScanResult> {
    return this.connection.sendRequest('nbguard/scanDocument', { uri });
  }

  scanFiles(uris: string[]): Promise<ScanResult> {
    return this.connection.sendRequest('nbguard/scanFiles', { uris });
  }

  redact(texts: string[]): Promise<{ texts: string[] }> {
    return this.connection.sendRequest('nbguard/redact', { texts });
  }

  /** Resolves once `predicate` holds on the diagnostics, re-checked after every publication. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000, describe?: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(
          describe?.() ?? `timed out waiting for diagnostics; have: ${JSON.stringify([...this.diagnostics].map(([u, d]) => [u, d.map((x) => `${x.code}@${x.range.start.line}`)]))}`,
        );
      }
      await new Promise<void>((resolveWait) => {
        const t = setTimeout(resolveWait, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolveWait();
        });
      });
    }
  }

  /** `CODE@line:character` of the diagnostics last published for `uri`. */
  codes(uri: string): string[] {
    return (this.diagnostics.get(uri) ?? []).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
  }

  async stop(): Promise<void> {
    try {
      if (this.alive) {
        const timeout = new Promise<void>((resolveTimeout) => setTimeout(resolveTimeout, 2_000).unref());
        await Promise.race([this.connection.sendRequest('shutdown'), timeout]);
        await this.connection.sendNotification('exit');
      }
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.child.kill();
  }
}

function isCommand(a: CodeAction | Command): a is Command {
  return typeof (a as Command).command === 'string';
}
