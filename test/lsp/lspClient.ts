// A minimal LSP client for tests: starts the real server bundle (dist/server.js) over stdio,
// answers its configuration requests, and collects published diagnostics per URI so tests can
// wait for what a user would see in the editor.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import {
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  ConfigurationRequest,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const SERVER = resolve(__dirname, '..', '..', 'dist', 'server.js');

export interface ClientOptions {
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  workspaceFolder?: string;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics in order: [uri, count]. */
  readonly publications: { uri: string; diagnostics: Diagnostic[] }[] = [];
  private waiters: (() => void)[] = [];
  stderr = '';

  constructor(private readonly options: ClientOptions = {}) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publications.push({ uri: p.uri, diagnostics: p.diagnostics });
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ debounceMs: 0, ...(options.settings ?? {}) })));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    const folder = this.options.workspaceFolder;
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? `file://${folder}` : null,
      workspaceFolders: folder ? [{ uri: `file://${folder}`, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true },
        notebookDocument: { synchronization: { dynamicRegistration: true, executionSummarySupport: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true } },
      },
      initializationOptions: this.options.initializationOptions ?? {},
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves once `predicate` holds on the diagnostics, re-checked after every publication. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for diagnostics; have: ${JSON.stringify([...this.diagnostics].map(([u, d]) => [u, d.map((x) => `${x.code}@${x.range.start.line}`)]))}`);
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
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.child.kill();
  }
}
