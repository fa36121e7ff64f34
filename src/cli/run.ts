import { main } from './main.js';
import { processDeps } from './deps.js';
import { EXIT } from './exit-codes.js';

/** Entry point for bin/tagaudit: runs main and sets the exit code once it is known. */
export function run(): void {
  // main reports a failed write to stdout itself, as it happens (see guardStdout: `cannot write stdout: …`, exit 3; a
  // reader that went away is not an error). The stream's 'error' event that follows must not crash the process.
  process.stdout.on('error', () => undefined);
  let stderrFailed = false;
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    // A reader that went away (`tagaudit scan 2>&1 | head`) is not an error: stop quietly.
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Nothing can be reported where stderr cannot be written (`2>/dev/full`); the exit code still says it failed.
    stderrFailed = true;
  });
  main(process.argv.slice(2), processDeps())
    .then(
      (code) => {
        process.exitCode = stderrFailed && code === EXIT.OK ? EXIT.INCOMPLETE : code;
      },
      (err: unknown) => {
        process.stderr.write(`tagaudit: error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = EXIT.INCOMPLETE;
      },
    )
    .finally(exitWhenIdleOrSoon);
}

/**
 * The command is done. Something it gave up on past a deadline (a credential_process that never exits) may still hold
 * the event loop: exit anyway, shortly. The timer holds nothing itself, so an idle process exits at once, as before.
 */
function exitWhenIdleOrSoon(): void {
  exitOnceFlushed([process.stdout, process.stderr], () => setTimeout(() => process.exit(), LINGER_MS).unref());
}

/** What exitOnceFlushed needs of stdout and stderr. */
export interface FlushableStream {
  readonly writableLength: number;
  once(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/**
 * Calls `then` once none of `streams` holds unwritten output: where writes to a pipe are asynchronous (macOS), a
 * plan piped into a pager that has not read it yet must not be cut off by the forced exit.
 */
export function exitOnceFlushed(streams: readonly FlushableStream[], then: () => void): void {
  const pending = streams.filter((s) => s.writableLength > 0);
  if (pending.length === 0) {
    then();
    return;
  }
  const waiting = new Set(pending);
  for (const s of pending) {
    // A stream that closed or failed (a reader that went away) will never write the rest: stop waiting for it.
    const gone = (): void => {
      if (waiting.delete(s) && waiting.size === 0) then();
    };
    const drained = (): void => {
      if (!waiting.has(s)) return;
      if (s.writableLength > 0) s.once('drain', drained);
      else gone();
    };
    s.once('drain', drained);
    s.once('close', gone);
    s.once('error', gone);
  }
}

const LINGER_MS = 1000;
