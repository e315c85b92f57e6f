// docs/performance-redact.md: what `node bench/run.mjs redact --write` measured: the machine,
// the commands, throughput against ripgrep with the targets, redaction recall and precision
// against the generated log's ground truth, and the comparison with secretlint on a sample of
// the log and on the notebook corpus. The analysis report (docs/performance.md) links here.

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { relative } from 'node:path';
import type { ProfileSummary } from '../harness/cpuProfileSummary';
import { writeDoc } from '../harness/writeDoc';
import { DEFAULT_SAMPLE_MB, MB, MIB, REPORT, ROOT, RUNS, TARGET_MBPS, TARGET_RATIO } from './config';
import type { FileSetComparison, Label, ToolResult, ToolUnit } from './corpusComparison';
import type { RedactionScore } from './redactionScore';

export interface ToolTiming {
  label: string;
  command: string;
  seconds: number[];
  median: number;
  mbps: number;
  maxRssKb?: number;
  /** Matching lines (ripgrep) or changed lines (nbguard). */
  count?: number;
}

export interface LogSummary {
  bytes: number;
  lines: number;
  records: number;
  seed: number;
  credentials: number;
  decoys: number;
  credentialRate: number;
  decoyRate: number;
  seconds: number;
}

export interface SampleComparison {
  log: LogSummary;
  nbguard: { seconds: number; maxRssKb?: number; score: RedactionScore };
  secretlint: {
    jsonSeconds: number;
    jsonRssKb?: number;
    maskSeconds: number;
    maskRssKb?: number;
    score: RedactionScore;
    byRule: [string, number][];
    /** Per ground-truth kind: items with a secretlint finding on their line(s). */
    flaggedByKind: Map<string, number>;
  };
  ripgrep: { id: string; count: number; seconds: number }[];
}

export interface RedactBenchRun {
  log: LogSummary;
  file: string;
  nbguard: ToolTiming;
  rgPcre2: ToolTiming;
  rgDefault: ToolTiming;
  /** Detector regexes given to ripgrep. */
  patterns: number;
  score: RedactionScore;
  sample?: SampleComparison;
  corpus: FileSetComparison[];
  profile?: { sizeMb: number; summary: ProfileSummary; file: string; seconds: number };
  versions: { node: string; ripgrep?: string; ripgrepDebian?: string; secretlint: string; gnuTime: boolean };
  load: number[];
  seconds: number;
  started: string;
}

export const pct = (x: number) => `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 2)}%`;
export const mib = (kb?: number) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
const s = (x: number) => `${x.toFixed(2)} s`;
const code = (x: string) => `\`${x.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'rules'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes to server/ or rules/' : ''}`;
}

function machineLines(run: RedactBenchRun): string[] {
  const cpus = os.cpus();
  const load = run.load;
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical cores; memory ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Load average when the run started: ${load.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min)${load[0] > 0.5 ? ': other work was running, so the times are noisier than usual' : ''}`,
    `- Node.js ${run.versions.node}; ${run.versions.ripgrep ?? 'ripgrep not found'}${run.versions.ripgrepDebian ? ` (Debian package ripgrep ${run.versions.ripgrepDebian})` : ''}; ${run.versions.secretlint}`,
    `- Peak RSS from ${run.versions.gnuTime ? 'GNU time (`/usr/bin/time -f %M`)' : 'VmHWM in /proc/PID/status, sampled every 20 ms'}`,
    `- Code: ${gitRevision()}; run ${run.started}`,
  ];
}

/** Whether the targets are met: [throughput ok, ratio ok]. */
export function targetsMet(run: Pick<RedactBenchRun, 'nbguard' | 'rgPcre2'>): [boolean, boolean] {
  return [run.nbguard.mbps >= TARGET_MBPS, run.nbguard.median / run.rgPcre2.median <= TARGET_RATIO];
}

export function targetLines(run: RedactBenchRun): string[] {
  const [fast, close] = targetsMet(run);
  const ratio = run.nbguard.median / run.rgPcre2.median;
  return [
    '| Target | Measured | |',
    '|---|---:|---|',
    `| \`nbguard redact\` throughput >= ${TARGET_MBPS} MB/s | ${run.nbguard.mbps.toFixed(0)} MB/s | ${fast ? 'pass' : '**FAIL**'} |`,
    `| \`nbguard redact\` time <= ${TARGET_RATIO}x \`rg -P -c\` time | ${ratio.toFixed(2)}x | ${close ? 'pass' : '**FAIL**'} |`,
  ];
}

