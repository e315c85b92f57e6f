// A minimal LSP client for the benchmark: starts the server bundle (a snapshot of dist/server.js,
// see serverSnapshot.ts) as a child process over stdio
// (optionally under node flags such as --cpu-prof), initializes it like the VS Code client does
// (workspace/configuration answered with the benchmark's settings, debounceMs 0), and
// timestamps every publishDiagnostics as it arrives so that a measurement can wait for the
// next publication of one cell URI. Memory is read from /proc/<pid>/status.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { PUBLISH_TIMEOUT_MS, ROOT } from './config';

/** One publishDiagnostics, with the client's performance.now() when it was handled. */
export interface Publication {
  uri: string;
  diagnostics: Diagnostic[];
  at: number;
}

/** Resident memory of a process from /proc/<pid>/status, in bytes. */
export interface ProcMemory {
  /** VmRSS: resident now. */
  rss: number;
  /** VmHWM: peak resident ("high water mark") since the process started. */
  hwm: number;
}

export function procMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`no ${key} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export class BenchClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  /** Every publication, in order of arrival. */
  readonly publications: Publication[] = [];
  private readonly waiters = new Map<string, ((p: Publication) => void)[]>();
  private anyWaiters: ((p: Publication) => void)[] = [];
  private readonly logs: string[] = [];
  private logWaiters: (() => void)[] = [];
  stderr = '';
  private stopping = false;

  constructor(
    server: string,
    nodeFlags: string[] = [],
    private readonly settings: Record<string, unknown> = { debounceMs: 0 },
  ) {
    this.child = spawn(process.execPath, [...nodeFlags, server, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    // A server that dies unasked must not leave requests waiting forever.
    this.child.once('exit', () => {
      if (!this.stopping) this.connection.dispose();
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const pub: Publication = { uri: p.uri, diagnostics: p.diagnostics, at: performance.now() };
      this.publications.push(pub);
      const forUri = this.waiters.get(p.uri);
      if (forUri) {
        this.waiters.delete(p.uri);
        for (const w of forUri) w(pub);
      }
      const any = this.anyWaiters;
      this.anyWaiters = [];
      for (const w of any) w(pub);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ ...this.settings })));
    this.connection.onRequest('client/registerCapability', () => null);
    const onLog = (p: { message: string }) => {
      this.logs.push(p.message);
      const w = this.logWaiters;
      this.logWaiters = [];
      w.forEach((f) => f());
    };
    this.connection.onNotification('window/logMessage', onLog);
    this.connection.onNotification('window/showMessage', onLog);
    this.connection.listen();
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the server did not start');
    return this.child.pid;
  }

  memory(): ProcMemory {
    return procMemory(this.pid);
  }

  /** initialize + initialized, then waits until the server has loaded its rules with our settings. */
  async initialize(): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        notebookDocument: { synchronization: { dynamicRegistration: true, executionSummarySupport: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true } },
      },
      initializationOptions: { workspaceTrusted: true },
    });
    await this.connection.sendNotification('initialized', {});
    await this.waitForLog(/rules loaded/);
  }

  private async waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!this.logs.some((l) => pattern.test(l))) {
      if (performance.now() > deadline) throw new Error(`the server did not log ${pattern}; logs: ${JSON.stringify(this.logs)}; stderr: ${this.stderr}`);
      await new Promise<void>((resolveWait) => {
        const t = setTimeout(resolveWait, 100);
        this.logWaiters.push(() => {
          clearTimeout(t);
          resolveWait();
        });
      });
    }
  }

  /** The next publication for `uri` (register before sending what causes it). */
  nextPublication(uri: string, timeoutMs = PUBLISH_TIMEOUT_MS): Promise<Publication | undefined> {
    return new Promise((resolveNext) => {
      const t = setTimeout(() => resolveNext(undefined), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push((p) => {
        clearTimeout(t);
        resolveNext(p);
      });
      this.waiters.set(uri, list);
    });
  }

  /** The next publication for any URI. */
  nextAnyPublication(timeoutMs = PUBLISH_TIMEOUT_MS): Promise<Publication | undefined> {
    return new Promise((resolveNext) => {
      const t = setTimeout(() => resolveNext(undefined), timeoutMs);
      this.anyWaiters.push((p) => {
        clearTimeout(t);
        resolveNext(p);
      });
    });
  }

  /** Drops a pending nextPublication(uri) that is no longer wanted. */
  forget(uri: string): void {
    this.waiters.delete(uri);
  }

  /**
   * A round trip that does no analysis (a code action request for a URI the server does not
   * know): when it returns, the server has handled everything sent before it, and a
   * debounce timer of 0 ms that was pending has fired.
   */
  async ping(): Promise<void> {
    await new Promise((r) => setTimeout(r, 3));
    await this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: 'file:///nbguard-bench/ping.txt' },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exited = new Promise<void>((resolveExit) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolveExit();
      else this.child.once('exit', () => resolveExit());
    });
    try {
      const timeout = new Promise<void>((r) => setTimeout(r, 5_000).unref());
      await Promise.race([this.connection.sendRequest('shutdown'), timeout]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    // A server under --cpu-prof writes its profile while exiting: give it time before killing.
    const killTimer = setTimeout(() => this.child.kill(), 20_000);
    await exited;
    clearTimeout(killTimer);
    try {
      this.connection.dispose();
    } catch {
      // disposed when the server exited unasked
    }
  }
}
