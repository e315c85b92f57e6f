// One-line edits of a cell's source, the kind a user makes while typing: used by the benchmark's
// edit + re-analysis timings and by the incremental-analysis random test.

/**
 * A realistic one-line edit of a cell's source: a number changed on one line (a limit, a
 * threshold, a timeout), a string literal extended (a column or table name being typed), or a
 * new statement appended at the end. Deterministic for a given `r`.
 */
export function editCell(source: string, r: () => number): string {
  const lines = source.split('\n');
  const candidates = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '' && !l.trim().startsWith('#'));
  const mode = r();
  if (mode < 0.4) {
    const withNumber = candidates.filter(({ l }) => /(?<![\w.])\d+(?![\w.])/.test(l));
    if (withNumber.length > 0) {
      const { l, i } = withNumber[Math.floor(r() * withNumber.length)];
      lines[i] = l.replace(/(?<![\w.])(\d+)(?![\w.])/, (_m, d: string) => String(Number(d) + 1 + Math.floor(r() * 9)));
      return lines.join('\n');
    }
  }
  if (mode < 0.75) {
    const withString = candidates.filter(({ l }) => /"[a-z_]+"/.test(l));
    if (withString.length > 0) {
      const { l, i } = withString[Math.floor(r() * withString.length)];
      lines[i] = l.replace(/"([a-z_]+)"/, (_m, s: string) => `"${s}_v2"`);
      return lines.join('\n');
    }
  }
  const additions = ['print("checkpoint")', 'logger.info("cell finished for %s", run_date)', 'assert run_date, "run_date is empty"', 'plt.close("all")'];
  return `${source}\n${additions[Math.floor(r() * additions.length)]}`;
}
