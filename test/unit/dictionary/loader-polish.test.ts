import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { awsTextProblem } from '../../../src/dictionary/aws-tag-rules.js';
import { locateDictionary } from '../../../src/dictionary/resolve-dictionary.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { UsageError } from '../../../src/errors.js';
import { resource } from '../fix/helpers.js';
import { runCli } from '../../support/cli.js';
import { dictionaryProblems } from './dictionary-problems.js';

// A valid dictionary of 8 lines (the tag entry ends on line 8), to append suppressions or documents to.
const BASE = 'version: 1\nname: t\ntags:\n  - key: team\n    category: financial\n    purpose: Owning team\n    mandatory: true\n    costAllocation: true\n';

const withSuppressions = (...lines: string[]): string => `${BASE}suppressions:\n${lines.join('\n')}\n`;

const schema = JSON.parse(readFileSync(new URL('../../../schema/dictionary.schema.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, { pattern?: string; anyOf?: unknown[] }>;
};

/** The published schema as an editor sees it (yaml-language-server compiles patterns with the u flag too). */
function editorValidator(): (data: unknown) => boolean {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv.compile(schema);
}

describe('suppressions may name aws: tag keys', () => {
  const awsKey = withSuppressions('  - rules: [pii-in-tag]', '    tags: ["aws:createdBy"]', '    reason: set by AWS from the session; cannot be changed');

  it('the loader accepts them, and the suppression takes the pii-in-tag finding on that key', async () => {
    const { policy } = await parseDictionary(awsKey, 'd.yaml');
    const role = resource('arn:aws:sagemaker:us-east-1:111122223333:training-job/job-1', { team: 'ml', 'aws:createdBy': 'AROAEXAMPLE:jane.doe@example.com' });
    const all = createAuditor({ ...policy, suppressions: [] }).audit(role);
    expect(all.filter((f) => f.ruleId === 'pii-in-tag').map((f) => f.tag?.key)).toEqual(['aws:createdBy']);
    expect(createAuditor(policy).audit(role).filter((f) => f.ruleId === 'pii-in-tag')).toEqual([]);
  });

  it('keys found on resources are not held to the characters the fixer may write (EC2 accepts more)', async () => {
    expect(await dictionaryProblems(withSuppressions('  - rules: [unknown-tag-key]', '    tags: ["Name#1", "AWS:cloudformation:stack-name"]', '    reason: x'))).toEqual([]);
  });

  it('still refuses an empty key and one longer than 128 characters', async () => {
    expect(await dictionaryProblems(withSuppressions('  - rules: [unknown-tag-key]', `    tags: ["", "aws:${'k'.repeat(125)}"]`, '    reason: x'))).toEqual([
      '11:12 suppressions[0].tags[0]: must not be empty',
      '11:16 suppressions[0].tags[1]: must be at most 128 characters, got 129',
    ]);
  });

  it('the editor schema agrees with the loader', () => {
    expect(editorValidator()(JSON.parse(JSON.stringify({ version: 1, name: 't', tags: [{ key: 'team', category: 'c', purpose: 'p', mandatory: true, costAllocation: true }], suppressions: [{ rules: ['pii-in-tag'], tags: ['aws:createdBy'], reason: 'x' }] })))).toBe(true);
  });
});

describe('a suppression needs at least one selector', () => {
  const bare = withSuppressions('  - rules: [missing-tag]', '    tags: [team]', '    reason: x', '  - rules: [missing-tag]', '    reason: everything, really');

  it('one message, from the schema, at the entry', async () => {
    expect(await dictionaryProblems(bare)).toEqual([
      '13:5 suppressions[1]: needs at least one of resources, resourceTypes, accounts, tags (a suppression must say what it covers; to turn a rule off everywhere, use rules: {<id>: off})',
    ]);
  });

  it('also alongside a missing reason, each said once', async () => {
    expect(await dictionaryProblems(withSuppressions('  - rules: [missing-tag]'))).toEqual([
      '10:5 suppressions[0]: needs at least one of resources, resourceTypes, accounts, tags (a suppression must say what it covers; to turn a rule off everywhere, use rules: {<id>: off})',
      "10:5 suppressions[0]: missing required property 'reason'",
    ]);
  });

  it('editors flag it: the published schema has the anyOf', () => {
    expect(schema.definitions.suppression!.anyOf).toEqual([{ required: ['resources'] }, { required: ['resourceTypes'] }, { required: ['accounts'] }, { required: ['tags'] }]);
    const validate = editorValidator();
    const dictionary = (s: Record<string, unknown>) => ({ version: 1, name: 't', tags: [{ key: 'team', category: 'c', purpose: 'p', mandatory: true, costAllocation: true }], suppressions: [{ rules: ['missing-tag'], reason: 'x', ...s }] });
    expect(validate(dictionary({}))).toBe(false);
    for (const selector of [{ resources: ['arn:aws:s3:::b'] }, { resourceTypes: ['s3:bucket'] }, { accounts: ['111122223333'] }, { tags: ['team'] }]) {
      expect(validate(dictionary(selector)), JSON.stringify(selector)).toBe(true);
    }
  });
});

describe('the editor schema states the tag-key rules the loader applies', () => {
  const keyPattern = new RegExp(schema.definitions.tagKey!.pattern!, 'u');
  const samples = ['team', 'anycompany:finance:cost-center', 'Cost Center', 'été/équipe', 'a_b.c=d+e-f@g', 'aws', 'awsx:y', 'aws:x', 'AWS:x', 'aWs:x', 'a#b', 'a&b', 'tab\there', 'emoji🙂', 'x,y', ''];

  it('the pattern accepts exactly what awsTextProblem accepts', () => {
    for (const key of samples) expect(keyPattern.test(key), key).toBe(awsTextProblem(key, 'key') === undefined);
  });

  it('a key or alias the pattern refuses gets one line naming the problem, not the regex', async () => {
    const tag = (extra: string) => `${BASE.replace('key: team', 'key: "aws:team"')}${extra}`;
    expect(await dictionaryProblems(tag("    aliases: ['a#b', 'AWS:x']\n"))).toEqual([
      "4:10 tags[0].key: starts with 'aws:', which AWS reserves for its own tag keys",
      "9:15 tags[0].aliases[0]: contains '#', which not every AWS service accepts in tag keys (accepted everywhere: letters, digits, spaces and _ . : / = + - @)",
      "9:22 tags[0].aliases[1]: starts with 'aws:', which AWS reserves for its own tag keys",
    ]);
  });

  it('a key AWS refuses is not also judged by keyCase', async () => {
    expect(await dictionaryProblems(BASE.replace('key: team', 'key: "Team#1"').replace('tags:', 'conventions:\n  keyCase: kebab\ntags:'))).toEqual([
      "6:10 tags[0].key: contains '#', which not every AWS service accepts in tag keys (accepted everywhere: letters, digits, spaces and _ . : / = + - @)",
    ]);
  });
});

describe('account ids typed as numbers', () => {
  it('are shown in full where an account id is expected, so the suggestion can be copied', async () => {
    expect(await dictionaryProblems(withSuppressions('  - rules: [missing-tag]', '    accounts: [111122223333, 012345678901]', '    reason: x'))).toEqual([
      '11:16 suppressions[0].accounts[0]: must be a string, got the number 111122223333; quote it: "111122223333"',
      '11:30 suppressions[0].accounts[1]: must be a string, got the number 12345678901; quote it: "012345678901"',
    ]);
  });

  it('a number that is not 12 digits is still masked there, and every long number elsewhere', async () => {
    const lines = await dictionaryProblems(
      withSuppressions('  - rules: [missing-tag]', '    accounts: [4155550100]', '    reason: x').replace('    costAllocation: true\n', '    costAllocation: true\n    default: 111122223333\n'),
    );
    expect(lines).toEqual([
      '9:14 tags[0].default: must be a string, got the number *********333; quote it: "*********333"',
      '12:16 suppressions[0].accounts[0]: must be a string, got the number *******100; quote it: "*******100"',
    ]);
  });

  it('an unquoted accountDefaults id is quoted back in full', async () => {
    const text = BASE.replace('    costAllocation: true\n', '    costAllocation: true\n    accountDefaults:\n      012345678901: x\n');
    expect(await dictionaryProblems(text)).toEqual(['10:7 tags[0].accountDefaults: key 012345678901 reads as 12345678901 in YAML; quote it: "012345678901"']);
  });
});

describe('a file ending with empty YAML documents', () => {
  it.each([
    ['a trailing ---', `${BASE}---\n`],
    ['a trailing --- with comments', `${BASE}--- # end\n# generated\n\n`],
    ['a trailing --- and ...', `${BASE}...\n---\n...\n`],
    ['several', `${BASE}---\n---\r\n   \n`],
  ])('is accepted: %s', async (_name, text) => {
    expect(await dictionaryProblems(text)).toEqual([]);
  });

  it('a later document with content is still refused, at its start', async () => {
    const message = 'a dictionary is one YAML document; this file holds more than one';
    expect(await dictionaryProblems(`${BASE}---\n# nothing here\n---\nname: other\n`)).toEqual([`11:1 : ${message}`]);
    expect(await dictionaryProblems(`${BASE}---\n~\n`)).toEqual([`9:1 : ${message}`]);
    expect(await dictionaryProblems(`${BASE}--- other\n`)).toEqual([`9:1 : ${message}`]);
    expect(await dictionaryProblems(`${BASE}---\n...\nname: other\n`)).toEqual([`11:1 : ${message}`]);
  });
});

describe('YAML 1.1 timestamps', () => {
  const expiring = (head: string, expires: string) => `${head}${withSuppressions('  - rules: [missing-tag]', '    tags: [team]', '    reason: x', `    expires: ${expires}`)}`;

  it('under %YAML 1.1, an unquoted day is called a date, with the quoted day to write', async () => {
    expect(await dictionaryProblems(expiring('%YAML 1.1\n---\n', '2024-01-31'))).toEqual([
      '15:14 suppressions[0].expires: must be a string, got a date (YAML read it as a timestamp); quote it: "2024-01-31"',
    ]);
  });

  it('an explicit !!timestamp is refused at the tag (quoting the day would not undo it)', async () => {
    expect(await dictionaryProblems(expiring('', '!!timestamp 2024-01-31'))).toEqual([
      '13:14 : YAML tag !!timestamp is not supported in a dictionary (a date); write the day in quotes ("YYYY-MM-DD"), without the tag',
    ]);
  });

  it('under %YAML 1.1 the suggestion is what was written, not a shifted day', async () => {
    expect(await dictionaryProblems(expiring('%YAML 1.1\n---\n', '2024-01-31 23:00:00 -05:00'))).toEqual([
      '15:14 suppressions[0].expires: must be a string, got a date (YAML read it as a timestamp); quote it: "2024-01-31 23:00:00 -05:00"',
    ]);
  });

  it('a date where a tag value is expected is masked like a long number (it may be a date of birth)', async () => {
    const text = `%YAML 1.1\n---\n${BASE.replace('    costAllocation: true\n', '    costAllocation: true\n    default: 1980-05-17\n')}`;
    expect(await dictionaryProblems(text)).toEqual(['11:14 tags[0].default: must be a string, got a date (YAML read it as a timestamp); quote it: "****-*5-17"']);
  });
});

describe('--dictionary - for scan and fix', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-dict-stdin-'));
    writeFileSync(join(dir, 'x.jsonl'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expected = "tagaudit: --dictionary -: standard input is not supported for the dictionary of scan and fix (validate - reads it); give a file name, or ./- for a file named '-'\n";

  it('is a usage error, not "dictionary not found"', () => {
    expect(() => locateDictionary('-', dir)).toThrow(UsageError);
  });

  it.each([
    ['scan', ['scan', '-d', '-', '-i', 'x.jsonl']],
    ['fix', ['fix', '--dictionary', '-', '-i', 'x.jsonl']],
  ])('%s: one line, exit 2', async (_name, argv) => {
    const r = await runCli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(expected);
  });

  it('a file named - is reachable as ./-', () => {
    expect(locateDictionary('./-', dir).file).toBe(join(dir, '-'));
  });
});
