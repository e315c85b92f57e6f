// `nbguard scan`: reads every notebook named on the command line, analyses each (scanFile.ts; on
// every core for a big scan: scanWorkers.ts), prints the report and decides the exit status (0
// clean, 1 findings at or above --fail-on, 2 usage or input errors). A file that cannot be read
// or parsed is reported and the others are scanned.

import { statSync } from 'node:fs';
import { Analyzer, severityAtLeast, MB, type AnalysisOrder, type Finding, type NotebookFormat, type Severity } from '../analysis';
import { decodeJsonString, locateNotebookJson, rawPosition, sourcePosition, type NotebookJsonMap } from '../analysis/notebook/jsonLocations';
import { readBaseline, writeBaseline } from './baseline';
import { collectFiles } from './collectFiles';
import { writeRuleNotes } from './ruleNotes';
import { fingerprints } from './fingerprints';
import { formatJson } from './formatJson';
import { formatSarif, type PlacedWarning } from './formatSarif';
import { fileWhere, formatText, type FileLines } from './formatText';
import { keptFileLines, scanFile, type FileScan } from './scanFile';
import { defaultJobs, scanInWorkers } from './scanWorkers';
import { isBundle } from '../node/assets';
import { createAnalyzer } from '../node/createAnalyzer';

/**
 * Files over this are not read: the whole text of a notebook is held while it is analysed, and a
 * notebook with its outputs is rarely over 100 MB (GitHub refuses files over that).
 */
export const DEFAULT_MAX_FILE_SIZE = 256 * MB;

export interface ScanOptions {
  readonly format: 'text' | 'json' | 'sarif';
  readonly order: AnalysisOrder;
  readonly rules: readonly string[];
  readonly failOn: Severity | 'never';
  readonly colour: boolean;
  /** nbguard's version, for SARIF's tool.driver. */
  readonly version?: string;
  /** Report only findings not in this baseline file. */
  readonly baseline?: string;
  /** Record today's findings in this file. */
  readonly writeBaseline?: string;
  /** The size limit per cell in bytes (--max-cell-size); a bigger cell is skipped and reported. */
  readonly maxCellSize?: number;
  /** The size limit per file in bytes (--max-file-size); a bigger file is reported, not read. */
  readonly maxFileSize?: number;
  /** Text format: findings and errors only, no notes or summary line. */
  readonly quiet?: boolean;
  /** Threads for a scan of many files (--jobs; default: one per core). */
  readonly jobs?: number;
}

export interface ScanOutcome {
  /** The report (standard output, or the --output file). */
  readonly output: string;
  /** Errors and notes, for standard error. */
  readonly problems: string;
  readonly exitCode: 0 | 1 | 2;
}

/** Below this much notebook text, starting worker threads costs more than it saves. */
const WORKERS_FROM_BYTES = 2 * MB;

/** Each file's scan, in the files' order: on worker threads when the scan is big enough to gain from them. */
async function scanFiles(analyzer: Analyzer, files: readonly string[], options: ScanOptions): Promise<FileScan[]> {
  const setup = {
    order: options.order,
    maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    keepRawText: options.format === 'sarif',
    rules: options.rules,
    maxCellSize: options.maxCellSize,
  };
  const jobs = Math.min(options.jobs ?? defaultJobs(), files.length);
  // Workers run the CLI bundle; from the sources (the tests) every file is scanned here.
  if (jobs > 1 && isBundle()) {
    let bytes = 0;
    for (const file of files) {
      try {
        bytes += statSync(file).size;
      } catch {
        // scanFile reports it
      }
    }
    if (bytes >= WORKERS_FROM_BYTES) return scanInWorkers(__filename, files, setup, jobs);
  }
  return files.map((file) => scanFile(analyzer, file, setup));
}

