import { isatty } from 'node:tty';

/** A writable text stream as the CLI sees it; process.stdout / stderr fit, and so do test buffers. */
export interface TextOut {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface CliDeps {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
  /** Whether a human can answer prompts (stdin is a TTY). */
  readonly interactive: boolean;
  /** Asks the user a question and resolves with the answer; tests inject it, the CLI reads the terminal. */
  readonly prompt?: (question: string) => Promise<string>;
}

export function processDeps(): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    // isatty(0) is what process.stdin.isTTY reports, without building the stdin stream (~3 ms) on every start.
    interactive: isatty(0),
  };
}
