import { describe, it, expect } from 'vitest';
import { dictionaryProblems } from './dictionary-problems.js';

// The YAML 1.1 type tags the library resolves (binary data, sets, ordered mappings, pairs, dates) are reported once, at
// the tag, instead of what the schema would say about a Node Buffer, Set or Map (`unknown property 'readBigUInt64LE'`).

const BASE = 'version: 1\nname: t\ntags:\n  - key: env\n    category: w\n    purpose: p\n    mandatory: true\n    costAllocation: false\n';
const message = (tag: string, what: string, instead: string): string =>
  `YAML tag ${tag} is not supported in a dictionary (${what}); ${instead}, without the tag`;
const BINARY = message('!!binary', 'binary data', 'write the value as text');

describe('YAML type tags a dictionary cannot hold', () => {
  it('a whole document of binary data: one problem at the tag (was 101 about Buffer internals)', async () => {
    expect(await dictionaryProblems('!!binary aGVsbG8=\n')).toEqual([`1:1 : ${BINARY}`]);
  });

  it('binary data as the name: not "got a mapping"', async () => {
    expect(await dictionaryProblems(BASE.replace('name: t', 'name: !!binary aGVsbG8='))).toEqual([`2:7 : ${BINARY}`]);
  });

  it('a set, an ordered mapping, pairs and a date, each at its tag', async () => {
    const text = `${BASE}    values: !!set\n      ? a\n      ? b\n    valueAliases: !!omap\n      - A: a\n  - key: team\n    category: w\n    purpose: !!pairs [a: b]\n    mandatory: true\n    costAllocation: false\nsuppressions:\n  - rules: [missing-tag]\n    tags: [env]\n    reason: r\n    expires: !!timestamp 2026-01-31\n`;
    expect(await dictionaryProblems(text)).toEqual([
      `9:13 : ${message('!!set', 'a set', 'write a list')}`,
      `12:19 : ${message('!!omap', 'an ordered mapping', 'write a plain mapping')}`,
      `16:14 : ${message('!!pairs', 'a list of pairs', 'write a plain mapping')}`,
      `23:14 : ${message('!!timestamp', 'a date', 'write the day in quotes ("YYYY-MM-DD")')}`,
    ]);
  });

  it('the tag after an anchor, in verbatim form, and on a key', async () => {
    expect(await dictionaryProblems(BASE.replace('purpose: p', 'purpose: &p !!binary cA=='))).toEqual([`6:17 : ${BINARY}`]);
    expect(await dictionaryProblems(BASE.replace('purpose: p', 'purpose: !<tag:yaml.org,2002:binary> cA=='))).toEqual([`6:14 : ${BINARY}`]);
    expect(await dictionaryProblems(BASE.replace('purpose: p', 'purpose: p\n    !!binary cA==: x'))).toEqual([`7:5 : ${BINARY}`]);
  });

  it('the other problems of the dictionary are still reported', async () => {
    const text = `${BASE.replace('name: t', 'name: !!binary aGVsbG8=')}    bogus: 1\n`;
    expect(await dictionaryProblems(text)).toEqual([`2:7 : ${BINARY}`, "9:5 tags[0]: unknown property 'bogus'"]);
  });

  it('text tags (!!str) and custom tags are not these', async () => {
    expect(await dictionaryProblems(BASE.replace('purpose: p', 'purpose: !!str 5045'))).toEqual([]);
    expect(await dictionaryProblems(`${BASE}    values: !!seq [a]\n`)).toEqual([]);
  });
});
