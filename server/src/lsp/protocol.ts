// nbguard's own LSP messages between the VS Code client and the server, beyond the standard
// protocol: stored outputs (LSP does not sync them), whole-notebook and workspace scans, and
// redaction of output text.

import { NotificationType, RequestType } from 'vscode-languageserver';
import type { Finding } from '../analysis';

/** A cell's stored outputs in nbformat 4 shape (stream, error, execute_result, display_data). */
export interface CellOutputs {
  readonly cell: string;
  readonly outputs: readonly Record<string, unknown>[];
}

export interface CellOutputsParams {
  readonly notebook: string;
  readonly cells: readonly CellOutputs[];
}

/** Client -> server: the stored outputs of a notebook's cells (on open and when they change). */
export const CellOutputsNotification = new NotificationType<CellOutputsParams>('nbguard/cellOutputs');

/** A finding of a scan; `cellUri` names the editor cell (the client renumbers cells by it). */
export type ScanFinding = Finding & { cellUri?: string };

export interface ScanResult {
  readonly files: number;
  readonly findings: readonly ScanFinding[];
  readonly errors: readonly { file: string; message: string }[];
}

/** Client -> server: analyse the open notebook or .py document holding `uri` now. */
export const ScanDocumentRequest = new RequestType<{ uri: string }, ScanResult, void>('nbguard/scanDocument');

/** Client -> server: analyse these files from disk and publish their diagnostics (workspace scan). */
export const ScanFilesRequest = new RequestType<{ uris: string[] }, ScanResult, void>('nbguard/scanFiles');

/** Client -> server: redact credentials in output texts (the NBG401 "redact outputs" fix). */
export const RedactRequest = new RequestType<{ texts: string[] }, { texts: string[] }, void>('nbguard/redact');

/** Client -> server: whether the workspace is trusted (rule folders in it load only then). */
export const TrustNotification = new NotificationType<{ trusted: boolean }>('nbguard/trust');

/** Commands the server's code actions ask the client to run. */
export const CLIENT_COMMANDS = {
  clearCellOutputs: 'nbguard.clearCellOutputs',
  redactCellOutputs: 'nbguard.redactCellOutputs',
} as const;
