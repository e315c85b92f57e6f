// nbguard and secretlint on real-looking notebooks: the labelled corpus
// (/work/shared/corpus, *.ipynb and *.py) and examples/. Ground truth for credentials is the
// corpus labels NBG201 (a hardcoded credential in the source, at its line) and NBG401 (a
// credential in a cell's stored outputs); the taint rules (NBG1xx, NBG301) are not about
// recognising a credential and are left out. Each tool's report is turned into units (file,
// cell, source line or outputs) with bench/redact/notebookUnits.ts:
//
// - nbguard scan: its NBG201/NBG401 findings (cell and line are in the JSON output);
// - nbguard redact: the lines it changed (the lines of one redacted PEM block are one unit, at
//   its BEGIN line);
// - secretlint: the start offset of each finding.
//
// A label is found when a unit of the tool matches it (same cell and line for NBG201, same
// cell's outputs for NBG401); a unit matching no label is a false alarm.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { measure } from '../harness/processTiming';
import { lineStarts, unitLocator, type Unit } from './notebookUnits';
import { runSecretlint } from './secretlint';

export interface Label {
  file: string;
  ruleId: 'NBG201' | 'NBG401';
  cell: number;
  line: number;
}

export interface ToolUnit extends Unit {
  file: string;
  /** What reported it: a rule id or a detector. */
  what: string;
}

export interface ToolResult {
  tool: string;
  seconds: number;
  maxRssKb?: number;
  units: ToolUnit[];
  found: Label[];
  missed: Label[];
  falseAlarms: ToolUnit[];
}

export interface FileSetComparison {
  name: string;
  dir: string;
  files: string[];
  labels?: Label[];
  tools: ToolResult[];
}

const unitKey = (u: { file: string; cell: number; region: string; line: number }) => `${u.file}|${u.cell}|${u.region}|${u.region === 'outputs' ? 1 : u.line}`;
const labelKey = (l: Label) => unitKey({ file: l.file, cell: l.cell, region: l.ruleId === 'NBG401' ? 'outputs' : 'source', line: l.line });

export function notebookFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') || f.endsWith('.py'))
    .sort()
    .map((f) => join(dir, f));
}

export function corpusLabels(dir: string): Label[] | undefined {
  const file = join(dir, 'labels.json');
  if (!existsSync(file)) return undefined;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { cases: { file: string; expect: { ruleId: string; cell: number; line: number }[] }[] };
  return doc.cases.flatMap((c) => c.expect.filter((e) => e.ruleId === 'NBG201' || e.ruleId === 'NBG401').map((e) => ({ file: c.file, ruleId: e.ruleId as Label['ruleId'], cell: e.cell, line: e.line })));
}

function score(tool: string, seconds: number, maxRssKb: number | undefined, raw: ToolUnit[], labels: Label[] | undefined): ToolResult {
  const units = [...new Map(raw.map((u) => [unitKey(u), u])).values()];
  if (!labels) return { tool, seconds, maxRssKb, units, found: [], missed: [], falseAlarms: [] };
  const have = new Set(units.map(unitKey));
  const want = new Set(labels.map(labelKey));
  return {
    tool,
    seconds,
    maxRssKb,
    units,
    found: labels.filter((l) => have.has(labelKey(l))),
    missed: labels.filter((l) => !have.has(labelKey(l))),
    falseAlarms: units.filter((u) => !want.has(unitKey(u))),
  };
}

/** Units of the lines nbguard redact changed in one file (runs of changed lines in one cell merged). */
function redactUnits(cli: string, file: string): ToolUnit[] {
  const out = spawnSync(process.execPath, [cli, 'redact', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (out.status !== 0) throw new Error(`nbguard redact ${file} failed: ${out.stderr}`);
  const text = readFileSync(file, 'utf8');
  const a = text.split('\n');
  const b = out.stdout.split('\n');
  const starts = lineStarts(text);
  const locate = unitLocator(file, text);
  const units: ToolUnit[] = [];
  let previous: { line: number; cell: number; what: string } | undefined;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    let col = 0;
    while (col < a[i].length && a[i][col] === b[i]?.[col]) col++;
    const u = locate(starts[i] + col);
    const placeholder = /REDACTED_[A-Z_]+/.exec(b[i] ?? '')?.[0] ?? 'changed';
    // The body and END lines of a PEM block continue the unit of its BEGIN line.
    const continues = previous && previous.line === i - 1 && previous.cell === u.cell && previous.what === 'REDACTED_PRIVATE_KEY' && placeholder === 'REDACTED_PRIVATE_KEY';
    if (!continues) units.push({ file: basename(file), what: placeholder, ...u });
    previous = { line: i, cell: u.cell, what: placeholder };
  }
  return units;
}

export async function compareFileSet(root: string, name: string, dir: string, labels?: Label[]): Promise<FileSetComparison> {
  const cli = join(root, 'dist', 'cli.js');
  const files = notebookFiles(dir);
  const tools: ToolResult[] = [];

  // nbguard scan: one process over the folder's files.
  const scan = await measure(process.execPath, [cli, 'scan', '--format', 'json', '--fail-on', 'never', ...files], { cwd: root });
  if (scan.status !== 0) throw new Error(`nbguard scan failed: ${scan.stderr}`);
  const findings = (JSON.parse(scan.stdout) as { findings: { ruleId: string; file: string; cell: number; line: number; message: string }[] }).findings;
  const scanUnits = findings
    .filter((f) => f.ruleId === 'NBG201' || f.ruleId === 'NBG401')
    .map((f): ToolUnit => ({ file: basename(f.file), what: f.ruleId, cell: f.cell, region: f.ruleId === 'NBG401' ? 'outputs' : 'source', line: f.ruleId === 'NBG401' ? 1 : f.line }));
  tools.push(score('nbguard scan (NBG201/NBG401)', scan.seconds, scan.maxRssKb, scanUnits, labels));

  // nbguard redact: timed as one process over all the files; changes read per file.
  const redactTime = await measure(process.execPath, [cli, 'redact', ...files], { cwd: root, stdoutFile: '/dev/null' });
  tools.push(score('nbguard redact', redactTime.seconds, redactTime.maxRssKb, files.flatMap((f) => redactUnits(cli, f)), labels));

  // secretlint: one process over the files.
  const sl = await runSecretlint(root, files);
  const locators = new Map(files.map((f) => [f, unitLocator(f, readFileSync(f, 'utf8'))]));
  const slUnits = sl.findings.map((f): ToolUnit => ({ file: basename(f.file), what: `${f.rule}:${f.messageId}`, ...(locators.get(f.file) ?? (() => ({ cell: -1, region: 'other' as const, line: 0 })))(f.start) }));
  tools.push(score('secretlint (recommended preset)', sl.measured.seconds, sl.measured.maxRssKb, slUnits, labels));

  return { name, dir, files: files.map((f) => basename(f)), labels, tools };
}
