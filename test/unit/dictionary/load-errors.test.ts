import { describe, it, expect } from 'vitest';
import { loadDictionary } from '../../../src/dictionary/load-dictionary.js';
import { show } from '../../../src/dictionary/pending-problem.js';
import { DictionaryError, type DictionaryProblem } from '../../../src/dictionary/dictionary-error.js';
import { UsageError } from '../../../src/errors.js';

const FIXTURES = 'test/fixtures/dictionaries';

async function problemsOf(name: string): Promise<readonly DictionaryProblem[]> {
  const file = `${FIXTURES}/${name}`;
  const err = await loadDictionary(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${name} should not load`).toBeInstanceOf(DictionaryError);
  const problems = (err as DictionaryError).problems;
  for (const p of problems) expect(p.file).toBe(file);
  return problems;
}

/** `line:col path: message` per problem, to compare whole lists at once. */
async function linesOf(name: string): Promise<string[]> {
  return (await problemsOf(name)).map((p) => `${p.line}:${p.col} ${p.path ?? ''}: ${p.message}`);
}

describe('dictionary load errors: file:line:col, path and what was expected', () => {
  it('YAML syntax error', async () => {
    expect(await linesOf('syntax-error.yaml')).toEqual([
      "6:14 : YAML syntax error: unclosed '[' (a list in brackets must end with ']'; if the '[' is part of the text, quote the value)",
    ]);
  });

  it('duplicate mapping key is a syntax error at the second occurrence', async () => {
    expect(await linesOf('duplicate-key.yaml')).toEqual(["8:5 : YAML syntax error: key 'category' appears twice in this mapping (first on line 5); keep one"]);
  });

  it('wrong types, in YAML words, at the value', async () => {
    expect(await linesOf('wrong-type.yaml')).toEqual([
      '12:16 tags[1].mandatory: must be true, false or a list, got a string (YAML 1.2 reads yes as text; write true or false)',
      '14:13 tags[1].values: must be a list, got a string',
    ]);
  });

  it('unknown property, at its key, with a suggestion', async () => {
    expect(await linesOf('unknown-property.yaml')).toEqual(["9:5 tags[0]: unknown property 'valuess' (did you mean 'values'?)"]);
  });

  it('invalid regular expression', async () => {
    expect(await linesOf('bad-regex.yaml')).toEqual(['9:14 tags[0].pattern: invalid regular expression: Unterminated group']);
  });

  it('alias colliding with another key', async () => {
    expect(await linesOf('alias-collision.yaml')).toEqual(["10:10 tags[1].key: 'team' is already an alias of tags[0] (owner)"]);
  });

  it('default that its own key does not allow', async () => {
    expect(await linesOf('default-not-allowed.yaml')).toEqual([
      "10:14 tags[0].default: 'prod' is not one of the key's values (development, production)",
    ]);
  });

  it('aws: keys in any casing', async () => {
    expect(await linesOf('aws-key.yaml')).toEqual(["4:10 tags[0].key: starts with 'aws:', which AWS reserves for its own tag keys"]);
  });

  it('key longer than 128 characters', async () => {
    expect(await linesOf('key-too-long.yaml')).toEqual(['4:10 tags[0].key: must be at most 128 characters, got 129']);
  });

  it('value longer than 256 characters', async () => {
    expect(await linesOf('value-too-long.yaml')).toEqual(['11:9 tags[0].values[1]: must be at most 256 characters, got 257']);
  });

  it('characters AWS does not accept, in keys and values', async () => {
    expect(await linesOf('bad-characters.yaml')).toEqual([
      "4:10 tags[0].key: contains '#', which not every AWS service accepts in tag keys (accepted everywhere: letters, digits, spaces and _ . : / = + - @)",
      "9:14 tags[0].values[0]: contains '&', which not every AWS service accepts in tag values (accepted everywhere: letters, digits, spaces and _ . : / = + - @)",
    ]);
  });

  it('unknown rule id under rules:', async () => {
    expect(await linesOf('unknown-rule-id.yaml')).toEqual(["5:3 rules: unknown rule id 'missing-tags' (did you mean 'missing-tag'?)"]);
  });

  it('both values and pattern', async () => {
    expect(await linesOf('values-and-pattern.yaml')).toEqual(["10:5 tags[0]: has both 'values' and 'pattern'; use one of them"]);
  });

  it('numbers where strings are expected, with the text to quote as written', async () => {
    expect(await linesOf('number-value.yaml')).toEqual([
      '9:14 tags[0].values[0]: must be a string, got the number 5045; quote it: "5045"',
      '9:28 tags[0].values[2]: must be a string, got the number 123; quote it: "0123"',
    ]);
  });

  it('a long unquoted number (a phone, social security or card number?) is shown by its last 3 digits only', async () => {
    const lines = await linesOf('number-pii.yaml');
    expect(lines).toEqual([
      '9:14 tags[0].values[0]: must be a string, got the number *******671; quote it: "*******671"',
      '10:14 tags[0].default: must be a string, got the number *****120; quote it: "******120"',
    ]);
    expect(lines.join('\n')).not.toMatch(/4155552671|78051120/);
    // Every message quoting a value goes through show(): an enum or const answer masks the number the same way.
    expect([show(4155552671), show(5045), show(-1234567.5)]).toEqual(['*******671', '5045', '-*****67.5']);
  });

  it('an unquoted account id that YAML turns into another number', async () => {
    expect(await linesOf('unquoted-account.yaml')).toEqual([
      '11:7 tags[0].accountDefaults: key 012345678901 reads as 12345678901 in YAML; quote it: "012345678901"',
    ]);
  });

  it('key case and required prefix', async () => {
    expect(await linesOf('key-case.yaml')).toEqual([
      "12:10 tags[1].key: 'acme:finance:CostCenter2' does not follow keyCase kebab: lowercase words joined by hyphens (cost-center), per ':'-separated segment",
      "17:10 tags[2].key: 'finance:owner' does not start with the required prefix 'acme:'",
    ]);
  });

  it('a document that is not a mapping', async () => {
    expect(await linesOf('not-a-mapping.yaml')).toEqual(['1:1 : must be a mapping, got a list']);
  });

  it('collects every schema and semantic problem, in source order', async () => {
    expect(await linesOf('many-problems.yaml')).toEqual([
      '1:10 version: must be 1, got 2',
      "4:12 conventions.keyCase: must be one of kebab, snake, camel, pascal, lower, any; got 'kebap' (did you mean 'kebab'?)",
      "10:30 tags[0].mandatory[1]: must be a resource type such as sagemaker:training-job, a service wildcard such as sagemaker:*, or *; got 'bad type'",
      '12:14 tags[0].pattern: invalid regular expression: Incomplete quantifier',
      "13:5 tags[1]: missing required property 'purpose'",
      "19:7 tags[1].valueAliases.production: 'production' is itself an allowed value; the alias would rewrite correct tags",
    ]);
  });

  it.each(['empty.yaml', 'comments-only.yaml'])('%s is an error without a position', async (name) => {
    expect(await problemsOf(name)).toEqual([{ file: `${FIXTURES}/${name}`, message: 'dictionary is empty' }]);
  });
});

describe('DictionaryError as a UsageError', () => {
  it('prints the first problem and how many more, as one line', async () => {
    const err = await loadDictionary(`${FIXTURES}/many-problems.yaml`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    const line = (err as UsageError).toLine();
    expect(line).toBe(
      `${FIXTURES}/many-problems.yaml:1:10: version: must be 1, got 2 (and 5 more problems; run 'tagaudit validate ${FIXTURES}/many-problems.yaml' to list them)`,
    );
    expect(line).not.toContain('\n');
  });

  it('lines() gives file:line:col: path: message for each problem', async () => {
    const err = (await loadDictionary(`${FIXTURES}/wrong-type.yaml`).catch((e: unknown) => e)) as DictionaryError;
    expect(err.lines()).toEqual([
      `${FIXTURES}/wrong-type.yaml:12:16: tags[1].mandatory: must be true, false or a list, got a string (YAML 1.2 reads yes as text; write true or false)`,
      `${FIXTURES}/wrong-type.yaml:14:13: tags[1].values: must be a list, got a string`,
    ]);
  });

  it('uses the display path, not the path read', async () => {
    const err = (await loadDictionary(`${FIXTURES}/bad-regex.yaml`, { displayPath: 'dicts/x.yaml' }).catch((e: unknown) => e)) as DictionaryError;
    expect(err.toLine()).toBe('dicts/x.yaml:9:14: tags[0].pattern: invalid regular expression: Unterminated group');
  });
});
