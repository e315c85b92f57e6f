// Summaries of a V8 CPU profile (.cpuprofile) of a benchmark child: sampled time by analysis
// phase, self time by module and by function, and inclusive time of the analysis's own (server/)
// functions, with bundle positions mapped back to source lines through esbuild's source map.
// Rendered as text (the profile command, the console) or as markdown (docs/performance.md).

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT } from './config';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Maps a position in the bundle to `path:line` in the sources, through esbuild's source map. */
function sourceLocator(bundle: string): (line: number, column: number) => string | undefined {
  const mapFile = `${bundle}.map`;
  if (!existsSync(mapFile)) return () => undefined;
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
  return (line, column) => {
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (!entry.originalSource) return undefined;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(mapFile), entry.originalSource);
    return `${relative(ROOT, source)}:${(entry.originalLine ?? 0) + 1}`;
  };
}

export interface ProfileSummary {
  file: string;
  /** Sampled time, ms. */
  total: number;
  /** [name, ms], largest first. */
  byModule: [string, number][];
  selfTime: [string, number][];
  /** Inclusive time of the analysis's own functions (server/). */
  inclusive: [string, number][];
  /** Inclusive time of the analysis phases (PHASES), in that order; phases not seen are left out. */
  phases: [string, number][];
}

/** The phases of an analysis, recognised by function names in the profile (`name [file:line]`). */
const PHASES: [string, RegExp][] = [
  ['read the .ipynb (JSON, cells)', /^(readNotebookText|parseIpynb) \[/],
  ['tree-sitter parse (`parser.parse`)', /^parse \[server\/src\/analysis\/parse\//],
  ['lowering to the IR (flat copy of the tree, parse/flatTree.ts, then the IR)', /^lowerCell \[/],
  ['hardcoded-credential scan', /^findHardcoded \[/],
  ['dataflow (`analyze()`)', /^analyze \[server\/src\/analysis\/notebookAnalysis/],
  ['- of which rule-name matching (`NameTable`, `canonical`)', /^((first|lookup) \[server\/src\/analysis\/rules\/namePattern|canonical \[)/],
  ['- of which message/trace labels (`exprText`)', /\[server\/src\/analysis\/dataflow\/exprText\.ts/],
  ['garbage collector', /^\(garbage collector\)$/],
];

/** Self time per function and per module, and inclusive time of server/ functions, from a .cpuprofile. */
export function summarizeProfile(file: string, bundle: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const locate = sourceLocator(bundle);
  const bundleUrl = pathToFileURL(bundle).href;
  const info = new Map<number, { fn: string; module: string; own: boolean }>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let where: string;
    if (url === bundleUrl) where = locate(lineNumber, columnNumber) ?? 'bench bundle';
    else if (url.startsWith('wasm://')) where = 'tree-sitter (wasm)';
    else if (url.includes('/node_modules/')) where = url.slice(url.lastIndexOf('/node_modules/') + 14);
    else if (url === '') where = '';
    else where = url.replace(/^file:\/\//, '');
    const name = functionName || '(anonymous)';
    const module = where.replace(/:\d+$/, '') || (name.startsWith('(') ? name : '(vm: regexp, builtins)');
    info.set(n.id, { fn: where ? `${name} [${where}]` : name, module, own: where.startsWith('server/') });
  }
  const self = new Map<string, number>();
  const byModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const phases = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i];
    const n = info.get(id);
    if (!n) continue;
    total += dt;
    self.set(n.fn, (self.get(n.fn) ?? 0) + dt);
    byModule.set(n.module, (byModule.get(n.module) ?? 0) + dt);
    const seen = new Set<string>();
    const inPhase = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const q = info.get(p);
      if (!q) continue;
      for (const [label, re] of PHASES) if (re.test(q.fn)) inPhase.add(label);
      if (q.own && !seen.has(q.fn)) {
        seen.add(q.fn);
        inclusive.set(q.fn, (inclusive.get(q.fn) ?? 0) + dt);
      }
    }
    // A `- ` phase counts only inside the phase listed above it.
    let outer = '';
    for (const [label] of PHASES) {
      if (!label.startsWith('- ')) outer = label;
      if (inPhase.has(label) && (!label.startsWith('- ') || inPhase.has(outer))) phases.set(label, (phases.get(label) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const phaseList = PHASES.filter(([label]) => phases.has(label)).map(([label]): [string, number] => [label, phases.get(label) ?? 0]);
  return { file, total, byModule: sorted(byModule), selfTime: sorted(self), inclusive: sorted(inclusive), phases: phaseList };
}

/** Inclusive times without the wrappers that only repeat their callee's time. */
function ownInclusive(p: ProfileSummary): [string, number][] {
  return p.inclusive.filter(([k]) => !/^(\(anonymous\)|NotebookAnalysis|entryFor|execCell|safeLower|lowerStatements) /.test(k));
}

/** The summary as plain text, `top` functions per list. */
export function profileText(p: ProfileSummary, top: number): string {
  const row = ([k, t]: [string, number]) => `  ${((100 * t) / p.total).toFixed(1).padStart(5)}% ${t.toFixed(0).padStart(6)} ms  ${k}`;
  return [
    `${p.file}: ${p.total.toFixed(0)} ms sampled (the whole child process, start-up included)`,
    '',
    'Phases (inclusive):',
    ...p.phases.map(row),
    '',
    'Self time by module:',
    ...p.byModule.slice(0, 15).map(row),
    '',
    `Top ${top} functions by self time:`,
    ...p.selfTime.slice(0, top).map(row),
    '',
    `Top ${top} analysis functions (server/) by inclusive time:`,
    ...ownInclusive(p).slice(0, top).map(row),
  ].join('\n');
}

/** The summary as markdown tables, `top` functions per list. */
export function profileMarkdown(p: ProfileSummary, top: number): string {
  const pct = (t: number) => `${((100 * t) / p.total).toFixed(1)}%`;
  const md = (k: string) => `\`${k.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
  const rows = (xs: [string, number][], n: number) => xs.slice(0, n).map(([k, t]) => `| ${pct(t)} | ${md(k)} |`);
  return [
    '| Phase (inclusive) | Share |',
    '|---|---:|',
    ...p.phases.map(([k, t]) => `| ${k} | ${pct(t)} |`),
    '',
    '| Self time | Module |',
    '|---:|---|',
    ...rows(p.byModule, 8),
    '',
    '| Self time | Function |',
    '|---:|---|',
    ...rows(p.selfTime, top),
    '',
    '| Inclusive | Analysis function |',
    '|---:|---|',
    ...rows(ownInclusive(p), top),
  ].join('\n');
}
