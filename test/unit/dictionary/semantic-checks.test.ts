import { describe, it, expect } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { dictionaryProblems } from './dictionary-problems.js';

/** A dictionary whose single tag entry is `entry` (YAML lines, indented under `- `). */
function withTag(entry: string, head = ''): string {
  const body = entry
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `version: 1\nname: t\n${head}tags:\n  - key: team\n    category: financial\n    purpose: Owning team\n    mandatory: true\n    costAllocation: true\n${body}\n`;
}

const problems = dictionaryProblems;

async function warnings(text: string): Promise<string[]> {
  const loaded = await parseDictionary(text, 'd.yaml');
  return loaded.warnings.map((p) => `${p.line}:${p.col} ${p.path ?? ''}: ${p.message}`);
}

describe('semantic checks', () => {
  it('an alias equal to its own key', async () => {
    expect(await problems(withTag('aliases: [Team, team]'))).toEqual(["9:21 tags[0].aliases[1]: 'team' is the key itself"]);
  });

  it('the same alias on two entries', async () => {
    const text = `${withTag('aliases: [Owner]')}  - key: lead\n    category: financial\n    purpose: p\n    mandatory: false\n    costAllocation: false\n    aliases: [Owner]\n`;
    expect(await problems(text)).toEqual(["15:15 tags[1].aliases[0]: 'Owner' is already an alias of tags[0] (team)"]);
  });

  it('two entries with the same key', async () => {
    const text = `${withTag('')}  - key: team\n    category: financial\n    purpose: p\n    mandatory: false\n    costAllocation: false\n`;
    expect(await problems(text)).toEqual(["10:10 tags[1].key: 'team' is already the key of tags[0] (team)"]);
  });

  it('account defaults and value-alias targets must satisfy the pattern', async () => {
    const text = withTag(`
      pattern: '^[a-z]+-team$'
      valueAliases: { ml: ml-team, Data: data_team }
      accountDefaults: { "111122223333": platform-team, "444455556666": Platform }
    `);
    expect(await problems(text)).toEqual([
      "10:40 tags[0].valueAliases.Data: 'data_team' does not match the key's pattern ^[a-z]+-team$",
      `11:71 tags[0].accountDefaults["444455556666"]: 'Platform' does not match the key's pattern ^[a-z]+-team$`,
    ]);
  });

  it('a value alias mapped to itself', async () => {
    expect(await problems(withTag('valueAliases: { x: x }'))).toEqual(["9:21 tags[0].valueAliases.x: 'x' is mapped to itself"]);
  });

  it('no blank value: not allowed, not written by the fixer, not an alias (a blank account default hid the default)', async () => {
    const blank = 'is blank; empty-tag-value reports empty and blank values, so the fixer never writes one';
    expect(await problems(withTag(`default: platform\naccountDefaults: { "111122223333": "" }`))).toEqual([
      `10:40 tags[0].accountDefaults["111122223333"]: '' ${blank}`,
    ]);
    expect(await problems(withTag(`values: [ml, "  "]\nvalueAliases: { "ML ": "  ", " ": ml }`))).toEqual([
      `9:18 tags[0].values[1]: '  ' ${blank}`,
      `10:28 tags[0].valueAliases["ML "]: '  ' ${blank}`,
      "10:34 tags[0].valueAliases[\" \"]: ' ' is blank; empty-tag-value reports a blank value and fills it from default, not through valueAliases",
    ]);
  });

  it('values and defaults may not start with aws:', async () => {
    expect(await problems(withTag("values: ['aws:thing', ok]\ndefault: ok"))).toEqual([
      "9:14 tags[0].values[0]: starts with 'aws:', which AWS reserves for its own tag values",
    ]);
  });

  it('pii allow patterns must compile', async () => {
    const text = withTag('', "pii:\n  allow:\n    patterns: ['^ok$', '(']\n");
    expect(await problems(text)).toEqual(['5:24 pii.allow.patterns[1]: invalid regular expression: Unterminated group']);
  });

  it('account ids must be 12 digits', async () => {
    expect(await problems(withTag('accountDefaults: { "1234": x }'))).toEqual([
      "9:24 tags[0].accountDefaults: key '1234' must be a 12-digit AWS account id",
    ]);
  });

  it('unknown pii detector, with a suggestion', async () => {
    expect(await problems(withTag('', 'pii:\n  detectors: [email, phones]\n'))).toEqual([
      expect.stringMatching(/^4:22 pii\.detectors\[1\]: must be one of email, phone, .*; got 'phones' \(did you mean 'phone'\?\)$/),
    ]);
  });

  it('a bad severity level for a rule', async () => {
    expect(await problems(withTag('', 'rules:\n  tag-limit: warn\n'))).toEqual([
      "4:14 rules.tag-limit: must be one of error, warning, note, off; got 'warn' (did you mean 'warning'?)",
    ]);
  });

  it('more keys mandatory everywhere than AWS allows tags on a resource', async () => {
    const entries = Array.from({ length: 51 }, (_, i) => `  - {key: k${i}, category: c, purpose: p, mandatory: true, costAllocation: false}`);
    expect(await problems(`version: 1\nname: t\ntags:\n${entries.join('\n')}\n`)).toEqual([
      '4:3 tags: 51 keys are mandatory on every resource, but AWS allows at most 50 user tags per resource',
    ]);
  });

  it('a required prefix AWS would refuse', async () => {
    expect(await problems(withTag('', 'conventions:\n  requiredPrefix: "aws:"\n'))).toEqual([
      "4:19 conventions.requiredPrefix: starts with 'aws:', which AWS reserves for its own tag keys",
      "6:10 tags[0].key: 'team' does not start with the required prefix 'aws:'",
    ]);
  });

  it('non-ASCII letters are valid AWS key characters; keyCase lower accepts them', async () => {
    const text = 'version: 1\nname: t\nconventions:\n  keyCase: lower\ntags:\n  - key: coût:centre-de-coût\n    category: financial\n    purpose: p\n    mandatory: true\n    costAllocation: true\n';
    expect(await problems(text)).toEqual([]);
  });

  it('an empty value points at its key', async () => {
    expect(await problems(withTag('values:'))).toEqual(['9:5 tags[0].values: must be a list, got nothing']);
  });

  it('a missing required property on the top level points at the document start', async () => {
    expect(await problems('version: 1\nname: x\n')).toEqual(["1:1 : missing required property 'tags'"]);
  });

  it('several missing properties become one problem', async () => {
    expect(await problems('version: 1\nname: x\ntags:\n  - key: a\n')).toEqual([
      "4:5 tags[0]: missing required properties 'category', 'purpose', 'mandatory', 'costAllocation'",
    ]);
  });
});

describe('semantic warnings (valid dictionary, probable mistake)', () => {
  it('an unanchored pattern', async () => {
    expect(await warnings(withTag("pattern: '[0-9]{4}'"))).toEqual([
      "9:14 tags[0].pattern: '[0-9]{4}' is not anchored; write ^...$ so it judges whole values (tagaudit adds nothing)",
    ]);
  });
});