function timingTable(run: RedactBenchRun): string[] {
  const rows = [run.nbguard, run.rgPcre2, run.rgDefault];
  return [
    `| Command | Runs (s) | Median | Throughput | vs \`rg -P\` | Peak RSS | Lines |`,
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (t) =>
        `| ${code(t.command)} | ${t.seconds.map((x) => x.toFixed(2)).join(', ')} | ${s(t.median)} | ${t.mbps.toFixed(0)} MB/s | ${(t.median / run.rgPcre2.median).toFixed(2)}x | ${mib(t.maxRssKb)} | ${t.count?.toLocaleString('en-US') ?? ''} |`,
    ),
  ];
}

function scoreLines(score: RedactionScore): string[] {
  return [
    `- Lines: ${score.lines.toLocaleString('en-US')} out, ${score.expectedLines.toLocaleString('en-US')} in: ${score.lines === score.expectedLines ? 'same' : '**different**'}`,
    `- Credentials redacted (recall): ${score.redacted} of ${score.credentials} = **${pct(score.recall)}**${score.partial ? ` (${score.partial} more only in part)` : ''}`,
    `- Lines changed that hold no credential: ${score.falseLines}; precision (credentials redacted / (credentials redacted + such lines)) **${pct(score.precision)}**`,
    `- Decoys left intact: ${score.decoysKept} of ${score.decoys} = **${pct(score.decoys ? score.decoysKept / score.decoys : 1)}**`,
  ];
}

function kindTable(score: RedactionScore): string[] {
  return [
    '| Planted | Kind | Count | Redacted / intact |',
    '|---|---|---:|---:|',
    ...score.byKind.map((k) => `| ${k.decoy ? 'decoy (must stay)' : 'credential'} | ${k.kind} | ${k.total} | ${k.ok} (${pct(k.ok / k.total)}) |`),
  ];
}

