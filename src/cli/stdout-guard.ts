import type { TextOut } from './deps.js';

/** stdout as the commands write to it (see guardStdout). */
export interface GuardedStdout extends TextOut {
  /** The stream written to. */
  readonly target: TextOut;
  /**
   * The failure to report once the command is over, if stdout failed other than by its reader going away: one a
   * command swallowed, or one of a write that went to `target` directly (scan's report, see reportStdout).
   */
  failure(): Error | undefined;
}

/**
 * Wraps stdout so that every command handles it as scan's report writer does (report/writers.ts): a write that fails
 * (`tagaudit rules > /dev/full`: ENOSPC) throws `cannot write stdout: ENOSPC: …`, which stops the command and prints
 * as that one line with exit 3, where process.stdout would only emit an 'error' event later (a stack trace, exit 1);
 * a reader that went away (EPIPE: `tagaudit rules | head -1`) is not an error: the rest of the output is dropped
 * quietly and the command finishes. Node sets a stream's `errored` during the failed write itself, for files and
 * pipes alike, so the failure is seen there; a TextOut whose write throws (tests) is handled the same way.
 */
export function guardStdout(target: TextOut): GuardedStdout {
  let readerGone = false;
  let failure: Error | undefined;
  /** Whether the command may go on (the reader went away); otherwise the error to throw. */
  const failed = (err: unknown): Error | undefined => {
    if (errnoCode(err) === 'EPIPE') {
      readerGone = true;
      return undefined;
    }
    failure ??= stdoutError(err);
    return failure;
  };
  return {
    target,
    get isTTY() {
      return target.isTTY;
    },
    get columns() {
      return target.columns;
    },
    write(chunk) {
      if (failure) throw failure;
      if (readerGone) return true;
      let result: unknown;
      try {
        result = target.write(chunk);
      } catch (err) {
        const stop = failed(err);
        if (stop) throw stop;
        return true;
      }
      const errored = streamError(target);
      if (errored !== undefined) {
        const stop = failed(errored);
        if (stop) throw stop;
      }
      return result;
    },
    failure() {
      if (failure) return failure;
      const errored = streamError(target);
      return errored === undefined || errnoCode(errored) === 'EPIPE' ? undefined : (failure = stdoutError(errored));
    },
  };
}

/**
 * The stdout scan's report writers get. The process's own stdout is handed over as itself: stdoutWriter
 * (report/writers.ts) then writes the report straight to its descriptor (much faster for a large report) and reports a
 * failed write with the same message; any other TextOut stays guarded.
 */
export function reportStdout(out: TextOut): TextOut {
  return isGuarded(out) && out.target === process.stdout ? out.target : out;
}

function isGuarded(out: TextOut): out is GuardedStdout {
  return typeof (out as Partial<GuardedStdout>).failure === 'function' && (out as Partial<GuardedStdout>).target !== undefined;
}

/** Worded as report/writers.ts words a failed write to stdout. */
function stdoutError(err: unknown): Error {
  return new Error(`cannot write stdout: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** The error a Node stream failed with (set during the failing write), if the TextOut is one. */
function streamError(out: TextOut): unknown {
  const errored = (out as { errored?: unknown }).errored;
  return errored === null ? undefined : errored;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
