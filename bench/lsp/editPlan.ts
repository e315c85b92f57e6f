// The sequence of one-cell edits the benchmark sends, decided before any server runs so that
// the dry run and the measured run send exactly the same edits. Edits come in a repeating
// cycle of four, each on a random code cell:
//
//   1. add a leak: a debug line printing or logging a secret that an earlier cell read
//      (`print(f"... {api_token_4}")`) appended to a cell: a new NBG101 diagnostic there;
//   2. an ordinary one-line edit (editCell: a number changed, a string literal extended, or a
//      statement appended), which usually changes no diagnostic;
//   3. remove the leak added in step 1 again: that cell's diagnostic goes away;
//   4. another ordinary edit.
//
// Edits are cumulative (the notebook drifts the way it does while someone types), and all of
// them are one-line changes.

import { editCell, prng } from '../generateNotebook';

export type EditKind = 'add leak' | 'remove leak' | 'edit';

export interface PlannedEdit {
  kind: EditKind;
  /** Index among the code cells. */
  cell: number;
  after: string;
}

const SECRET_DEFINITION = /^(\w+) = (?:dbutils\.secrets\.get\(|os\.environ\[|os\.getenv\()/gm;

const LEAK_LINES: ((name: string) => string)[] = [
  (n) => `print(f"debug: using {${n}}")`,
  (n) => `print("credential:", ${n})`,
  (n) => `logging.info("connecting with %s", ${n})`,
];

/** The first code cell defining each secret variable, in cell order. */
function secretDefinitions(sources: readonly string[]): { name: string; cell: number }[] {
  const seen = new Set<string>();
  const out: { name: string; cell: number }[] = [];
  sources.forEach((text, cell) => {
    for (const m of text.matchAll(SECRET_DEFINITION)) {
      if (!seen.has(m[1])) {
        seen.add(m[1]);
        out.push({ name: m[1], cell });
      }
    }
  });
  return out;
}

/** `count` edits of the code cells `sources` (not modified), deterministic for `seed`. */
export function planEdits(sources: readonly string[], count: number, seed: number): PlannedEdit[] {
  const r = prng(seed);
  const texts = [...sources];
  const secrets = secretDefinitions(sources);
  if (secrets.length === 0) throw new Error('the notebook reads no secret: nothing to leak');
  const firstSecretCell = secrets[0].cell;
  const plan: PlannedEdit[] = [];
  let leak: { cell: number; line: string } | undefined;
  for (let i = 0; plan.length < count; i++) {
    const step = i % 4;
    if (step === 0) {
      // A cell after the first secret, and a secret read before that cell.
      const cell = firstSecretCell + 1 + Math.floor(r() * (texts.length - firstSecretCell - 1));
      const known = secrets.filter((s) => s.cell < cell);
      const secret = known[Math.floor(r() * known.length)];
      const line = LEAK_LINES[Math.floor(r() * LEAK_LINES.length)](secret.name);
      texts[cell] = `${texts[cell]}\n${line}`;
      leak = { cell, line };
      plan.push({ kind: 'add leak', cell, after: texts[cell] });
    } else if (step === 2 && leak) {
      const { cell, line } = leak;
      const lines = texts[cell].split('\n');
      const at = lines.lastIndexOf(line);
      lines.splice(at, 1);
      texts[cell] = lines.join('\n');
      leak = undefined;
      plan.push({ kind: 'remove leak', cell, after: texts[cell] });
    } else {
      const cell = Math.floor(r() * texts.length);
      texts[cell] = editCell(texts[cell], r);
      plan.push({ kind: 'edit', cell, after: texts[cell] });
    }
  }
  return plan;
}
