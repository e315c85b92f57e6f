// Every quick fix the editors offer, tried on every finding of a real-world corpus scan: each
// code fix is applied to its cell (a .py notebook: to the file), the notebook analysed again, and
// the fix judged: its finding gone, no new syntax error, no fix title or edit holding the
// credential. Writes one JSON line per fix and prints the tally per rule and fix.
//
//   node bench/.build/b.mjs bench/realworld/quickFixRoundTrip.ts /tmp/qf.mjs
//   node /tmp/qf.mjs SCAN.json > fixes.jsonl

import { readFileSync } from 'node:fs';
import { applyLineEdits, cellFixTarget, quickFixes, readNotebookText, type Finding } from '../../server/src/analysis';
import { createAnalyzer } from '../../server/src/node/createAnalyzer';

const scan = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { findings: Finding[] };
const analyzer = await createAnalyzer();
/**
 * The text a fix edits (a cell's source, or the .py file, whose findings give its own lines, so
 * cellFixTarget's range fits it too) and how to rebuild the file from it.
 */
function locate(f: Finding, fileText: string): { text: string; rebuild: (text: string) => string; notebookText: string } {
  if (!f.file.endsWith('.ipynb')) return { text: fileText, rebuild: (t) => t, notebookText: fileText };
  const json = JSON.parse(fileText) as { cells: { cell_type: string; source: string | string[] }[] };
  const source = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source);
  const notebookText = json.cells.filter((c) => c.cell_type === 'code').map(source).join('\n');
  return {
    text: source(json.cells[f.cell]),
    notebookText,
    rebuild: (t) => JSON.stringify({ ...json, cells: json.cells.map((c, i) => (i === f.cell ? { ...c, source: t } : c)) }),
  };
}

const tally = new Map<string, { fixes: number; gone: number; syntax: number; leaked: number }>();
for (const f of scan.findings) {
  if (f.output !== undefined) continue; // output fixes are the client's (clear, redact)
  const fileText = readFileSync(f.file, 'utf8');
  const { text, rebuild, notebookText } = locate(f, fileText);
  const target = cellFixTarget(f);
  const { range } = target;
  const before = analyzer.analyze(readNotebookText(f.file, fileText));
  const same = (r: { findings: Finding[] }) => r.findings.filter((g) => g.ruleId === f.ruleId && g.cell === f.cell).length;
  const credential = f.ruleId === 'NBG201' ? text.split('\n').slice(range.start.line, range.end.line + 1).join('\n') : '';
  const fixes = quickFixes(target, { text, notebookText, isDatabricks: f.file.endsWith('.py'), hasOutputs: f.file.endsWith('.ipynb'), secretScope: 'my-scope', isCredential: (t: string) => analyzer.holdsCredential(t) });
  for (const fix of fixes) {
    if (!('edits' in fix)) continue;
    const after = analyzer.analyze(readNotebookText(f.file, rebuild(applyLineEdits(text, fix.edits))));
    const gone = same(after) < same(before);
    const syntax = after.syntaxErrors.length > before.syntaxErrors.length;
    // The credential itself (NBG201: the literal) must not be copied into a title or an added text.
    const secret = f.ruleId === 'NBG201' ? before.secrets.find((s) => credential.includes(s)) : undefined;
    const added = fix.title + fix.edits.map((e) => e.newText).join('\n');
    const leaked = secret !== undefined && added.includes(secret);
    const key = `${f.ruleId} ${fix.label.replace(/^Mask \w+/, 'Mask')}`;
    const t = tally.get(key) ?? { fixes: 0, gone: 0, syntax: 0, leaked: 0 };
    t.fixes++;
    if (gone) t.gone++;
    if (syntax) t.syntax++;
    if (leaked) t.leaked++;
    tally.set(key, t);
    const shown = fix.label === 'Mask secret' || fix.label.startsWith('Remove, set') ? analyzer.redact(fix.edits.map((e) => e.newText).join(' / ')) : undefined;
    console.log(JSON.stringify({ file: f.file, cell: f.cell, line: f.line, rule: f.ruleId, fix: fix.label, gone, syntax, leaked, shown }));
  }
}
console.error([...tally].map(([k, t]) => `${k.padEnd(36)} fixes ${t.fixes}  finding gone ${t.gone}  new syntax error ${t.syntax}  credential copied ${t.leaked}`).join('\n'));
