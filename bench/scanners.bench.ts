// nbguard's detectors against the other secret scanners installable here, side by side in one run,
// on the detectors' own test vectors (rules/detectors/*.yaml: synthetic values made from each
// provider's documented format) and on a generated Spark driver log with planted credentials:
// per kind, how many positive samples each tool flags (found) and how many negative samples
// (placeholders, look-alikes, failed checksums: false positives), and how long each takes.
//
//   npm run build && node bench/run.mjs scanners [--write]     (--write: docs/scanners.md)
//
// Tools, each skipped (and said so) when missing: secretlint (npm, pinned in devDependencies),
// gitleaks (go install github.com/zricethezav/gitleaks/v8@v8.30.1; put it on PATH or set
// GITLEAKS), detect-secrets (pip install detect-secrets==1.5.0; or DETECT_SECRETS), trufflehog
// (go install github.com/trufflesecurity/trufflehog/v3@latest; or TRUFFLEHOG, run with
// --no-verification: nothing leaves the machine).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/analysis/rules/loadRules';
import type { DetectorRule } from '../server/src/analysis/rules/ruleFile';
import { generateLog } from './redact/logGenerator';
import { ROOT } from './redact/config';
import { secretlintPaths } from './redact/secretlint';



interface Tool {
  name: string;
  version: string;
  /** The files (base names) it flags under `dir`, and the seconds it took. */
  run(dir: string): { flagged: Set<string>; seconds: number };
}

function which(env: string, name: string): string | undefined {
  const given = process.env[env];
  if (given) return given;
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function timed(command: string, args: string[], cwd?: string): { stdout: string; seconds: number; status: number | null } {
  const t = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, cwd });
  return { stdout: r.stdout ?? '', seconds: (performance.now() - t) / 1000, status: r.status };
}

const base = (path: string) => path.split('/').pop() ?? path;

/** The module version a `go install`ed binary was built from (its own `version` may not say). */
function goModuleVersion(binary: string): string | undefined {
  const r = spawnSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  return /^\s+mod\s+\S+\s+(v\S+)/m.exec(r.stdout ?? '')?.[1];
}

function tools(): { available: Tool[]; missing: string[] } {
  const available: Tool[] = [];
  const missing: string[] = [];
  const detectors = new CompiledRules(loadRuleSet()).detectors;
  available.push({
    name: 'nbguard',
    version: 'this build, in process (no start-up)',
    run(dir) {
      const t = performance.now();
      const flagged = new Set(readdirSync(dir).filter((f) => detectors.scan(readFileSync(join(dir, f), 'utf8')).length > 0));
      return { flagged, seconds: (performance.now() - t) / 1000 };
    },
  });
  const sl = secretlintPaths(ROOT);
  available.push({
    name: 'secretlint',
    version: '12.0.0 (recommended preset)',
    run(dir) {
      // --output, not stdout: secretlint exits before a big report has drained into a pipe.
      const report = join(tmpdir(), `secretlint-${process.pid}.json`);
      const files = readdirSync(dir).map((f) => join(dir, f));
      const r = timed(process.execPath, [sl.bin, '--secretlintrc', sl.rc, '--format', 'json', '--no-color', '--no-glob', '--output', report, ...files]);
      const results = JSON.parse(readFileSync(report, 'utf8')) as { filePath: string; messages: unknown[] }[];
      rmSync(report, { force: true });
      return { flagged: new Set(results.filter((x) => x.messages.length > 0).map((x) => base(x.filePath))), seconds: r.seconds };
    },
  });
  const gitleaks = which('GITLEAKS', 'gitleaks');
  if (gitleaks) {
    available.push({
      name: 'gitleaks',
      version: goModuleVersion(gitleaks) ?? timed(gitleaks, ['version']).stdout.trim(),
      run(dir) {
        const report = join(tmpdir(), `gitleaks-${process.pid}.json`);
        const r = timed(gitleaks, ['dir', dir, '--no-banner', '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error']);
        const found = JSON.parse(readFileSync(report, 'utf8') || '[]') as { File: string }[];
        rmSync(report, { force: true });
        return { flagged: new Set(found.map((f) => base(f.File))), seconds: r.seconds };
      },
    });
  } else missing.push('gitleaks');
  const ds = which('DETECT_SECRETS', 'detect-secrets');
  if (ds) {
    available.push({
      name: 'detect-secrets',
      version: timed(ds, ['--version']).stdout.trim(),
      run(dir) {
        // Given a path outside the working directory it reports nothing: run it inside.
        const r = timed(ds, ['scan', '--all-files', '.'], dir);
        const results = (JSON.parse(r.stdout || '{}') as { results?: Record<string, unknown[]> }).results ?? {};
        return { flagged: new Set(Object.keys(results).map(base)), seconds: r.seconds };
      },
    });
  } else missing.push('detect-secrets');
  const th = which('TRUFFLEHOG', 'trufflehog');
  if (th) {
    available.push({
      name: 'trufflehog',
      version: timed(th, ['--version']).stdout.trim() || 'v3',
      run(dir) {
        const r = timed(th, ['filesystem', dir, '--json', '--no-verification', '--no-update']);
        const files = r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { SourceMetadata?: { Data?: { Filesystem?: { file?: string } } } }).SourceMetadata?.Data?.Filesystem?.file)
          .filter((f): f is string => f !== undefined);
        return { flagged: new Set(files.map(base)), seconds: r.seconds };
      },
    });
  } else missing.push('trufflehog');
  return { available, missing };
}

