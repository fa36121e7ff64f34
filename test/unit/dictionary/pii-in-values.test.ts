import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dictionaryProblems } from './dictionary-problems.js';
import { runCli } from '../../support/cli.js';

// Values the fixer can write (default, accountDefaults, values, valueAliases on either side) must not be personal
// data: the dictionary is where a tag's value comes from, and AWS tags are readable by anyone with billing access.

/** One tag entry `contact` with the given lines; `head` goes before `tags:`. */
function dictionary(entry: string, head = ''): string {
  const body = entry
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `version: 1\nname: t\n${head}tags:\n  - key: contact\n    category: operations\n    purpose: Who to call\n    mandatory: false\n    costAllocation: false\n${body}\n`;
}

async function problems(text: string): Promise<string[]> {
  const lines = await dictionaryProblems(text);
  expect(lines.join('\n')).not.toMatch(/p20\.leak|jane\.doe|bob\.from|0132|0958/);
  return lines;
}

const NOTE = 'which must not go into tags (list it under pii.allow if it is not)';
const EMAIL = `personal data (e-mail address), ${NOTE}`;
const PHONE = `personal data (phone number), ${NOTE}`;

describe('personal data in values the fixer can write', () => {
  it('a default', async () => {
    expect(await problems(dictionary('default: p20.leak@example.com'))).toEqual([`9:14 tags[0].default: 'p***@e*****e.com' looks like ${EMAIL}`]);
  });

  it('digits in the code layout the key\'s own pattern declares are not read as a phone number or SSN', async () => {
    const withCode = (lines: string) => dictionary(lines).replace('key: contact', 'key: gl-code');
    expect(await problems(withCode(`pattern: '^\\d{3}-\\d{3}-\\d{4}$'\ndefault: '510-200-1000'`))).toEqual([]);
    expect(await problems(withCode(`pattern: '^\\d{3}-\\d{2}-\\d{4}$'\naccountDefaults: {'111122223333': '101-10-1000'}`))).toEqual([]);
    // A pattern that lets phone-style numbers or free text through declares no layout; nor does a phone key.
    expect(await problems(withCode(`pattern: '^\\+?[0-9 ()-]{7,20}$'\ndefault: '415-555-0132'`))).toHaveLength(1);
    expect(await problems(dictionary(`pattern: '^\\d{3}-\\d{3}-\\d{4}$'\ndefault: '415-555-0132'`))).toHaveLength(1);
  });

  it('a default that is also not one of the values: reported once, as personal data', async () => {
    expect(await problems(dictionary('values: [oncall]\ndefault: p20.leak@example.com'))).toEqual([
      `10:14 tags[0].default: 'p***@e*****e.com' looks like ${EMAIL}`,
    ]);
  });

  it('an account default', async () => {
    expect(await problems(dictionary('accountDefaults: { "123456789012": "+1 415 555 0132" }'))).toEqual([
      `9:40 tags[0].accountDefaults["123456789012"]: '+1 *** *** *132' looks like ${PHONE}`,
    ]);
  });

  it('allowed values', async () => {
    expect(await problems(dictionary('values: [oncall, jane.doe@example.com, "+44 20 7946 0958"]'))).toEqual([
      `9:22 tags[0].values[1]: 'j***@e*****e.com' looks like ${EMAIL}`,
      `9:44 tags[0].values[2]: '+44 ** **** *958' looks like ${PHONE}`,
    ]);
  });

  it('value aliases, either side, each at its own scalar', async () => {
    const text = dictionary('values: [oncall]\nvalueAliases: { "bob.from@example.com": oncall, on-call: jane.doe@example.com }');
    expect(await problems(text)).toEqual([
      `10:21 tags[0].valueAliases["b***@e*****e.com"]: 'b***@e*****e.com' looks like ${EMAIL}`,
      `10:62 tags[0].valueAliases.on-call: 'j***@e*****e.com' looks like ${EMAIL}`,
    ]);
  });

  it('a value-alias key that is personal data only under its tag key is masked in the path too', async () => {
    const text = dictionary('valueAliases: { "078051120": none }').replace('key: contact', 'key: ssn');
    const lines = await problems(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^9:21 tags\[0\]\.valueAliases\["\*\*\*-?\*\*-?1120"\]: /);
    expect(lines.join('\n')).not.toContain('078051120');
  });

  it('a person name, judged with the key it is a value of', async () => {
    const text = dictionary('default: Jane Doe').replace('key: contact', 'key: owner-name');
    expect(await problems(text)).toEqual([
      `9:14 tags[0].default: 'J*** D***' looks like personal data (person name), ${NOTE}`,
    ]);
  });
});

describe("the dictionary's own pii settings decide", () => {
  it('values its allow list or patterns allow are fine', async () => {
    const head = "pii:\n  allow:\n    values: [Jane.Doe@example.com]\n    patterns: ['^[a-z-]+@lists\\.example\\.com$']\n";
    expect(await problems(dictionary('default: jane.doe@example.com\nvalues: [jane.doe@example.com, ops-team@lists.example.com]', head))).toEqual([]);
  });

  it('detectors it turned off find nothing', async () => {
    expect(await problems(dictionary('default: p20.leak@example.com', 'pii:\n  detectors: [phone]\n'))).toEqual([]);
    expect(await problems(dictionary('default: "+1 415 555 0132"', 'pii:\n  detectors: [phone]\n'))).toHaveLength(1);
  });

  it('pii.enabled: false checks nothing', async () => {
    expect(await problems(dictionary('default: p20.leak@example.com\nvalues: [p20.leak@example.com, "+44 20 7946 0958"]', 'pii:\n  enabled: false\n'))).toEqual([]);
  });

  it('ordinary values are not personal data', async () => {
    const text = dictionary("values: [oncall, platform-team, Data Science, cc-1234, 2024-01-15, '10.0.0.0/8']\ndefault: oncall\nvalueAliases: { On-Call: oncall }");
    expect(await problems(text)).toEqual([]);
  });
});

describe('tagaudit validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-values-'));
    writeFileSync(join(dir, 'pii.yaml'), dictionary('default: p20.leak@example.com'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with file:line:col and the masked value', async () => {
    const r = await runCli(['validate', 'pii.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`pii.yaml:9:14: tags[0].default: 'p***@e*****e.com' looks like ${EMAIL}\ntagaudit: 1 problem in pii.yaml\n`);
  });
});
