// `nbguard fix PATH...`: applies the safe fixes from the command line (for pre-commit and for
// cleaning a repository): credentials in stored outputs are redacted in place (or, with --clear,
// the leaking cells' outputs cleared), and with --suppress the findings in code get their
// `# nbguard: ignore[...]` comments. Only changed files are written, each atomically (a temporary
// file renamed over it, its mode kept); every byte the fix does not change stays as it was, so
// `git diff` shows only the redactions. --dry-run prints the unified diff, its credentials masked
// as in every report, and writes nothing.
//
// Exit status: 0 when nothing is left that fix handles, 1 when --dry-run would change a file or a
// stored leak could not be fixed, 2 when a path could not be read or a file not parsed.

import { readFileSync } from 'node:fs';
import { applyEdits, NotebookInputError, unifiedDiff, type FixOptions } from '../analysis';
import { collectFiles } from './collectFiles';
import { writeRuleNotes } from './ruleNotes';
import { writeAtomically } from './writeAtomically';
import { createAnalyzer } from '../node/createAnalyzer';

export interface FixCommandOptions extends FixOptions {
  readonly dryRun: boolean;
  readonly rules: readonly string[];
  readonly maxCellSize?: number;
}

export async function runFix(paths: readonly string[], options: FixCommandOptions): Promise<0 | 1 | 2> {
  const analyzer = await createAnalyzer({ rulesDirs: options.rules, maxCellSize: options.maxCellSize });
  writeRuleNotes(analyzer);
  const { files, errors } = collectFiles(paths);
  // With --dry-run the diff owns standard output; what was done is said on standard error.
  const say = (line: string) => (options.dryRun ? process.stderr : process.stdout).write(`${line}\n`);
  let changed = 0;
  let unfixed = 0;
  for (const file of files) {
    try {
      const text = readFileSync(file, 'utf8');
      const plan = analyzer.planFix(file, text, options);
      const storedLeft = plan.left.filter((f) => f.ruleId === 'NBG401').length;
      unfixed += storedLeft;
      if (plan.edits.length > 0) {
        changed++;
        if (options.dryRun) process.stdout.write(unifiedDiff(file, text, plan.edits, (line) => plan.masker.maskLine(line)));
        else writeAtomically(file, applyEdits(text, plan.edits));
        for (const d of plan.done) say(`${options.dryRun ? 'would fix' : 'fixed'} ${file}: ${d}`);
      }
      if (storedLeft > 0) say(`${file}: ${storedLeft} stored output${storedLeft === 1 ? '' : 's'} still leak${storedLeft === 1 ? 's' : ''}: its JSON could not be edited`);
      const codeLeft = plan.left.length - storedLeft;
      if (codeLeft > 0) say(`${file}: ${codeLeft} finding${codeLeft === 1 ? '' : 's'} in code left (\`nbguard scan ${file}\` shows them; --suppress silences them)`);
    } catch (error) {
      errors.push({ file, message: error instanceof NotebookInputError ? error.message : `cannot be fixed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    }
  }
  for (const e of errors) process.stderr.write(`nbguard: error: ${e.file}: ${e.message}\n`);
  say(`${options.dryRun ? `${changed} file${changed === 1 ? '' : 's'} would change` : `${changed} file${changed === 1 ? '' : 's'} changed`} of ${files.length} scanned.`);
  if (errors.length > 0) return 2;
  return unfixed > 0 || (options.dryRun && changed > 0) ? 1 : 0;
}
