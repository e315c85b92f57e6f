// Test helpers: build notebooks in memory (ipynb, Databricks source, percent format) and run
// the real analysis on them, returning findings as short `RULE@cell:line` strings or in full.

import { Analyzer, readNotebookText, type AnalysisOrder, type Finding } from '../server/src/analysis';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

let shared: Promise<Analyzer> | undefined;

export function analyzer(): Promise<Analyzer> {
  shared ??= createAnalyzer();
  return shared;
}

export interface IpynbCell {
  /** The cell's text, or its lines as nbformat stores them. */
  source: string | string[];
  /** 'code' (default), 'markdown' or 'raw'. */
  type?: 'code' | 'markdown' | 'raw';
  count?: number | null;
  outputs?: unknown[];
}

/** An nbformat 4 notebook as JSON text; a plain string is a code cell. */
export function ipynb(cells: (string | IpynbCell)[], language = 'python'): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language, display_name: 'Python 3' }, language_info: { name: language } },
    cells: cells.map((c) => {
      const cell = typeof c === 'string' ? { source: c } : c;
      const type = cell.type ?? 'code';
      return type === 'code'
        ? { cell_type: 'code', metadata: {}, source: cell.source, execution_count: cell.count ?? null, outputs: cell.outputs ?? [] }
        : { cell_type: type, metadata: {}, source: cell.source };
    }),
  });
}

/** A Databricks source-format notebook from the cells' code. */
export function databricks(cells: string[]): string {
  return `# Databricks notebook source\n${cells.join('\n\n# COMMAND ----------\n\n')}\n`;
}

/** A `# %%` percent-format script from the cells' code. */
export function percent(cells: string[]): string {
  return cells.map((c) => `# %%\n${c}`).join('\n\n');
}

export async function findings(path: string, text: string, order: AnalysisOrder = 'execution'): Promise<Finding[]> {
  return (await analyzer()).analyze(readNotebookText(path, text), { order }).findings;
}

/** Findings as `RULE@cell:line`, sorted. */
export async function summary(path: string, text: string, order: AnalysisOrder = 'execution'): Promise<string[]> {
  return (await findings(path, text, order)).map((f) => `${f.ruleId}@${f.cell}:${f.line}`);
}

/** Findings of a notebook whose cells are given as code strings (an .ipynb, never executed). */
export function cells(...code: string[]): Promise<string[]> {
  return summary('t.ipynb', ipynb(code));
}

/** Full findings of a notebook whose cells are given as code strings (an .ipynb, never executed). */
export function cellFindings(...code: string[]): Promise<Finding[]> {
  return findings('t.ipynb', ipynb(code));
}

/** Findings as `RULE@cell:line:column`, for tests that pin the exact column. */
export async function located(path: string, text: string, order: AnalysisOrder = 'execution'): Promise<string[]> {
  return (await findings(path, text, order)).map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`);
}

/** Findings as `RULE@cell:line/severity`. */
export async function withSeverity(path: string, text: string): Promise<string[]> {
  return (await findings(path, text)).map((f) => `${f.ruleId}@${f.cell}:${f.line}/${f.severity}`);
}

/** The same, for a never-executed .ipynb given as code strings. */
export function cellsWithSeverity(...code: string[]): Promise<string[]> {
  return withSeverity('t.ipynb', ipynb(code));
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A random-looking base64 string, the same for the same seed (a linear congruential generator). */
export function randomBase64(seed: number, length: number): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += BASE64_ALPHABET[(state >>> 8) % 64];
  }
  return out;
}

/** A user rule file that adds a source (acme_vault.read_secret) and a sink (acme_audit Client().send). */
export const ACME_RULES = [
  'sources:',
  '  - id: acme-vault',
  '    calls: [acme_vault.read_secret]',
  'sinks:',
  '  - id: acme-audit',
  '    rule: NBG101',
  '    calls: ["acme_audit.Client().send"]',
].join('\n');
