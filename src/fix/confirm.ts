import { createInterface } from 'node:readline/promises';
import type { CliDeps } from '../cli/deps.js';

/** Asks a yes/no question (through deps.prompt when given, else on the terminal); only "y" or "yes" is a yes. */
export async function confirm(deps: CliDeps, question: string): Promise<boolean> {
  let answer: string;
  if (deps.prompt) answer = await deps.prompt(question);
  else {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      answer = await rl.question(question);
    } finally {
      rl.close();
    }
  }
  return /^\s*y(es)?\s*$/i.test(answer);
}
