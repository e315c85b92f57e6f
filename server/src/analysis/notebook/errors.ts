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
