import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { dictionaryProblems } from './dictionary-problems.js';

/** The DictionaryError parseDictionary throws for `text` (named m.yaml). */
async function errorOf(text: string): Promise<DictionaryError> {
  const err = await parseDictionary(text, 'm.yaml').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DictionaryError);
  return err as DictionaryError;
}

const HEAD = 'version: 1\nname: t\ntags:\n';
const TEAM = '  - key: team\n    category: financial\n    purpose: Owning team\n    mandatory: true\n    costAllocation: true\n';

describe('a misspelt required property leads with the typo, not with "missing"', () => {
  // Line 9 is the entry's `- key:`, line 12 the misspelt key.
  const misspelt = `${HEAD}${TEAM}  - key: cost-center\n    category: financial\n    purpose: Cost center\n    mandatroy: [sagemaker:*]\n    costAllocation: true\n`;

  it('reports the unknown property, says the property it stands for is required, and drops the redundant missing one', async () => {
    expect(await dictionaryProblems(misspelt)).toEqual(["12:5 tags[1]: unknown property 'mandatroy' (did you mean 'mandatory'? it is required)"]);
  });

  it('is the one line scan and fix print', async () => {
    expect((await errorOf(misspelt)).toLine()).toBe("m.yaml:12:5: tags[1]: unknown property 'mandatroy' (did you mean 'mandatory'? it is required)");
  });

  it('keeps the other properties that are really missing', async () => {
    const text = `${HEAD}${TEAM}  - key: cost-center\n    category: financial\n    mandatroy: true\n`;
    expect(await dictionaryProblems(text)).toEqual([
      "9:5 tags[1]: missing required properties 'purpose', 'costAllocation'",
      "11:5 tags[1]: unknown property 'mandatroy' (did you mean 'mandatory'? it is required)",
    ]);
  });

  it('works for any object with required properties: a suppression without its reason', async () => {
    const text = `${HEAD}${TEAM}suppressions:\n  - rules: [missing-tag]\n    tags: [team]\n    reasn: vendor managed\n`;
    expect(await dictionaryProblems(text)).toEqual(["12:5 suppressions[0]: unknown property 'reasn' (did you mean 'reason'? it is required)"]);
  });

  it('leaves an unknown property whose suggestion is present, or optional, as it was', async () => {
    const optional = `${HEAD}${TEAM.replace('    costAllocation: true\n', '    costAllocation: true\n    valuess: [a]\n')}`;
    expect(await dictionaryProblems(optional)).toEqual(["9:5 tags[0]: unknown property 'valuess' (did you mean 'values'?)"]);
    const present = `${HEAD}${TEAM.replace('    mandatory: true\n', '    mandatory: true\n    mandatroy: true\n')}`;
    expect(await dictionaryProblems(present)).toEqual(["8:5 tags[0]: unknown property 'mandatroy' (did you mean 'mandatory'?)"]);
  });

  it('leaves a missing property alone when the unknown one is not a typo of it', async () => {
    const text = `${HEAD}  - key: team\n    category: financial\n    purpose: p\n    costAllocation: true\n    bogus: 1\n`;
    expect(await dictionaryProblems(text)).toEqual([
      "4:5 tags[0]: missing required property 'mandatory'",
      "8:5 tags[0]: unknown property 'bogus'",
    ]);
  });
});

describe('a YAML syntax error is reported once, at its cause', () => {
  it('an unclosed [ in a value: where it opened, the consequences counted (m1 of the acceptance run)', async () => {
    const text = `${HEAD}  - key: project\n    category: business\n    purpose: [Which ML project\n    mandatory: true\n    costAllocation: true\n    pattern: '^[a-z][a-z0-9-]{1,40}$'\n  - key: environment\n`;
    const err = await errorOf(text);
    expect(err.lines()).toEqual([
      "m.yaml:6:14: YAML syntax error: unclosed '[' (a list in brackets must end with ']'; if the '[' is part of the text, quote the value) (and 4 more YAML errors after it)",
    ]);
    expect(err.toLine()).toBe(err.lines()[0]);
  });

  it('an unclosed { points at the brace', async () => {
    const text = `${HEAD}  - key: project\n    category: business\n    valueAliases: {prod: production\n    purpose: p\n`;
    const [line, ...rest] = await dictionaryProblems(text);
    expect(rest).toEqual([]);
    expect(line).toMatch(/^6:19 : YAML syntax error: unclosed '\{' \(a mapping in braces must end with '\}'; if the '\{' is part of the text, quote the value\)/);
  });

  it('an unclosed [ holding a closed one points at the outer [', async () => {
    expect(await dictionaryProblems(`${HEAD}  - key: a\n    aliases: [[b]\n    purpose: p\n`)).toEqual([
      "5:14 : YAML syntax error: unclosed '[' (a list in brackets must end with ']'; if the '[' is part of the text, quote the value)",
    ]);
  });

  it('an unclosed [ at the top of the document', async () => {
    const [line] = await dictionaryProblems('[version, 1\n');
    expect(line).toMatch(/^1:1 : YAML syntax error: unclosed '\['/);
  });

  it('two nested unclosed [ cannot be told apart: the parser position and words are kept', async () => {
    expect(await dictionaryProblems(`${HEAD}  - key: a\n    aliases: [b, [c, d\n  - key: e\n`)).toEqual([
      '6:3 : YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ] (and 1 more YAML error after it)',
    ]);
  });

  it('other syntax errors: the first one, and a count', async () => {
    const text = `${HEAD}  - key: a\n    key: b\n    purpose: p\n    purpose: q\n`;
    expect(await dictionaryProblems(text)).toEqual(["5:5 : YAML syntax error: key 'key' appears twice in this mapping (first on line 4); keep one (and 1 more YAML error after it)"]);
  });

  it('a file ending with an empty document is still not a syntax error', async () => {
    expect(await dictionaryProblems(`${HEAD}${TEAM}---\n`)).toEqual([]);
  });
});

describe('docs/dictionary.md shows these messages as they are', () => {
  const doc = readFileSync(new URL('../../../docs/dictionary.md', import.meta.url), 'utf8');
  it('lists the misspelt required property and the unclosed bracket', () => {
    expect(doc).toContain("`tags[3]: unknown property 'mandatroy' (did you mean 'mandatory'? it is required)`");
    expect(doc).toContain(
      "`YAML syntax error: unclosed '[' (a list in brackets must end with ']'; if the '[' is part of the text, quote the value) (and 4 more YAML errors after it)`",
    );
  });
});
