import { describe, it, expect } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';

const ONE = 'version: 1\nname: t\ntags:\n  - {key: team, category: c, purpose: p, mandatory: true, costAllocation: true}\n';

async function lines(text: string): Promise<string[]> {
  const err = await parseDictionary(text, 'dictionaries/x.yaml').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DictionaryError);
  return (err as DictionaryError).lines();
}

const MORE_THAN_ONE = 'a dictionary is one YAML document; this file holds more than one';

describe('a file with more than one YAML document', () => {
  it('points at the start of the second document, in words for the user', async () => {
    expect(await lines(`${ONE}---\n${ONE}`)).toEqual([`dictionaries/x.yaml:5:1: ${MORE_THAN_ONE}`]);
  });

  it('also when the first document starts with ---', async () => {
    expect(await lines(`# comment\n---\n${ONE}\n---\nname: other\n`)).toEqual([`dictionaries/x.yaml:8:1: ${MORE_THAN_ONE}`]);
  });

  it('also after an end-of-document marker', async () => {
    expect(await lines(`${ONE}...\n${ONE}`)).toEqual([`dictionaries/x.yaml:6:1: ${MORE_THAN_ONE}`]);
  });

  it('one document with a leading --- is fine', async () => {
    await expect(parseDictionary(`---\n${ONE}`, 'x.yaml')).resolves.toBeDefined();
  });
});
