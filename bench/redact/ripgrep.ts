// The ripgrep baseline: the detectors' own regexes from rules/detectors/, given to
// `rg -P -c` (PCRE2) as one pattern file, counting matching lines. The JavaScript patterns are
// valid PCRE2 as they are, but for a detector's `flags: i`, which becomes an inline `(?i)`, and
// look-behinds of several lengths, which PCRE2 refuses (those patterns lose their look-arounds). A second, informative variant drops the look-arounds so that ripgrep's default
// engine (Rust regex, no look-around, literal prefilters) can run them.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface DetectorPattern {
  id: string;
  /** The pattern as ripgrep gets it. */
  pcre2: string;
  /** Without look-arounds, for ripgrep's default engine. */
  noLookaround: string;
}

export function detectorPatterns(root: string): DetectorPattern[] {
  const dir = join(root, 'rules', 'detectors');
  const rules = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => (parse(readFileSync(join(dir, f), 'utf8')) as { detectors: { id: string; pattern: string; flags?: string }[] }).detectors);
  // PCRE2 wants look-behinds of one length; JavaScript does not. A pattern that ripgrep cannot
  // compile together with the ones before it is given without its look-arounds (it then counts a
  // few more lines, never fewer).
  // One whose look-arounds this cannot strip (nested groups) is left out of the comparison.
  // The same for ripgrep's default engine, where a pattern it cannot take matches nothing.
  const accepted: string[] = [];
  const plain: string[] = [];
  const out: DetectorPattern[] = [];
  for (const d of rules) {
    const written = `${d.flags ? `(?${d.flags})` : ''}${d.pattern}`;
    const stripped = written.replace(/\(\?<?[!=][^()]*\)/g, '');
    const pcre2 = [written, stripped].find((p) => compiles([...accepted, p], true));
    if (pcre2 === undefined) continue;
    accepted.push(pcre2);
    const noLookaround = compiles([...plain, stripped], false) ? stripped : NEVER;
    plain.push(noLookaround);
    out.push({ id: d.id, pcre2, noLookaround });
  }
  return out;
}

/** A pattern that matches nothing, in either engine. */
const NEVER = '\\b\\B';

function compiles(patterns: readonly string[], pcre2: boolean): boolean {
  return spawnSync('rg', [...(pcre2 ? ['-P'] : []), '-c', ...patterns.flatMap((p) => ['-e', p]), '/dev/null'], { encoding: 'utf8' }).status !== 2;
}

export function writePatternFile(file: string, patterns: readonly string[]): string {
  writeFileSync(file, `${patterns.join('\n')}\n`);
  return file;
}

export function ripgrepVersion(): string | undefined {
  const r = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const pcre = spawnSync('rg', ['--pcre2-version'], { encoding: 'utf8' });
  return `${r.stdout.split('\n')[0]}${pcre.status === 0 ? `, ${pcre.stdout.split('\n')[0]}` : ''}`;
}

/** The installed package's version (Debian), if dpkg knows it. */
export function debianPackageVersion(name: string): string | undefined {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `rg -c` prints the number of matching lines (nothing and exit status 1 when there is none). */
export function parseCount(stdout: string): number {
  const n = Number(stdout.trim().split('\n').pop() ?? '0');
  return Number.isFinite(n) ? n : 0;
}
