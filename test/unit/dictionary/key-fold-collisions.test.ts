import { describe, it, expect } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { policyIndex } from '../../../src/rules/policy-index.js';
import { dictionaryProblems } from './dictionary-problems.js';

// Two entries whose names differ only by case or separators are refused: AWS tells `env` and `Env` apart, but the
// rules engine matches tag keys ignoring both, so such a dictionary leaves spellings ambiguous (never renamed) or lets
// an alias take another key's spelling.

const entry = (key: string, extra = ''): string =>
  `  - key: ${key}\n    category: workload\n    purpose: p\n    mandatory: true\n    costAllocation: false\n${extra}`;
const dictionary = (...entries: string[]): string => `version: 1\nname: t\ntags:\n${entries.join('')}`;
const WHY = 'only by case or separators; tagaudit matches tag keys ignoring both, so';

describe('names of two entries that fold alike are an error, saying why', () => {
  it('two keys differing only by case (acceptance dupentry.yaml: passed validate)', async () => {
    expect(await dictionaryProblems(dictionary(entry('env'), entry('Env')))).toEqual([
      `9:10 tags[1].key: 'Env' differs from 'env', the key of tags[0], ${WHY} they would be two separate tags for one meaning, and a tag spelled any other way would be ambiguous and renamed to neither; keep one key and list the other spelling in its aliases`,
    ]);
  });

  it('two keys differing only by separators', async () => {
    expect(await dictionaryProblems(dictionary(entry('cost-center'), entry('cost_center')))).toHaveLength(1);
  });

  it("an alias equal to another entry's key once folded (acceptance aliascoll.yaml: ENV on team beside env)", async () => {
    expect(await dictionaryProblems(dictionary(entry('env'), entry('team', '    aliases: [ENV]\n')))).toEqual([
      `14:15 tags[1].aliases[0]: 'ENV' differs from 'env', the key of tags[0], ${WHY} a tag spelled 'ENV' would be renamed to 'team', not 'env', and other spellings of 'env' would be ambiguous and never renamed; move the alias to tags[0] or remove it`,
    ]);
  });

  it("a key equal to an earlier entry's alias once folded", async () => {
    expect(await dictionaryProblems(dictionary(entry('owner', '    aliases: [Team]\n'), entry('team')))).toEqual([
      `10:10 tags[1].key: 'team' differs from 'Team', an alias of tags[0] (owner), ${WHY} a tag spelled 'Team' would be renamed to 'owner', not 'team', and other spellings of 'team' would be ambiguous and never renamed; move the alias to tags[1] or remove it`,
    ]);
  });

  it('two aliases of different entries', async () => {
    expect(await dictionaryProblems(dictionary(entry('team', '    aliases: [Owner]\n'), entry('owner_name', '    aliases: [OWNER, OwnerName]\n')))).toEqual([
      `15:15 tags[1].aliases[0]: 'OWNER' differs from 'Owner', an alias of tags[0] (team), ${WHY} a tag spelled any other way would be ambiguous between 'team' and 'owner_name' and renamed to neither; keep these spellings on one entry`,
    ]);
  });

  it('spellings of one entry may fold alike', async () => {
    expect(await dictionaryProblems(dictionary(entry('env', '    aliases: [Env, ENV, e-n-v]\n'), entry('team')))).toEqual([]);
  });
});

describe('why: what the rules engine makes of such a dictionary', () => {
  const policy = (tags: Array<{ key: string; aliases?: string[] }>) =>
    policyIndex(compilePolicy({ pii: DEFAULT_PII_POLICY, tags: tags.map((t) => ({ ...t, mandatory: true })) }));

  it('with env and Env, ENV maps to neither; with env alone it is a miscasing of env', () => {
    expect(policy([{ key: 'env' }, { key: 'Env' }]).classify('ENV').kind).toBe('ambiguous');
    expect(policy([{ key: 'env' }]).classify('ENV')).toMatchObject({ kind: 'miscased', entry: { key: 'env' } });
  });

  it("with the alias ENV on team, an ENV tag goes to team and Env to neither", () => {
    const index = policy([{ key: 'env' }, { key: 'team', aliases: ['ENV'] }]);
    expect(index.classify('ENV')).toMatchObject({ kind: 'alias', entry: { key: 'team' } });
    expect(index.classify('Env').kind).toBe('ambiguous');
  });
});
