import { describe, it, expect } from 'vitest';
import { dictionaryProblems } from './dictionary-problems.js';

// A key YAML reads as other than written (012345678901 → 12345678901, a list as a key) is reported with every other
// problem of the dictionary: validate promises to print them all, not to stop at the first key.

const HEAD = 'version: 1\nname: t\ntags:\n  - key: env\n    category: w\n    purpose: p\n    mandatory: true\n    costAllocation: false\n';

describe('misread keys do not hide the other problems', () => {
  it('an unquoted leading-zero account id beside bad values (acceptance acct-full.yaml: was 1 problem of 6)', async () => {
    const text = `${HEAD}    values: [dev, "no", 1.0, true, null, 0x1F]\n    accountDefaults:\n      012345678901: dev\n      111122223333: dev\n      "444455556666": 12345678901234567890\n`;
    expect(await dictionaryProblems(text)).toEqual([
      '9:25 tags[0].values[2]: must be a string, got the number 1; quote it: "1.0"',
      '9:30 tags[0].values[3]: must be a string, got the boolean true; quote it: "true"',
      '9:36 tags[0].values[4]: must be a string, got nothing',
      '9:42 tags[0].values[5]: must be a string, got the number 31; quote it: "0x1F"',
      '11:7 tags[0].accountDefaults: key 012345678901 reads as 12345678901 in YAML; quote it: "012345678901"',
      '13:23 tags[0].accountDefaults["444455556666"]: must be a string, got the number *****************000; quote it: "*****************890"',
    ]);
  });

  it('the schema does not repeat the misread key as a 11-digit account id', async () => {
    const text = `${HEAD}    accountDefaults:\n      012345678901: dev\n`;
    expect(await dictionaryProblems(text)).toEqual(['10:7 tags[0].accountDefaults: key 012345678901 reads as 12345678901 in YAML; quote it: "012345678901"']);
  });

  it('a value under a misread key is still checked', async () => {
    const text = `${HEAD}    values: [dev]\n    accountDefaults:\n      012345678901: prod\n`;
    expect(await dictionaryProblems(text)).toEqual([
      '11:7 tags[0].accountDefaults: key 012345678901 reads as 12345678901 in YAML; quote it: "012345678901"',
      "11:21 tags[0].accountDefaults[\"12345678901\"]: 'prod' is not one of the key's values (dev)",
    ]);
  });

  it('a list as a key: reported once (not also as an unknown property), with the rest', async () => {
    const text = `${HEAD}    ? [a, b]\n    : x\n    severity: fatal\n`;
    expect(await dictionaryProblems(text)).toEqual([
      '9:7 tags[0]: a key must be text, got a list',
      '11:15 tags[0].severity: must be one of error, warning, note; got \'fatal\'',
    ]);
  });

  it('a null key: reported once (not also as the unknown property \'\')', async () => {
    expect(await dictionaryProblems(HEAD.replace('name: t\n', 'name: t\n~: x\n'))).toEqual(['3:1 : key ~ reads as null in YAML; quote it: "~"']);
  });
});
