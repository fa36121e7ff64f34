import { createInterface } from 'node:readline/promises';
import type { CliDeps } from '../cli/deps.js';

/** Where the terminal prompt reads and writes (process stdin / stderr; tests pass streams). */
export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/**
 * Asks a yes/no question (through deps.prompt when given, else on the terminal); only "y" or "yes" is a yes.
 * Ctrl-C or Ctrl-D at the prompt is a no: the user declined, nothing was written (readline rejects the question).
 */
export async function confirm(deps: CliDeps, question: string, streams: PromptStreams = { input: process.stdin, output: process.stderr }): Promise<boolean> {
  let answer: string;
  if (deps.prompt) answer = await deps.prompt(question);
  else {
    const rl = createInterface({ input: streams.input, output: streams.output, terminal: true });
    try {
      answer = await rl.question(question);
    } catch (err) {
      if ((err as { name?: unknown }).name !== 'AbortError') throw err;
      streams.output.write('\n');
      return false;
    } finally {
      rl.close();
    }
  }
  return /^\s*y(es)?\s*$/i.test(answer);
}
