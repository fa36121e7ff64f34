/**
 * An error the user can fix: bad input, bad flags, bad dictionary. The CLI prints `message` as one line
 * (prefixed with `location` when there is one) and exits 2, without a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** `file`, `file:line` or `file:line:col`. */
    readonly location?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The one line the CLI prints. */
  toLine(): string {
    return this.location ? `${this.location}: ${this.message}` : this.message;
  }
}

/** Formats a location from a file and optional 1-based line and column. */
export function formatLocation(file: string, line?: number, col?: number): string {
  if (line === undefined) return file;
  return col === undefined ? `${file}:${line}` : `${file}:${line}:${col}`;
}
