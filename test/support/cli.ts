import { main } from '../../src/cli/main.js';
import type { CliDeps, TextOut } from '../../src/cli/deps.js';

export interface CliRunOptions {
  /** Environment the CLI sees (default: empty, so the developer's AWS_* variables never leak in). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory the CLI sees (default: process.cwd()). */
  readonly cwd?: string;
  /** Whether prompts may be asked (default: false). */
  readonly interactive?: boolean;
  /** Fixed clock (default: 2024-06-01T12:00:00Z). */
  readonly now?: () => Date;
  /** Whether stdout / stderr claim to be terminals (default: false, so output is plain). */
  readonly tty?: boolean;
  /** Terminal width reported to the CLI (default: 100). */
  readonly columns?: number;
  /** Answers the CLI's questions (with interactive: true). */
  readonly prompt?: (question: string) => Promise<string>;
}

export interface CliRunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A TextOut that collects everything written to it. */
export function bufferOut(tty = false, columns = 100): TextOut & { text(): string } {
  const chunks: string[] = [];
  return {
    isTTY: tty,
    columns,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
}

/** Runs `tagaudit <argv>` in-process with captured output; never touches the real process streams. */
export async function runCli(argv: readonly string[], options: CliRunOptions = {}): Promise<CliRunResult> {
  const stdout = bufferOut(options.tty, options.columns);
  const stderr = bufferOut(options.tty, options.columns);
  const deps: CliDeps = {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => new Date('2024-06-01T12:00:00Z')),
    interactive: options.interactive ?? false,
    prompt: options.prompt,
  };
  const code = await main(argv, deps);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
