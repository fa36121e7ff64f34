import { expect } from 'vitest';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';

/** The problems parseDictionary reports for `text`, as `line:col path: message` (none when it loads). */
export async function dictionaryProblems(text: string): Promise<string[]> {
  const err = await parseDictionary(text, 'd.yaml').then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err === undefined) return [];
  expect(err).toBeInstanceOf(DictionaryError);
  return (err as DictionaryError).problems.map((p) => `${p.line}:${p.col} ${p.path ?? ''}: ${p.message}`);
}
