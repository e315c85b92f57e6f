// The error a reader raises for input it cannot use: it names the file and, where known, the
// position, so the CLI can report it and go on with the other files.

export class NotebookInputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotebookInputError';
  }
}

/** Turns a JSON.parse error into "not valid JSON at line L, column C: reason". */
export function describeJsonError(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lineCol = /line (\d+) column (\d+)/.exec(raw);
  let line: number | undefined;
  let column: number | undefined;
  if (lineCol) {
    line = Number(lineCol[1]);
    column = Number(lineCol[2]);
  } else {
    const at = /position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) : /end of JSON input/.test(raw) ? text.length : undefined;
    if (offset !== undefined) {
      const before = text.slice(0, offset);
      line = before.split('\n').length;
      column = offset - before.lastIndexOf('\n');
    }
  }
  const reason = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, '');
  return line === undefined ? `not valid JSON: ${reason}` : `not valid JSON at line ${line}, column ${column}: ${reason}`;
}