function sampleSection(run: RedactBenchRun): string[] {
  const sm = run.sample;
  if (!sm) return [];
  const n = sm.nbguard.score;
  const sl = sm.secretlint.score;
  const slKind = new Map(sl.byKind.map((k) => [k.kind, k]));
  const mbps = (sec: number) => `${(sm.log.bytes / MB / sec).toFixed(1)} MB/s`;
  const linesOut = (x: RedactionScore) => `${x.lines.toLocaleString('en-US')}${x.lines === x.expectedLines ? ' (same)' : ` (**${x.lines - x.expectedLines}**)`}`;
  return [
    `## nbguard and secretlint on a ${(sm.log.bytes / MIB).toFixed(0)} MiB sample of the log`,
    '',
    `The first ${(sm.log.bytes / MIB).toFixed(0)} MiB of the same log (same seed: ${sm.log.lines.toLocaleString('en-US')} lines, ${sm.log.credentials} credentials, ${sm.log.decoys} decoys).`,
    'secretlint runs twice: `--format json` for its findings, and `--format mask-result --output FILE`, its own',
    'redacted copy, which is scored exactly like nbguard\'s output (lines compared with the input).',
    '',
    '| Tool | Time | Throughput | Peak RSS | Lines out | Recall (all of the credential gone) | Flagged at all | Lines changed without a credential | Precision | Decoys intact |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| \`nbguard redact\` | ${s(sm.nbguard.seconds)} | ${mbps(sm.nbguard.seconds)} | ${mib(sm.nbguard.maxRssKb)} | ${linesOut(n)} | ${n.redacted}/${n.credentials} (${pct(n.recall)}) | ${n.redacted + n.partial}/${n.credentials} | ${n.falseLines} | ${pct(n.precision)} | ${n.decoysKept}/${n.decoys} |`,
    `| \`secretlint --format mask-result\` | ${s(sm.secretlint.maskSeconds)} | ${mbps(sm.secretlint.maskSeconds)} | ${mib(sm.secretlint.maskRssKb)} | ${linesOut(sl)} | ${sl.redacted}/${sl.credentials} (${pct(sl.recall)}) | ${[...sm.secretlint.flaggedByKind.values()].reduce((a, b) => a + b, 0)}/${sl.credentials} | ${sl.falseLines} | ${pct(sl.precision)} | ${sl.decoysKept}/${sl.decoys} |`,
    `| \`secretlint --format json\` | ${s(sm.secretlint.jsonSeconds)} | ${mbps(sm.secretlint.jsonSeconds)} | ${mib(sm.secretlint.jsonRssKb)} | | | | | | |`,
    '',
    'By kind ("flagged": secretlint reported something on the line; "masked": nothing of the credential is left in its output):',
    '',
    '| Planted | Kind | Count | nbguard redact | secretlint flagged | secretlint masked / intact |',
    '|---|---|---:|---:|---:|---:|',
    ...n.byKind.map((k) => {
      const other = slKind.get(k.kind);
      const flagged = k.decoy ? '' : String(sm.secretlint.flaggedByKind.get(k.kind) ?? 0);
      return `| ${k.decoy ? 'decoy' : 'credential'} | ${k.kind} | ${k.total} | ${k.ok} | ${flagged} | ${other?.ok ?? 0} |`;
    }),
    '',
    ...(sl.lines !== sl.expectedLines
      ? [
          `secretlint's mask-result output has ${Math.abs(sl.lines - sl.expectedLines)} ${sl.lines < sl.expectedLines ? 'fewer' : 'more'} lines than its input: it replaces every character of a finding with`,
          "`*`, line ends included, so a multi-line finding (a PEM block) becomes one line; it is scored by cutting",
          "its output at the input's line ends (the output has the input's length).",
          '',
        ]
      : []),
    `secretlint's findings by rule: ${sm.secretlint.byRule.map(([r, c]) => `${r} ${c}`).join(', ') || 'none'}.`,
    '',
    ...(sl.falseExamples.length ? ['secretlint changed lines without a credential, for example:', '', '```', ...sl.falseExamples.slice(0, 5).map((l) => l.slice(0, 220)), '```', ''] : []),
    ...(n.falseExamples.length ? ['nbguard changed lines without a credential, for example:', '', '```', ...n.falseExamples.slice(0, 5).map((l) => l.slice(0, 220)), '```', ''] : []),
    ...(n.missExamples.length ? ['Credentials nbguard left (in whole or in part), for example:', '', '```', ...n.missExamples.slice(0, 5).map((l) => l.slice(0, 220)), '```', ''] : []),
    `\`rg -P -c\` per detector pattern on the sample (matching lines; the patterns alone, without nbguard's checks): ${sm.ripgrep.map((r) => `${r.id} ${r.count.toLocaleString('en-US')}`).join(', ')}.`,
    '',
  ];
}

const labelText = (l: Label) => `${l.file} cell ${l.cell}${l.ruleId === 'NBG201' ? ` line ${l.line}` : ' outputs'} (${l.ruleId})`;
const unitText = (u: ToolUnit) => `${u.file} cell ${u.cell}${u.region === 'outputs' ? ' outputs' : ` line ${u.line}`} (${u.what})`;

function corpusSection(c: FileSetComparison): string[] {
  const labelled = c.labels !== undefined;
  const header = labelled
    ? ['| Tool | Time | Peak RSS | Found | Missed | False alarms |', '|---|---:|---:|---:|---:|---:|']
    : ['| Tool | Time | Peak RSS | Reported |', '|---|---:|---:|---:|'];
  const row = (t: ToolResult) =>
    labelled
      ? `| ${t.tool} | ${s(t.seconds)} | ${mib(t.maxRssKb)} | ${t.found.length}/${c.labels?.length ?? 0} | ${t.missed.length} | ${t.falseAlarms.length} |`
      : `| ${t.tool} | ${s(t.seconds)} | ${mib(t.maxRssKb)} | ${t.units.length} |`;
  const details = c.tools.flatMap((t) => {
    const lines: string[] = [];
    if (labelled) {
      if (t.missed.length) lines.push(`- ${t.tool} missed: ${t.missed.map(labelText).join('; ')}`);
      if (t.falseAlarms.length) lines.push(`- ${t.tool} false alarms: ${t.falseAlarms.map(unitText).join('; ')}`);
    } else if (t.units.length) lines.push(`- ${t.tool}: ${t.units.map(unitText).join('; ')}`);
    return lines;
  });
  return [
    `### ${c.name}`,
    '',
    `${c.files.length} files in \`${c.dir.startsWith(ROOT) ? relative(ROOT, c.dir) || '.' : c.dir}\`${labelled ? `; ground truth: ${c.labels?.length} labels (${c.labels?.filter((l) => l.ruleId === 'NBG201').length} NBG201 hardcoded credentials, ${c.labels?.filter((l) => l.ruleId === 'NBG401').length} NBG401 credentials in outputs)` : ' (no labels: what each tool reports)'}.`,
    '',
    ...header,
    ...c.tools.map(row),
    '',
    ...details,
    ...(details.length ? [''] : []),
  ];
}

