// The secret scanners bench/scanners.bench.ts compares, each behind one interface: given a
// folder, the lines (1-based) it flags in each file and the seconds it took. Each external tool is
// skipped (and said so) when it is not installed; none of them is allowed to use the network.
//
// Tools: secretlint (npm, pinned in devDependencies), gitleaks (go install
// github.com/zricethezav/gitleaks/v8@v8.30.1; on PATH or GITLEAKS), detect-secrets (pip install
// detect-secrets==1.5.0; or DETECT_SECRETS), trufflehog (go install
// github.com/trufflesecurity/trufflehog/v3; or TRUFFLEHOG, run with --no-verification).

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DetectorSet } from '../../server/src/analysis/detectors/detectorSet';
import { redact } from '../../server/src/analysis/redact/redactor';
import { ROOT } from '../redact/config';
import { secretlintPaths } from '../redact/secretlint';

/** File base name -> the lines (1-based) a tool flags in it. */
export type Flags = Map<string, Set<number>>;

export interface Tool {
  name: string;
  version: string;
  run(dir: string): { flags: Flags; seconds: number };
}

const base = (path: string) => path.split('/').pop() ?? path;

function flag(flags: Flags, file: string, line: number): void {
  const lines = flags.get(base(file)) ?? new Set<number>();
  lines.add(line);
  flags.set(base(file), lines);
}

function which(env: string, name: string): string | undefined {
  const given = process.env[env];
  if (given) return given;
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function timed(command: string, args: string[], cwd?: string): { stdout: string; seconds: number } {
  const t = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, cwd });
  return { stdout: r.stdout ?? '', seconds: (performance.now() - t) / 1000 };
}

/** The module version a `go install`ed binary was built from (its own `version` may not say). */
function goModuleVersion(binary: string): string | undefined {
  const r = spawnSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  return /^\s+mod\s+\S+\s+(v\S+)/m.exec(r.stdout ?? '')?.[1];
}

/**
 * nbguard as a user runs it: notebooks through `nbguard scan` (its findings name cell lines, so a
 * notebook counts as flagged at line 1), a `.log` through the redactor in process (the lines it
 * changes), other text through the detectors in process (the lines of their matches).
 */
function nbguard(detectors: DetectorSet): Tool {
  return {
    name: 'nbguard',
    version: 'this build',
    run(dir) {
      const flags: Flags = new Map();
      const files = readdirSync(dir);
      const notebooks = files.filter((f) => f.endsWith('.ipynb'));
      const t = performance.now();
      if (notebooks.length > 0) {
        const r = timed(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'scan', '--format', 'json', '--fail-on', 'never', dir]);
        for (const f of (JSON.parse(r.stdout) as { findings: { file: string }[] }).findings) flag(flags, f.file, 1);
      }
      for (const f of files.filter((name) => !name.endsWith('.ipynb'))) {
        const text = readFileSync(join(dir, f), 'utf8');
        if (f.endsWith('.log')) {
          const before = text.split('\n');
          redact(text, detectors)
            .split('\n')
            .forEach((line, i) => line !== before[i] && flag(flags, f, i + 1));
        } else for (const m of detectors.scan(text)) flag(flags, f, text.slice(0, m.start).split('\n').length);
      }
      return { flags, seconds: (performance.now() - t) / 1000 };
    },
  };
}

function secretlint(): Tool {
  const sl = secretlintPaths(ROOT);
  return {
    name: 'secretlint',
    version: '12.0.0 (recommended preset)',
    run(dir) {
      // --output, not stdout: secretlint exits before a big report has drained into a pipe.
      const report = join(tmpdir(), `secretlint-${process.pid}.json`);
      const files = readdirSync(dir).map((f) => join(dir, f));
      const r = timed(process.execPath, [sl.bin, '--secretlintrc', sl.rc, '--format', 'json', '--no-color', '--no-glob', '--output', report, ...files]);
      const results = JSON.parse(readFileSync(report, 'utf8')) as { filePath: string; messages: { loc?: { start?: { line?: number } } }[] }[];
      rmSync(report, { force: true });
      const flags: Flags = new Map();
      for (const x of results) for (const m of x.messages) flag(flags, x.filePath, m.loc?.start?.line ?? 1);
      return { flags, seconds: r.seconds };
    },
  };
}

function gitleaks(binary: string): Tool {
  return {
    name: 'gitleaks',
    version: goModuleVersion(binary) ?? timed(binary, ['version']).stdout.trim(),
    run(dir) {
      const report = join(tmpdir(), `gitleaks-${process.pid}.json`);
      const r = timed(binary, ['dir', dir, '--no-banner', '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error']);
      const found = JSON.parse(readFileSync(report, 'utf8') || '[]') as { File: string; StartLine: number }[];
      rmSync(report, { force: true });
      const flags: Flags = new Map();
      for (const f of found) flag(flags, f.File, f.StartLine);
      return { flags, seconds: r.seconds };
    },
  };
}

function detectSecrets(binary: string): Tool {
  return {
    name: 'detect-secrets',
    version: timed(binary, ['--version']).stdout.trim(),
    run(dir) {
      // Given a path outside the working directory it reports nothing: run it inside.
      const r = timed(binary, ['scan', '--all-files', '.'], dir);
      const results = (JSON.parse(r.stdout || '{}') as { results?: Record<string, { line_number: number }[]> }).results ?? {};
      const flags: Flags = new Map();
      for (const [file, found] of Object.entries(results)) for (const f of found) flag(flags, file, f.line_number);
      return { flags, seconds: r.seconds };
    },
  };
}

function trufflehog(binary: string): Tool {
  return {
    name: 'trufflehog',
    version: timed(binary, ['--version']).stdout.trim() || 'v3',
    run(dir) {
      const r = timed(binary, ['filesystem', dir, '--json', '--no-verification', '--no-update']);
      const flags: Flags = new Map();
      for (const l of r.stdout.split('\n').filter(Boolean)) {
        const at = (JSON.parse(l) as { SourceMetadata?: { Data?: { Filesystem?: { file?: string; line?: number } } } }).SourceMetadata?.Data?.Filesystem;
        if (at?.file) flag(flags, at.file, at.line ?? 1);
      }
      return { flags, seconds: r.seconds };
    },
  };
}

/** The tools installed here, nbguard first, and the names of those that are not. */
export function installedTools(detectors: DetectorSet): { available: Tool[]; missing: string[] } {
  const available = [nbguard(detectors), secretlint()];
  const missing: string[] = [];
  const external: [string, string, (binary: string) => Tool][] = [
    ['GITLEAKS', 'gitleaks', gitleaks],
    ['DETECT_SECRETS', 'detect-secrets', detectSecrets],
    ['TRUFFLEHOG', 'trufflehog', trufflehog],
  ];
  for (const [env, name, make] of external) {
    const binary = which(env, name);
    if (binary) available.push(make(binary));
    else missing.push(name);
  }
  return { available, missing };
}
