import { createInterface } from 'node:readline/promises';
import type { CliDeps } from '../cli/deps.js';

/** CliDeps, whose optional `prompt` asks the user (tests inject it; the CLI falls back to the terminal). */
export type PromptDeps = CliDeps;

/** Asks a yes/no question on the terminal; only "y" or "yes" is a yes. */
export async function confirm(deps: PromptDeps, question: string): Promise<boolean> {
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