/** One file per sample: `<id>__pos__<n>.txt` and `<id>__neg__<n>.txt`. */
function writeVectors(dir: string): { rules: DetectorRule[]; files: { file: string; id: string; positive: boolean }[] } {
  const rulesDir = join(ROOT, 'rules', 'detectors');
  const rules = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => (parse(readFileSync(join(rulesDir, f), 'utf8')) as { detectors: DetectorRule[] }).detectors[0]);
  const files: { file: string; id: string; positive: boolean }[] = [];
  for (const r of rules) {
    for (const [positive, samples] of [[true, r.samples?.positive ?? []], [false, r.samples?.negative ?? []]] as const) {
      samples.forEach((text, n) => {
        const file = `${r.id}__${positive ? 'pos' : 'neg'}__${n}.txt`;
        writeFileSync(join(dir, file), `${text}\n`);
        files.push({ file, id: r.id, positive });
      });
    }
  }
  return { rules, files };
}

function main(): void {
  const write = process.argv.includes('--write');
  const work = mkdtempSync(join(tmpdir(), 'nbguard-scanners-'));
  const vectors = join(work, 'vectors');
  mkdirSync(vectors);
  const { rules, files } = writeVectors(vectors);
  const logDir = join(work, 'log');
  mkdirSync(logDir);
  const log = generateLog(join(logDir, 'driver.log'), 32 * 1024 * 1024, 20170101);
  const { available, missing } = tools();
  const perKind = new Map<string, Map<string, { found: number; positives: number; falsePositives: number; negatives: number }>>();
  const totals: { tool: string; version: string; found: number; positives: number; falsePositives: number; negatives: number; seconds: number; logSeconds: number }[] = [];
  for (const tool of available) {
    process.stderr.write(`${tool.name}...`);
    const { flagged, seconds } = tool.run(vectors);
    const logRun = tool.run(logDir);
    const byKind = new Map<string, { found: number; positives: number; falsePositives: number; negatives: number }>();
    for (const f of files) {
      const k = byKind.get(f.id) ?? { found: 0, positives: 0, falsePositives: 0, negatives: 0 };
      if (f.positive) {
        k.positives++;
        if (flagged.has(f.file)) k.found++;
      } else {
        k.negatives++;
        if (flagged.has(f.file)) k.falsePositives++;
      }
      byKind.set(f.id, k);
    }
    perKind.set(tool.name, byKind);
    const sum = [...byKind.values()].reduce((a, k) => ({ found: a.found + k.found, positives: a.positives + k.positives, falsePositives: a.falsePositives + k.falsePositives, negatives: a.negatives + k.negatives }), { found: 0, positives: 0, falsePositives: 0, negatives: 0 });
    totals.push({ tool: tool.name, version: tool.version, ...sum, seconds, logSeconds: logRun.seconds });
    process.stderr.write(` ${sum.found}/${sum.positives} found, ${sum.falsePositives}/${sum.negatives} false, ${seconds.toFixed(1)} s; log ${logRun.seconds.toFixed(1)} s\n`);
  }
  rmSync(work, { recursive: true, force: true });

  const names = available.map((t) => t.name);
  const lines = [
    '# nbguard and other secret scanners',
    '',
    '<!-- Generated by `node bench/run.mjs scanners --write` (bench/scanners.bench.ts); do not edit by hand. -->',
    '',
    `Side by side in one run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: every tool gets the same files. The vectors are`,
    `the ${files.length} test vectors of nbguard's ${rules.length} detectors (rules/detectors/*.yaml, synthetic, made from each provider's`,
    'documented format: so they favour nbguard, whose patterns were written from the same documents; read the table for',
    'what each tool covers rather than as a contest), one file each. "Found" counts positive vectors a tool flags (any',
    'rule), "false" negative vectors it flags (placeholders, look-alikes, failed checksums, published sample keys). The log',
    `is a generated ${(log.bytes / 1048576).toFixed(0)} MiB Spark driver log (bench/redact) scanned as one file.`,
    'A negative vector of one kind may hold a credential of another kind (an Anthropic admin key among the negatives',
    "of Anthropic API keys, a Stripe key among OpenAI's look-alikes, a JWT among Discord's): a tool that flags it is",
    "counted as false here, which is why nbguard's own count is not zero.",
    missing.length > 0 ? `Not installed in this run: ${missing.join(', ')}.` : '',
    '',
    '| tool | version | found | false | vectors time | 32 MiB log time |',
    '|---|---|---:|---:|---:|---:|',
    ...totals.map((t) => `| ${t.tool} | ${t.version.split('\n')[0]} | ${t.found}/${t.positives} | ${t.falsePositives}/${t.negatives} | ${t.seconds.toFixed(1)} s | ${t.logSeconds.toFixed(1)} s |`),
    '',
    '## Per kind (found / positive vectors, false / negative vectors)',
    '',
    `| kind | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...rules.map((r) => `| \`${r.id}\` | ${names.map((n) => { const k = perKind.get(n)?.get(r.id); return k ? `${k.found}/${k.positives}, ${k.falsePositives}/${k.negatives}` : ''; }).join(' | ')} |`),
    '',
  ];
  if (write) {
    writeFileSync(join(ROOT, 'docs', 'scanners.md'), lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n'));
    console.log('wrote docs/scanners.md');
  } else console.log(lines.join('\n'));
}

main();
