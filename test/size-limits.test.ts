// The size limit per cell (server/src/analysis/parse/sizeLimit.ts) and parser failures: a cell,
// audit command or .py file too big for the wasm parser is skipped with a problem naming its
// size and the limit (never its text), and the rest of the notebook, run and audit goes on.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { describe, expect, it } from 'vitest';
import { Analyzer, MB, type Notebook } from '../server/src/analysis';
import { ParsedCell } from '../server/src/analysis/parse/cellParser';
import { newPythonParser } from '../server/src/analysis/parse/pythonParser';
import { checkMaxCellSize } from '../server/src/analysis/parse/sizeLimit';
import { analyzer } from './helpers';
import { attach, auditLog, run } from './auditLog';
import { audit, cli, useAuditFolder } from './auditRun';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

useAuditFolder();

const LEAK = 'import os\nprint(os.environ["API_TOKEN"])\n';
const SECRET_LINE = 'token = "ghp_' + 'Zx9'.repeat(12) + '"\n';

function notebook(...code: string[]): Notebook {
  return { path: 'big.py', format: 'percent', cells: code.map((c, index) => ({ index, kind: 'code', code: c, firstLine: 1, executionCount: null })) };
}

describe('the size limit per cell', () => {
  it('skips a 20 MB cell with a problem naming sizes, and analyses the other cells', async () => {
    const big = SECRET_LINE + 'a = 1\n'.repeat((20 * MB) / 6);
    const result = (await analyzer()).analyze(notebook(LEAK, big, LEAK));
    expect(result.findings.map((f) => `${f.ruleId}@${f.cell}`)).toEqual(['NBG101@0', 'NBG101@2']);
    expect(result.syntaxErrors).toHaveLength(1);
    const [problem] = result.syntaxErrors;
    expect(problem).toMatchObject({ cell: 1, line: 1, column: 1 });
    expect(problem.message).toMatch(/the cell is 20 MB, over the limit of 4 MB per cell; it was skipped .*--max-cell-size, at most 6 MB/);
    expect(problem.message).not.toContain('ghp_');
  });

  it('takes the limit from the Analyzer and from each analysis', async () => {
    const small = await createAnalyzer({ maxCellSize: 1000 });
    const cell = LEAK + 'a = 1\n'.repeat(200);
    expect(small.analyze(notebook(cell)).syntaxErrors[0].message).toMatch(/the cell is 1,?\d+ bytes, over the limit of 1000 bytes per cell/);
    expect(small.analyze(notebook(cell), { maxCellSize: 2000 }).findings).toHaveLength(1);
    // Multi-byte characters count as the bytes they take.
    expect(small.analyze(notebook(`x = "${'é'.repeat(600)}"`)).syntaxErrors).toHaveLength(1);
    expect(small.analyze(notebook(`x = "${'e'.repeat(600)}"`)).syntaxErrors).toHaveLength(0);
  });

  it('refuses limits the parser cannot hold', async () => {
    expect(() => checkMaxCellSize(0)).toThrow(/more than 0 and at most 6 MB/);
    expect(() => checkMaxCellSize(7 * MB)).toThrow(RangeError);
    await expect(createAnalyzer({ maxCellSize: 100 * MB })).rejects.toThrow(/at most 6 MB/);
  });

  it('applies to an edited cell too, and lifts when the cell shrinks', async () => {
    const open = (await analyzer()).open(notebook(LEAK), { maxCellSize: 4096 });
    open.updateCell(0, LEAK + '#'.repeat(5000));
    expect(open.analyze().syntaxErrors.map((s) => s.message)).toEqual([expect.stringMatching(/over the limit/)]);
    open.updateCell(0, LEAK);
    expect(open.analyze()).toMatchObject({ syntaxErrors: [], findings: [{ ruleId: 'NBG101' }] });
    open.dispose();
  });
});

describe('a failing parser', () => {
  it('turns a wasm abort into a problem of that cell; the next cell parses', async () => {
    await analyzer();
    const real = newPythonParser();
    const aborting = {
      parse() {
        throw Object.assign(new Error('Aborted(). Build with -sASSERTIONS for more info.'), { name: 'RuntimeError' });
      },
      reset() {},
    } as unknown as Parser;
    const failed = new ParsedCell(aborting, 'a', SECRET_LINE);
    expect(failed.facts.body).toEqual([]);
    expect(failed.facts.problems?.[0].message).toMatch(/^the parser failed on this cell of 51 bytes \(RuntimeError, most likely out of memory\); it was skipped/);
    expect(failed.facts.problems?.[0].message).not.toContain('ghp_');
    const next = new ParsedCell(real, 'b', 'x = 1\n');
    expect(next.facts.body).toHaveLength(1);
    next.dispose();
    real.delete();
  });
});

describe('the --max-cell-size flag', () => {
  it('scan: a 25 MB .py file is reported and the next file is still scanned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-size-'));
    writeFileSync(join(dir, 'a-big.py'), 'a = 1\n'.repeat((25 * MB) / 6));
    writeFileSync(join(dir, 'b-leak.py'), LEAK);
    const scan = (...args: string[]) => spawnSync(process.execPath, [cli, 'scan', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const out = scan('a-big.py', 'b-leak.py');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('a-big.py:1:1: the cell is 25 MB, over the limit of 4 MB per cell');
    expect(out.stdout).toContain('NBG101');
    expect(scan('--max-cell-size', '0.00001', 'b-leak.py').stderr).toContain('over the limit of 10 bytes per cell');
    expect(scan('--max-cell-size', '7', 'b-leak.py').status).toBe(2);
    // --max-file-size: the file is not read, it is an error (exit 2), the others are scanned.
    const capped = scan('--format', 'json', '--max-file-size', '10', 'a-big.py', 'b-leak.py');
    expect(capped.status).toBe(2);
    const doc = JSON.parse(capped.stdout) as { errors: { file: string; message: string }[]; findings: unknown[] };
    expect(doc.errors).toEqual([{ file: 'a-big.py', message: 'is 25.0 MB, over the limit of 10 MB per file; it was not scanned (raise the limit with --max-file-size)' }]);
    expect(doc.findings).toHaveLength(1);
  });

  it('audit: an oversized command is reported, the rest of its session and the other sessions are analysed', () => {
    const log = auditLog([attach('nb1', 0, '/u/a'), run('nb1', 1, 'c1', LEAK + '#'.repeat(3000)), run('nb1', 2, 'c2', LEAK), attach('nb2', 3, '/u/b'), run('nb2', 4, 'c3', LEAK)]);
    const r = audit(['--max-cell-size', '0.002', '-'], log);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/command c1 \(cell 0\)[^\n]*over the limit of 2097 bytes per cell/);
    expect(r.stdout).toContain('command c2');
    expect(r.stdout).toContain('command c3');
  });
});
