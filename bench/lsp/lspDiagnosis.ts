// The diagnosis part of docs/performance-lsp.md, written when (or because) the edit target is
// looked into: the server's CPU profile of the edits, the in-process replay that separates the
// causes, and the conclusions drawn from them.

import { relative } from 'node:path';
import { ROOT } from './config';
import { checkTargets, code, editStats, ms, type LspBenchRun } from './lspReport';
import type { ServerProfile } from './profileServer';

function profileSteps(p: ServerProfile) {
  const s = p.summary;
  const fn = (name: RegExp) => s.inclusive.find(([k]) => name.test(k))?.[1] ?? 0;
  return {
    busy: s.total - p.idleMs,
    runNow: fn(/^runNow \[server\/src\/lsp\/documentSession/),
    analyze: fn(/^analyze \[server\/src\/analysis\/notebookAnalysis/),
    setCells: fn(/^setCells \[server\/src\/analysis\/notebookAnalysis/),
    model: fn(/^model \[server\/src\/lsp\/documentSession/),
    publish: fn(/^publish \[server\/src\/lsp\/documentSession/),
    scan: fn(/^scanDocument \[server\/src\/lsp\/server/),
    gc: s.selfTime.find(([k]) => k === '(garbage collector)')?.[1] ?? 0,
  };
}

export function profileSection(run: LspBenchRun): string[] {
  const p = run.profile;
  if (!p) return [];
  const s = p.summary;
  const st = profileSteps(p);
  const share = (t: number) => `${((100 * t) / st.busy).toFixed(1)}%`;
  const per = (t: number) => `${ms(t / p.result.edits.length)} ms`;
  const edits = p.result.edits.length + p.result.warmupEdits;
  return [
    `## Where the server's time goes (${p.cells} code cells)`,
    '',
    `\`node ${[...run.serverFlags, '--cpu-prof', '--cpu-prof-interval', '200'].join(' ')} dist/server.js --stdio\`, driven by the same measured run (the timings under the`,
    `profiler are slower and not used above). Only the samples taken during the ${p.result.edits.length} measured edits are kept`,
    `(the process's start-up and the opening of the notebook are cut off); shares are of the ${(st.busy / 1000).toFixed(1)} s the server was busy`,
    `(${(p.idleMs / 1000).toFixed(1)} s idle, waiting for the client, left out). Profiles: \`${relative(ROOT, p.file)}\` (whole process) and`,
    `\`${relative(ROOT, p.editsFile)}\` (the edits only); they open in Chrome DevTools.`,
    '',
    `| Inclusive | Per measured edit (${p.result.edits.length}) | What |`,
    '|---:|---:|---|',
    `| ${share(st.runNow)} | ${per(st.runNow)} | \`DocumentSession.runNow()\`: one analysis and its publication, of which: |`,
    `| ${share(st.analyze)} | ${per(st.analyze)} | - \`NotebookAnalysis.analyze()\`: the taint dataflow over the cells that need it |`,
    `| ${share(st.setCells)} | ${per(st.setCells)} | - \`NotebookAnalysis.setCells()\`: matching the cells to the previous run, re-parsing the edited one |`,
    `| ${share(st.model)} | ${per(st.model)} | - \`NotebookSession.model()\`: the analysis model of every cell |`,
    `| ${share(st.publish)} | ${per(st.publish)} | - \`DocumentSession.publish()\`: diagnostics per cell URI, JSON compared with the last ones |`,
    `| ${share(st.scan)} | | \`nbguard/scanDocument\` requests, the benchmark's fallback (each runs \`runNow()\` again; counted above too) |`,
    `| ${share(st.gc)} | | garbage collector |`,
    '',
    '| Self time | Function |',
    '|---:|---|',
    ...s.selfTime
      .filter(([k]) => k !== '(idle)')
      .slice(0, 15)
      .map(([k, t]) => `| ${share(t)} | ${code(k)} |`),
    '',
    '| Inclusive | Server function |',
    '|---:|---|',
    ...s.inclusive
      .filter(([k]) => !/^\(anonymous\) /.test(k))
      .slice(0, 12)
      .map(([k, t]) => `| ${share(t)} | ${code(k)} |`),
    '',
    `(${edits} edits were sent under the profiler: ${p.result.warmupEdits} warm-up edits, outside the kept window, and the ${p.result.edits.length} measured ones.)`,
    '',
  ];
}

export function inProcessSection(run: LspBenchRun): string[] {
  const ip = run.inProcess;
  const t = checkTargets(run.results);
  if (!t || (!ip && !run.inProcessSkipped)) return [];
  const head = [`## The same edits without the server (${t.result.cells} code cells)`, ''];
  if (!ip) return [...head, `Not run: ${run.inProcessSkipped}.`, ''];
  return [
    ...head,
    'The same edit sequence replayed in one process on the analysis library, calling it the way',
    "`NotebookSession.runNow()` does (`setCells(cells, keys)`, then `analyze()`, the cells shaped as",
    '`NotebookSession.model()` shapes them); no LSP, no publishing, and building the cell objects is not',
    'timed (`bench/lsp/inProcess.ts`):',
    '',
    '| Replay | p50 | p95 | max |',
    '|---|---:|---:|---:|',
    `| every Cell object new (equal) on every edit, as \`model()\` maps every cell on every run | ${ms(ip.fresh.median)} ms | ${ms(ip.fresh.p95)} ms | ${ms(ip.fresh.max)} ms |`,
    `| only the edited cell's Cell object new, the others kept | ${ms(ip.kept.median)} ms | ${ms(ip.kept.p95)} ms | ${ms(ip.kept.max)} ms |`,
    `| for comparison: the server, edits whose diagnostics changed | ${ms(t.published.median)} ms | ${ms(t.published.p95)} ms | ${ms(t.published.max)} ms |`,
    '',
    `The whole dataflow of the edited notebook (\`analyze()\` of a freshly opened analysis, parsing excluded; median) takes ${ms(ip.fullMs)} ms in this process.`,
    '',
  ];
}

export function diagnosisSection(run: LspBenchRun): string[] {
  const t = checkTargets(run.results);
  const p = run.profile;
  const ip = run.inProcess;
  if (!t || (!p && !ip)) return [];
  const out: string[] = [];
  if (ip) {
    // The library re-runs less when unchanged cells keep their objects; the server gets that only
    // if its latency is nearer the kept replay than the fresh one.
    const reuseWorks = ip.fresh.median > 1.5 * ip.kept.median;
    const serverReuses = t.published.median < (ip.fresh.median + ip.kept.median) / 2;
    if (reuseWorks && !serverReuses) {
      out.push(
        `- **The incremental re-analysis is lost in the server.** The library re-runs much less when the unchanged`,
        `  cells keep their \`Cell\` objects (in-process p50 ${ms(ip.kept.median)} ms, p95 ${ms(ip.kept.p95)} ms) than when every cell gets a new,`,
        `  equal one (p50 ${ms(ip.fresh.median)} ms, p95 ${ms(ip.fresh.p95)} ms): \`NotebookAnalysis\` recognises unchanged cells by identity. The`,
        `  server, which builds new objects for every cell in \`NotebookSession.model()\` on every run, takes p50 ${ms(t.published.median)} ms`,
        `  (p95 ${ms(t.published.p95)} ms): it re-runs the dataflow from the first cell on every keystroke. Fix: keep the previous`,
        '  `Cell` when nothing in it changed (in `setCells()`, or per cell URI and text in the session), or',
        '  compare cells by value in `analyze()`.',
      );
    } else {
      out.push(
        `- **The re-analysis is incremental in the server.** In-process, the replay costs p50 ${ms(ip.kept.median)} ms (p95 ${ms(ip.kept.p95)} ms) with the`,
        `  unchanged cells' objects kept and p50 ${ms(ip.fresh.median)} ms (p95 ${ms(ip.fresh.p95)} ms) with every Cell object new${reuseWorks ? '' : " (`setCells()` keeps an unchanged cell's previous object)"}; the server`,
        `  takes p50 ${ms(t.published.median)} ms (p95 ${ms(t.published.p95)} ms) end to end (the notebook sync, \`publish()\`, JSON-RPC and the pipe come on top).`,
      );
    }
  }
  if (!t.publishedOk) {
    const r = t.result;
    const q1 = editStats(r, (e) => 4 * e.cell < r.cells);
    const q4 = editStats(r, (e) => 4 * e.cell >= 3 * r.cells);
    out.push(
      `- **The slow edits are the ones near the top of the notebook.** Edits in the first quarter take p50 ${ms(q1.median)} ms and`,
      `  p95 ${ms(q1.p95)} ms, edits in the last quarter p50 ${ms(q4.median)} ms and p95 ${ms(q4.p95)} ms (table "By position" above): the`,
      '  re-analysis still re-runs cells after the edited one, so the more cells follow it, the longer the',
      `  edit takes${ip ? ` (the whole dataflow of this notebook: ${ms(ip.fullMs)} ms in-process)` : ''}. With edits on random cells the slowest 5% are`,
      '  such edits. Meeting the target needs fewer later cells re-run (re-run a cell only when something it',
      '  reads changed) or a faster dataflow.',
    );
  }
  if (p) {
    const st = profileSteps(p);
    const pct = (x: number) => `${((100 * x) / st.busy).toFixed(0)}%`;
    const hot = p.summary.selfTime
      .map(([k]) => k)
      .filter((k) => !k.startsWith('('))
      .slice(0, 3)
      .map((k) => {
        const m = /^(.*) \[(.*):\d+\]$/.exec(k);
        return m ? `\`${m[1]}\` (\`${m[2]}\`)` : code(k);
      });
    out.push(
      `- In the profile of the edits, \`analyze()\` is ${pct(st.analyze)} of the server's busy time, \`setCells()\` ${pct(st.setCells)}, \`model()\``,
      `  ${pct(st.model)}, \`publish()\` ${pct(st.publish)}, the garbage collector ${pct(st.gc)}; the functions with the most self time are`,
      `  ${hot.join(', ')}.`,
    );
    const modelShare = st.model / st.busy;
    if (modelShare > 0.02) out.push(`- \`NotebookSession.model()\` takes ${(100 * modelShare).toFixed(0)}% of the server's busy time: it maps every cell on every run, whatever changed.`);
  }
  if (t.scanned.median > 1.5 * t.published.median) {
    out.push(
      "- The `nbguard/scanDocument` fallback runs `runNow()` once more besides the debounce timer's run; when",
      "  the timer's run gets in first, the scan answer waits for two analyses: that is why those samples",
      `  (p50 ${ms(t.scanned.median)} ms) are well above the publishDiagnostics ones (p50 ${ms(t.published.median)} ms). They overstate what such an`,
      '  edit costs; the publishDiagnostics times are the ones a user waits for.',
    );
  }
  return ['## Diagnosis', '', ...out, ''];
}
