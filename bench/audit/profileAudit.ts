// CPU profile of `node CLI audit --format jsonl LOG > /dev/null` (node --cpu-prof, 200 µs
// sampling) on a prefix of the generated log, summarized with the analysis benchmark's profile
// reader (bench/harness/cpuProfileSummary.ts). The CLI may be a snapshot outside the repository:
// its source map names the sources relative to the snapshot, so a copy of the map whose sources
// point into this checkout is written next to the profile, and the profile's script URL is
// pointed at it. The profile is kept in bench/results/profile-audit/ and opens in Chrome DevTools.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { profileCli } from '../harness/cliProfile';
import { summarizeProfile, type ProfileSummary } from '../harness/cpuProfileSummary';
import { ROOT } from './config';

export interface AuditProfile {
  summary: ProfileSummary;
  file: string;
  seconds: number;
  /** Inclusive time of the steps of an audit run, ms, in order. */
  steps: [string, number][];
}

/** The steps of `nbguard audit`, by the nbguard function that does each (server/src/...). */
const STEPS: [string, RegExp][] = [
  ['reading lines (`inputLines`, readline)', /^inputLines \[server\/src\/cli\/audit\/inputLines/],
  ['reading events (`readAuditLine`: prefilter, JSON.parse)', /^readAuditLine \[/],
  ['sessionizing (`Sessionizer.add`, `finish`)', /^(add|finish) \[server\/src\/analysis\/audit\/sessionizer/],
  ['analysing sessions (`analyseSession`)', /^analyseSession \[/],
  ['- building the notebook (`sessionNotebook`: magics)', /^sessionNotebook \[/],
  ['- tree-sitter parse and lowering to the IR (`ParsedCell`)', /^ParsedCell \[/],
  ['- hardcoded-credential scan (`findHardcoded`)', /^findHardcoded \[/],
  ['- dataflow (`NotebookAnalysis.analyze`)', /^analyze \[server\/src\/analysis\/notebookAnalysis/],
  ['writing the report (the reporter\'s `session`)', /^session \[server\/src\/cli\/audit\/auditReporters/],
];

/** Points the snapshot's source map at this checkout's sources. */
function rebasedMap(cli: string, outDir: string): string {
  const map = JSON.parse(readFileSync(`${cli}.map`, 'utf8')) as { sources: string[]; sourceRoot?: string };
  const snapRoot = resolve(dirname(cli), '..');
  map.sources = map.sources.map((s) => {
    const abs = resolve(dirname(cli), map.sourceRoot ?? '', s);
    const rel = relative(snapRoot, abs);
    return pathToFileURL(rel.startsWith('..') ? abs : join(ROOT, rel)).href;
  });
  delete map.sourceRoot;
  const bundle = join(outDir, 'cli.js');
  writeFileSync(`${bundle}.map`, JSON.stringify(map));
  return bundle;
}

export function profileAudit(cli: string, log: string): AuditProfile {
  const { file, seconds } = profileCli('profile-audit', cli, ['audit', '--format', 'jsonl', '--fail-on', 'never', log]);
  const dir = dirname(file);
  // The bundle's URL in the profile -> a name whose .map points at this checkout.
  const bundle = rebasedMap(cli, dir);
  const cliUrl = pathToFileURL(cli).href;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { callFrame: { url: string } }[] };
  for (const n of profile.nodes) if (n.callFrame.url === cliUrl) n.callFrame.url = pathToFileURL(bundle).href;
  writeFileSync(file, JSON.stringify(profile));
  const summary = summarizeProfile(file, bundle);
  const steps: [string, number][] = [];
  for (const [label, re] of STEPS) {
    const t = summary.inclusive.filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0);
    if (t > 0) steps.push([label, t]);
  }
  const gc = summary.selfTime.find(([k]) => k === '(garbage collector)');
  if (gc) steps.push(['garbage collector (all steps)', gc[1]]);
  return { summary, file, seconds, steps };
}