function profileSection(run: RedactBenchRun): string[] {
  const p = run.profile;
  if (!p) return [];
  const share = (t: number) => `${((100 * t) / p.summary.total).toFixed(1)}%`;
  return [
    `## Where the time goes (${p.sizeMb} MiB)`,
    '',
    `\`node --cpu-prof dist/cli.js redact\` on the first ${p.sizeMb} MiB of the log (profile kept in \`${relative(ROOT, p.file)}\`; ${p.seconds.toFixed(2)} s wall time under the profiler, ${((p.sizeMb * MIB) / MB / p.seconds).toFixed(0)} MB/s). Shares are of the sampled time, start-up included:`,
    '',
    '| Self time | Function |',
    '|---:|---|',
    ...p.summary.selfTime.slice(0, 12).map(([k, t]) => `| ${share(t)} | ${code(k)} |`),
    '',
    ...(p.summary.selfTime.some(([k]) => k === '(idle)')
      ? ['`(idle)` is the main thread waiting, here for the file reads that `fs.createReadStream` does in the libuv thread pool.', '']
      : []),
    '| Inclusive | nbguard function |',
    '|---:|---|',
    ...p.summary.inclusive
      .filter(([k]) => !/^\(anonymous\) /.test(k))
      .slice(0, 8)
      .map(([k, t]) => `| ${share(t)} | ${code(k)} |`),
    '',
  ];
}

