// Inputs made at size n and again at 2n (linearity pairs): the second must take about twice as
// long, not four times. And the giant input of a long run (a file of about N MB, run as a child
// process only).

import { BENIGN, logLine, type Command, type FuzzInput } from './inputs';
import { attach, eventLine, run as runEvent } from '../test/auditLog';
import { PLANT_KINDS, plantCode, plantLog } from './plant';
import { Rng } from './prng';

/** An input made at size n and again at 2n: the second must take about twice as long, not four times. */
export interface ScaleGenerator {
  readonly name: string;
  readonly command: Command;
  readonly ext: string;
  /** The base size for about `bytes` of input. */
  readonly unitsFor: (bytes: number) => number;
  readonly make: (n: number) => Buffer;
}

const nb = (cells: string[], outputs: unknown[][] = []) =>
  Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((source, i) => ({ cell_type: 'code', metadata: {}, source, execution_count: null, outputs: outputs[i] ?? [] })) }));

function hex(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(16)];
  return s;
}

export function scaleGenerators(seed: number): ScaleGenerator[] {
  const R = () => new Rng(seed);
  return [
    { name: 'cells', command: 'scan', ext: '.ipynb', unitsFor: (b) => Math.max(10, Math.round(b / 120)), make: (n) => { const r = R(); return nb(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 'pw = dbutils.secrets.get("a", "b")' : i % 7 === 3 ? 'print(pw)' : r.pick(BENIGN)))); } },
    { name: 'lines-after-syntax-error', command: 'scan', ext: '.py', unitsFor: (b) => Math.max(10, Math.round(b / 20)), make: (n) => Buffer.from(`# Databricks notebook source\ndef f(:\n${Array.from({ length: n }, (_, i) => `x${i} = y + ${i}`).join('\n')}\n`) },
    { name: 'syntax-errors', command: 'scan', ext: '.py', unitsFor: (b) => Math.max(10, Math.round(b / 24)), make: (n) => Buffer.from(`# Databricks notebook source\n${Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `def f${i}(:` : `x${i} = y + ${i}`)).join('\n')}\n`) },
    { name: 'hardcoded-secrets', command: 'scan', ext: '.ipynb', unitsFor: (b) => Math.max(10, Math.round(b / 50)), make: (n) => { const r = R(); return nb([Array.from({ length: n }, (_, i) => `k${i} = "dapi${hex(r, 32)}"`).join('\n')]); } },
    { name: 'printed-secrets', command: 'scan', ext: '.py', unitsFor: (b) => Math.max(10, Math.round(b / 40)), make: (n) => Buffer.from(`# Databricks notebook source\n${Array.from({ length: n }, (_, i) => `p${i} = dbutils.secrets.get("s", "k${i}")\nprint(p${i})`).join('\n')}\n`) },
    { name: 'long-line', command: 'scan', ext: '.py', unitsFor: (b) => b, make: (n) => Buffer.from(`pw = dbutils.secrets.get("a", "b")\ns = "${'a'.repeat(n)}"\nprint(pw)\n`) },
    { name: 'output-text', command: 'scan', ext: '.ipynb', unitsFor: (b) => b, make: (n) => nb(['print(1)'], [[{ output_type: 'stream', name: 'stdout', text: 'word '.repeat(n / 5) }]]) },
    { name: 'binop-chain', command: 'scan', ext: '.py', unitsFor: (b) => Math.max(10, Math.round(b / 6)), make: (n) => Buffer.from(`pw = dbutils.secrets.get("a", "b")\nx = ${Array.from({ length: n }, () => 'pw').join(' + ')}\nprint(x)\n`) },
    { name: 'log-lines', command: 'redact', ext: '.log', unitsFor: (b) => Math.max(10, Math.round(b / 100)), make: (n) => { const r = R(); return Buffer.from(Array.from({ length: n }, (_, i) => (i % 50 === 0 ? plantLog(r.pick(PLANT_KINDS), r) : logLine(r))).join('\n') + '\n'); } },
    { name: 'log-secrets-one-line', command: 'redact', ext: '.log', unitsFor: (b) => Math.max(10, Math.round(b / 60)), make: (n) => { const r = R(); return Buffer.from(Array.from({ length: n }, () => `token=dapi${hex(r, 32)}`).join(' ') + '\n'); } },
    { name: 'log-pem-one-line', command: 'redact', ext: '.log', unitsFor: (b) => Math.max(10, Math.round(b / 270)), make: (n) => Buffer.from(Array.from({ length: n }, () => `"${plantLog('pem', R()).replaceAll('\n', '\\n')}"`).join(' ') + '\n') },
    { name: 'log-long-line', command: 'redact', ext: '.log', unitsFor: (b) => b, make: (n) => Buffer.from('x'.repeat(n) + ` token=${PLANT_KINDS.length ? 'dapi' + '1'.repeat(32) : ''}\n`) },
    { name: 'audit-sessions', command: 'audit', ext: '.jsonl', unitsFor: (b) => Math.max(5, Math.round(b / 900)), make: (n) => Buffer.from(Array.from({ length: n }, (_, s) => [attach(String(s % 50), s * 10), runEvent(String(s % 50), s * 10 + 1, `c${s}a`, 'pw = dbutils.secrets.get("a", "b")'), runEvent(String(s % 50), s * 10 + 2, `c${s}b`, 'print(pw)')]).flat().map((e) => eventLine(e)).join('\n') + '\n') },
    { name: 'audit-commands', command: 'audit', ext: '.jsonl', unitsFor: (b) => Math.max(5, Math.round(b / 300)), make: (n) => Buffer.from([attach('1', 0), ...Array.from({ length: n }, (_, i) => runEvent('1', 1 + i, `c${i}`, i % 5 === 0 ? `p${i} = dbutils.secrets.get("a", "b")` : `print(p${i - (i % 5)})`))].map((e) => eventLine(e)).join('\n') + '\n') },
  ];
}

/** A file of about `bytes` that crashes nothing small: the giant-input case (child process only). */
export function giantInput(rng: Rng, bytes: number): FuzzInput {
  const line = `x = "${'a'.repeat(1000)}"\n`;
  const body = line.repeat(Math.ceil(bytes / line.length));
  const text = `# Databricks notebook source\n${plantCode('dapi', rng)}\n${body}`;
  return { kind: 'scan-py', command: 'scan', ext: '.py', data: Buffer.from(text), mutations: [`giant(${text.length})`] };
}