export async function runScan(paths: readonly string[], options: ScanOptions): Promise<ScanOutcome> {
  const analyzer = await createAnalyzer({ rulesDirs: options.rules, maxCellSize: options.maxCellSize });
  writeRuleNotes(analyzer);
  const { files, errors } = collectFiles(paths);
  const findings: Finding[] = [];
  const notes: string[] = [];
  const warnings: PlacedWarning[] = [];
  const sources = new Map<string, FileLines>();
  const formats = new Map<string, NotebookFormat>();
  /** The raw text of .ipynb files with something to report, for SARIF's places in the stored file. */
  const rawTexts = new Map<string, string>();
  for (const scan of await scanFiles(analyzer, files, options)) {
    if (scan.format) formats.set(scan.file, scan.format);
    if (scan.error) errors.push(scan.error);
    for (const f of scan.findings) findings.push(f); // not push(...): a file may hold 200,000 findings
    if (scan.lines.length > 0) sources.set(scan.file, keptFileLines(scan.lines));
    if (scan.rawText !== undefined) rawTexts.set(scan.file, scan.rawText);
    for (const s of scan.syntaxErrors) {
      warnings.push(s);
      notes.push(`${fileWhere({ ...s, output: undefined }, scan.format!)}: ${s.message}`);
    }
  }
  // Baselines: fingerprints of the findings, stable across cell moves and line shifts.
  let prints = fingerprints(findings, sources);
  const known = options.baseline ? readBaseline(options.baseline) : undefined;
  // With both, the new baseline keeps what the old one knew: the same file can be read and written.
  if (options.writeBaseline) writeBaseline(options.writeBaseline, [...(known ?? []), ...prints]);
  if (known) {
    const fresh = findings.filter((_, i) => !known.has(prints[i]));
    // A finding keeps the fingerprint it had among all of today's (its occurrence number).
    prints = prints.filter((p) => !known.has(p));
    if (fresh.length < findings.length) notes.push(`${findings.length - fresh.length} finding(s) in the baseline ${options.baseline} not shown`);
    findings.length = 0;
    for (const f of fresh) findings.push(f);
  }
  const partial = new Set(warnings.map((w) => w.file)).size;
  const failing = options.failOn !== 'never' && findings.some((f) => severityAtLeast(f.severity, options.failOn as Severity));
  const exitCode = errors.length > 0 ? 2 : failing ? 1 : 0;
  if (options.format === 'text') {
    const text = formatText({ findings, errors, filesScanned: formats.size, filesPartial: partial, notes, sources, formats }, options.colour, options.quiet);
    return { output: text.report, problems: text.problems, exitCode };
  }
  const output =
    options.format === 'json'
      ? formatJson({ findings, errors, warnings })
      : formatSarif({ findings, errors, warnings, fingerprints: prints, version: options.version ?? '0.0.0', placeOf: storedPlaces(rawTexts, (text) => analyzer.holdsCredential(text)) });
  // The document holds the errors; standard error says them too, for a CI log that keeps only it.
  const problems = errors.map((e) => `nbguard: error: ${e.file}: ${e.message}\n`).join('');
  return { output, problems, exitCode };
}

/** The parts of an output that hold what it shows (not its type or metadata). */
const SHOWN = new Set(['text', 'data', 'traceback', 'evalue']);

/**
 * (cell, line, column) of an .ipynb file to its place in the file as stored (the JSON line of
 * that source line); a stored output's finding, to the output's text that holds a credential
 * (`holdsCredential`), else to its first text.
 */
function storedPlaces(
  texts: ReadonlyMap<string, string>,
  holdsCredential: (text: string) => boolean,
): (file: string, cell: number, line: number, column: number, output?: number) => { line: number; column: number } | undefined {
  const maps = new Map<string, NotebookJsonMap | undefined>();
  return (file, cell, line, column, output) => {
    const text = texts.get(file);
    if (text === undefined) return undefined;
    if (!maps.has(file)) maps.set(file, locateNotebookJson(text));
    const map = maps.get(file);
    if (!map) return undefined;
    if (output !== undefined) {
      const shown = (map.cells[cell]?.outputStrings[output] ?? []).filter((t) => !t.key && SHOWN.has(String(t.path[0])));
      const token = shown.find((t) => holdsCredential(decodeJsonString(text, t))) ?? shown[0];
      if (token) return rawPosition(map, token.start);
    }
    return sourcePosition(text, map, cell, line, column);
  };
}
