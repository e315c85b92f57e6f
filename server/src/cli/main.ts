// The nbguard command line. Commands are thin: argument parsing here, the work in the
// analysis library. Exit status 2 is reserved for usage and input errors.

import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { MB, RuleLoadError, DEFAULT_MAX_CELL_SIZE, HIGHEST_MAX_CELL_SIZE } from '../analysis';
import { BaselineError } from './baseline';
import { DEFAULT_MAX_FILE_SIZE, runScan } from './scanCommand';
import { isScanWorker, runScanWorker } from './scanWorkers';
import { runRedact } from './redactCommand';
import { runFix } from './fixCommand';
import { writeAtomically } from './writeAtomically';
import { AuditUsageError, runAudit, type AuditOptions } from './audit/auditCommand';

declare const __NBGUARD_VERSION__: string | undefined;
const version = typeof __NBGUARD_VERSION__ === 'string' ? __NBGUARD_VERSION__ : '0.0.0-dev';

/** --output: the report into a file, whole or not at all (a CI step reads it next). */
function writeReport(path: string, text: string): void {
  try {
    writeAtomically(path, text);
  } catch (error) {
    throw new OutputFileError(`cannot write the report to ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

class OutputFileError extends Error {}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseMinutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of minutes, 0 or more');
  return n;
}

/** --max-cell-size: megabytes (2^20 bytes) to bytes, within what the parser's memory holds. */
function parseCellSize(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n * MB > HIGHEST_MAX_CELL_SIZE) throw new InvalidArgumentError(`a number of MB, more than 0 and at most ${HIGHEST_MAX_CELL_SIZE / MB}`);
  return Math.floor(n * MB);
}

/** --max-file-size: megabytes to bytes (JavaScript strings end a little under 512 MB). */
function parseFileSize(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 500) throw new InvalidArgumentError('a number of MB, more than 0 and at most 500');
  return Math.floor(n * MB);
}

const CELL_SIZE_HELP = `the size limit per cell, audit command or plain .py file in MB; a bigger one is skipped and reported (default ${DEFAULT_MAX_CELL_SIZE / MB}, at most ${HIGHEST_MAX_CELL_SIZE / MB})`;

/** --jobs: threads for the scan, 1 to 256. */
function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('a whole number from 1 to 256');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number, 0 or more');
  return n;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('nbguard')
    .description('Keeps credentials out of notebook outputs, logs, child notebooks and Spark configuration.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  let exitCode = 0;
  program
    .command('scan')
    .description('analyse notebooks (.ipynb, Databricks .py, # %% .py, plain .py) and folders of them')
    .argument('<paths...>', 'notebook files or folders')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .option('-q, --quiet', 'text format: only the findings and errors, no notes or summary line')
    .addOption(new Option('--order <order>', 'analysis order of the cells').choices(['execution', 'document']).default('execution'))
    .option('--rules <dir>', 'a folder of extra rule files (repeatable)', collect, [])
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit status 1').choices(['error', 'warning', 'info', 'never']).default('warning'))
    .option('--no-color', 'never colour the text output')
    .option('--baseline <file>', 'report only findings that are not in this baseline')
    .option('--write-baseline <file>', "record today's findings in this baseline file")
    .option('--max-cell-size <MB>', CELL_SIZE_HELP, parseCellSize)
    .option('--max-file-size <MB>', `the size limit per file in MB; a bigger file is reported and not read (default ${DEFAULT_MAX_FILE_SIZE / MB})`, parseFileSize)
    .option('-j, --jobs <n>', 'threads for a scan of many files (default: one per core; 1 scans on this thread alone)', parseJobs)
    .action(async (paths: string[], opts: { format: string; output?: string; quiet?: boolean; order: 'execution' | 'document'; rules: string[]; failOn: string; color: boolean; baseline?: string; writeBaseline?: string; maxCellSize?: number; maxFileSize?: number; jobs?: number }) => {
      const outcome = await runScan(paths, {
        jobs: opts.jobs,
        quiet: Boolean(opts.quiet),
        maxCellSize: opts.maxCellSize,
        maxFileSize: opts.maxFileSize,
        format: opts.format as 'text' | 'json' | 'sarif',
        version,
        baseline: opts.baseline,
        writeBaseline: opts.writeBaseline,
        order: opts.order,
        rules: opts.rules,
        failOn: opts.failOn as 'error' | 'warning' | 'info' | 'never',
        colour: opts.color && !opts.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      });
      if (opts.output) writeReport(opts.output, outcome.output);
      else process.stdout.write(outcome.output);
      process.stderr.write(outcome.problems);
      exitCode = outcome.exitCode;
    });

  program
    .command('fix')
    .description('apply the safe fixes in place: redact credentials in stored outputs (or clear them), optionally suppress findings in code')
    .argument('<paths...>', 'notebook files or folders')
    .option('--clear', "clear the outputs of cells that leak instead of redacting the credentials in them")
    .option('--suppress', 'add `# nbguard: ignore[...]` comments for the findings in code')
    .option('--dry-run', 'print the changes as a unified diff and write nothing (exit status 1 if there are any)')
    .option('--rules <dir>', 'a folder of extra rule files (repeatable)', collect, [])
    .option('--max-cell-size <MB>', CELL_SIZE_HELP, parseCellSize)
    .action(async (paths: string[], opts: { clear?: boolean; suppress?: boolean; dryRun?: boolean; rules: string[]; maxCellSize?: number }) => {
      exitCode = await runFix(paths, { outputs: opts.clear ? 'clear' : 'redact', suppress: Boolean(opts.suppress), dryRun: Boolean(opts.dryRun), rules: opts.rules, maxCellSize: opts.maxCellSize });
    });

  program
    .command('redact')
    .description('copy files (or standard input) to standard output with every credential replaced by REDACTED_*')
    .argument('[files...]', 'files to redact; standard input when none')
    .option('--rules <dir>', 'a folder of extra rule files (repeatable)', collect, [])
    .action(async (files: string[], opts: { rules: string[] }) => {
      exitCode = await runRedact(files, opts.rules);
    });

  program
    .command('audit')
    .description('analyse Databricks notebook audit logs (JSON lines: log delivery or system.access.audit rows), one module per notebook session')
    .argument('[files...]', 'audit log files (.json, .jsonl, .gz); standard input when none or -')
    .addOption(new Option('--format <format>', 'output format; sessions writes the session lines instead of analysing them').choices(['text', 'json', 'jsonl', 'sarif', 'sessions']).default('text'))
    .option('--sessions', 'the input is session JSON lines (from --format sessions or a Spark job), not audit events')
    .option('--rules <dir>', 'a folder of extra rule files or Pysa models (repeatable)', collect, [])
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit status 1').choices(['error', 'warning', 'info', 'never']).default('warning'))
    .option('--lateness <minutes>', 'how long after a session ended its out-of-order events are still taken in', parseMinutes, 60)
    .option('--idle-timeout <minutes>', 'a session also ends after this long without an event of its notebook (its cluster has stopped by then)', parseMinutes, 720)
    .option('--top <n>', 'how many notebooks the summary lists', parseCount, 10)
    .option('--no-color', 'never colour the text output')
    .option('--baseline <file>', 'report only findings that are not in this baseline')
    .option('--write-baseline <file>', "record this run's findings in this baseline file")
    .option('--max-cell-size <MB>', CELL_SIZE_HELP, parseCellSize)
    .option('--no-prefilter', 'analyse every session, also those whose text holds nothing a rule could start from (the same findings, slower)')
    .action(async (files: string[], opts: { prefilter: boolean; format: string; sessions?: boolean; rules: string[]; failOn: string; lateness: number; idleTimeout: number; top: number; color: boolean; baseline?: string; writeBaseline?: string; maxCellSize?: number }) => {
      // An audit turns over gigabytes of short-lived objects while what it keeps (the open
      // sessions) is small: V8's default heap growth let a 1 GiB log reach about 600 MiB of
      // memory. Growing the heap by a quarter at a time keeps it near what is live, for a few
      // percent more collection time (bench/audit, docs/performance-audit.md); not a hard limit,
      // so a workspace with many open sessions still gets the memory it needs.
      if (!/heap-growing-percent/.test(`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`)) setFlagsFromString('--heap-growing-percent=25');
      exitCode = await runAudit(files, {
        prefilter: opts.prefilter,
        maxCellSize: opts.maxCellSize,
        format: opts.format as AuditOptions['format'],
        sessions: Boolean(opts.sessions),
        rules: opts.rules,
        failOn: opts.failOn as AuditOptions['failOn'],
        colour: opts.color && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        version,
        latenessMinutes: opts.lateness,
        idleMinutes: opts.idleTimeout,
        top: opts.top,
        baseline: opts.baseline,
        writeBaseline: opts.writeBaseline,
      });
    });

  program
    .command('lsp')
    .description('start the language server (for Neovim, JupyterLab-LSP and other LSP clients)')
    .option('--stdio', 'talk LSP over standard input and output (the default)')
    .allowUnknownOption(true)
    .action(async () => {
      if (!process.argv.includes('--stdio') && !process.argv.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket'))) {
        process.argv.push('--stdio');
      }
      const { startServer } = await import('../lsp/main');
      startServer();
      exitCode = -1; // keep running: the connection ends the process
    });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof BaselineError || error instanceof AuditUsageError || error instanceof OutputFileError) {
      process.stderr.write(`nbguard: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RuleLoadError) {
      process.stderr.write(`nbguard: rule file error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`nbguard: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

// The same bundle is the scan's worker thread (scanWorkers.ts).
if (isScanWorker()) void runScanWorker();
else
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`nbguard: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 2;
    },
  );