export function redactReport(run: RedactBenchRun): string {
  const log = run.log;
  return [
    '# Redaction performance',
    '',
    '<!-- Generated by `npm run bench:redact` (node bench/run.mjs redact --write); do not edit by hand. -->',
    '',
    `How fast \`nbguard redact\` streams a big Spark driver log, how that compares with ripgrep`,
    'running the same detector regexes, whether it removes every credential and nothing else, and',
    'how it compares with secretlint. The analysis benchmark is in [performance.md](performance.md).',
    '',
    '```sh',
    'npm run build && npm run bench:redact   # node bench/run.mjs redact --write',
    '```',
    '',
    `(${run.seconds.toFixed(0)} s for this run; the temporary logs are deleted at the end, \`--keep\` keeps them.)`,
    '',
    '## Machine',
    '',
    ...machineLines(run),
    '',
    '## The log',
    '',
    `A generated Databricks/Spark driver log (\`bench/redact/sparkLog.ts\`, seeded: seed ${log.seed}), ${(log.bytes / MIB).toFixed(0)} MiB, ${log.lines.toLocaleString('en-US')} lines,`,
    'written in the log4j layout `yy/MM/dd HH:mm:ss LEVEL Logger: message`: TaskSetManager,',
    'BlockManagerInfo, MemoryStore, FileScanRDD (s3a:// paths with UUIDs), CodeGenerator,',
    'DAGScheduler, shuffle fetches, Delta commits with SHA-1 checksums, S3 errors with base64',
    'request ids, multi-line Java stack traces with `Caused by:` chains, JSON configuration dumps with',
    "Spark's `*********(redacted)` values, ABFS paths, lines about tokens, credentials and secrets",
    'that hold none, and the notebook\'s own stdout. Into it (`bench/redact/plants.ts`), about one',
    `record in ${Math.round(1 / log.credentialRate)} is a credential and one in ${Math.round(1 / log.decoyRate)} a decoy, recorded with their line numbers:`,
    `${log.credentials.toLocaleString('en-US')} credentials and ${log.decoys.toLocaleString('en-US')} decoys here (generated in ${log.seconds.toFixed(1)} s).`,
    '',
    '## Throughput',
    '',
    `Same file, same run, ${RUNS} runs each, interleaved; wall-clock time of the whole process (start-up`,
    'included) with the file in the page cache. MB = 10^6 bytes.',
    '',
    ...targetLines(run),
    '',
    ...timingTable(run),
    '',
    `- \`${run.file}\` is the generated log; \`PATTERNS\` holds the ${run.patterns} detector regexes of \`rules/detectors/\`, one per`,
    '  line, as PCRE2 (unchanged but for `flags: i` written as `(?i)`), so ripgrep does the regex work',
    "  nbguard's detectors do, without nbguard's checks after the match (entropy, context,",
    '  placeholders): hence its far larger line count, mostly 40+ character base64-like runs matched by',
    "  the AWS-secret pattern. nbguard's Lines column is the number of lines it changed.",
    '- `rg -c` without `-P` (ripgrep\'s default engine, which has no look-around) gets the same',
    '  patterns with the look-arounds removed: not the target, a reference for a literal-prefiltered',
    '  regex scan.',
    '- ripgrep searches one file with one thread; `nbguard redact` is one node process.',
    ...((run.rgPcre2.maxRssKb ?? 0) * 1024 > log.bytes / 2 ? ["- ripgrep memory-maps the file it searches, so its peak RSS counts the file's pages (shared with the page cache)."] : []),
    '',
    `## Redaction of the ${(log.bytes / MIB).toFixed(0)} MiB log`,
    '',
    'The output is checked against the ground truth: every line of a credential must have changed',
    'and none of the credential left in it; a decoy\'s line must be unchanged or still hold the decoy;',
    'lines that changed anywhere else are false redactions (found by the `REDACTED_` placeholders,',
    'which the input never contains).',
    '',
    ...scoreLines(run.score),
    '',
    ...kindTable(run.score),
    '',
    ...(run.score.falseExamples.length ? ['Changed lines without a credential, for example:', '', '```', ...run.score.falseExamples.slice(0, 6).map((l) => l.slice(0, 220)), '```', ''] : []),
    ...(run.score.missExamples.length ? ['Credentials left, for example:', '', '```', ...run.score.missExamples.slice(0, 6).map((l) => l.slice(0, 220)), '```', ''] : []),
    ...sampleSection(run),
    '## nbguard and secretlint on notebooks',
    '',
    'Each tool gets the notebook files as they are on disk (secretlint and `nbguard redact` read the',
    '.ipynb JSON as text; `nbguard scan` parses it). A report counts where it lands: a cell and',
    'source line, or a cell\'s outputs; a label is found when a report lands on it (NBG201: same cell',
    'and line; NBG401: the same cell\'s outputs). `nbguard redact` reports are the lines it changed.',
    'Times are one process over all the files of the set, start-up included.',
    '',
    ...run.corpus.flatMap(corpusSection),
    ...profileSection(run),
    '## Reproduce',
    '',
    '- `node bench/run.mjs redact` measures and prints; `--write` also rewrites this file;',
    `  \`--size-mb N\` (default 1024), \`--sample-mb N\` (default ${DEFAULT_SAMPLE_MB}), \`--runs N\`, \`--dir DIR\` (default the OS temp dir), \`--keep\`.`,
    '- `node bench/run.mjs redact generate --size-mb 200 --out /tmp/driver.log` writes a log and its',
    '  ground truth (`/tmp/driver.log.truth.json`).',
    '- Needs `npm run build` (dist/cli.js), ripgrep (`apt-get install -y ripgrep`), and for peak RSS',
    '  GNU time (`apt-get install -y time`; otherwise /proc is sampled). secretlint and its preset are',
    '  devDependencies; its configuration is `bench/redact/.secretlintrc.json`.',
    '',
  ].join('\n');
}

export function writeRedactReport(run: RedactBenchRun): string {
  return writeDoc(REPORT, redactReport(run));
}
