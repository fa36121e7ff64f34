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

describe('mapping keys the JavaScript object would hide', () => {
  const entry = (extra: string): string =>
    `version: 1\nname: t\ntags:\n  - key: env\n    category: c\n    purpose: p\n    mandatory: true\n    costAllocation: true\n    values: [dev, prod]\n${extra}`;

  it('the same account id once quoted and once not: two keys to YAML, one property, so the last would win', async () => {
    expect(await lines(entry('    accountDefaults:\n      "123456789012": prod\n      123456789012: dev\n'))).toEqual([
      'dictionaries/x.yaml:12:7: tags[0].accountDefaults: key "123456789012" is repeated (once quoted, once not); keep one',
    ]);
  });

  it('a list used as a key (no warning printed by the YAML library, no stringified key accepted)', async () => {
    expect(await lines(entry('    valueAliases:\n      ? [x, y]\n      : dev\n'))).toEqual([
      'dictionaries/x.yaml:11:9: tags[0].valueAliases: a key must be text, got a list',
    ]);
  });

  it('merge keys are not mistaken for repeated keys', async () => {
    const text = `version: 1\nname: t\ntags:\n  - &a {key: a, category: c, purpose: p, mandatory: true, costAllocation: true}\n  - <<: *a\n    key: b\n`;
    await expect(parseDictionary(text, 'x.yaml')).resolves.toBeDefined();
  });
});
