import { describe, it, expect } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { dictionaryProblems } from './dictionary-problems.js';

const ENTRY = (key: string, extra = ''): string =>
  `  - key: ${key}\n    category: workload\n    purpose: p\n    mandatory: true\n    costAllocation: false\n${extra}`;
const HEAD = 'version: 1\nname: t\ntags:\n';

describe('YAML aliases: every problem at the alias, in our words', () => {
  it('an alias naming no anchor (was: no line:col, the library\'s sentence)', async () => {
    const text = `${HEAD}  - key: env\n    category: *nope\n    purpose: p\n    mandatory: true\n    costAllocation: false\n`;
    expect(await dictionaryProblems(text)).toEqual(['5:15 : alias *nope names no anchor: nothing before it is marked &nope']);
  });

  it('an alias before its anchor says where the anchor is', async () => {
    const text = `${HEAD}  - key: env\n    category: *w\n    purpose: &w p\n    mandatory: true\n    costAllocation: false\n`;
    expect(await dictionaryProblems(text)).toEqual(['5:15 : alias *w comes before its anchor &w (line 6); an anchor must be set before its aliases']);
  });

  it('every unresolved alias is listed', async () => {
    const text = `${HEAD}  - key: env\n    category: *a\n    purpose: *b\n    mandatory: true\n    costAllocation: false\n`;
    expect(await dictionaryProblems(text)).toEqual([
      '5:15 : alias *a names no anchor: nothing before it is marked &a',
      '6:14 : alias *b names no anchor: nothing before it is marked &b',
    ]);
  });

  it('billion laughs: refused at the alias that passes the limit, not in library words', async () => {
    const lines = ['version: 1', 'name: t', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const err = await parseDictionary(`${lines.join('\n')}\ntags:\n${ENTRY('env')}`.replace('purpose: p', 'purpose: *i'), 'laughs.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DictionaryError);
    // b repeats 9 × 10 nodes, c 9 × 91, d 9 × 820 (8289 in all): the first *d of line 7 passes 10000.
    expect((err as DictionaryError).lines()).toEqual([
      'laughs.yaml:7:8: too many alias expansions (more than 10000 YAML nodes repeated by the aliases up to this one); a dictionary repeats a few hundred at most',
    ]);
  });

  it('an alias inside the node its anchor names', async () => {
    const text = `${HEAD}  - &e\n    key: env\n    category: workload\n    purpose: p\n    mandatory: true\n    costAllocation: false\n    aliases: [*e]\n`;
    expect(await dictionaryProblems(text)).toEqual(['10:15 : alias *e is inside the node its anchor &e names, so it would repeat itself without end']);
  });

  it('shared blocks on many entries are fine (the library\'s limit of 100 alias uses refused 101 entries)', async () => {
    const base = 'x-base: &base\n  category: workload\n  purpose: p\n  mandatory: true\n  costAllocation: false\n';
    const entries = Array.from({ length: 150 }, (_, i) => `  - key: key${i}\n    <<: *base\n    mandatory: false\n`).join('');
    const err = await dictionaryProblems(`version: 1\nname: t\n${base}tags:\n${entries}`);
    // The template key is the only problem: the 150 merges were read.
    expect(err).toEqual(["3:1 : unknown property 'x-base'"]);
  });

  it('a duplicate entry made through an alias is reported at the alias (was: at the anchor, 5:10)', async () => {
    const text = `${HEAD}  - &e\n    key: env\n    category: workload\n    purpose: p\n    mandatory: true\n    costAllocation: false\n  - *e\n`;
    expect(await dictionaryProblems(text)).toEqual(["10:5 tags[1].key: 'env' is already the key of tags[0] (env)"]);
  });
});
