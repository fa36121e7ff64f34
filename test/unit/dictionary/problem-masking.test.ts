import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { runCli } from '../../support/cli.js';

// Every problem message quoting a value from the dictionary masks the personal data in it, whatever the
// dictionary's own `pii:` settings say: an error message is output like any other.

/** A valid head and one tag entry, with `extra` lines appended inside the entry and `head` before `tags:`. */
function dictionary(entry: string, head = ''): string {
  const body = entry
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `version: 1\nname: t\n${head}tags:\n  - key: team\n    category: financial\n    purpose: Owning team\n    mandatory: true\n    costAllocation: true\n${body}\n`;
}

async function rejected(text: string): Promise<DictionaryError> {
  const err = await parseDictionary(text, 'd.yaml').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DictionaryError);
  return err as DictionaryError;
}

/** Every problem line, plus the one-line form (what `scan -d` prints) and the JSON form (`validate --format json`). */
function everything(err: DictionaryError): string {
  return [...err.lines(), err.toLine(), err.message, JSON.stringify(err.problems)].join('\n');
}

const cases: Array<[name: string, text: string, raw: string, masked: string]> = [
  ['version', 'version: "p4.leak@example.com"\nname: t\ntags: []\n', 'p4.leak@example.com', "version: must be 1, got 'p***@e*****e.com'"],
  ['unknown top-level property', dictionary('', 'p5.unknown@example.com: 1\n'), 'p5.unknown@example.com', "unknown property 'p***@e*****e.com'"],
  ['unknown tag property', dictionary('"p6.prop@example.com": 1'), 'p6.prop@example.com', "tags[0]: unknown property 'p***@e*****e.com'"],
  ['unknown rule id', dictionary('', 'rules:\n  p7.rule@example.com: error\n'), 'p7.rule@example.com', "rules: unknown rule id 'p***@e*****e.com'"],
  ['rule severity', dictionary('', 'rules:\n  tag-limit: p8.sev@example.com\n'), 'p8.sev@example.com', "got 'p***@e*****e.com'"],
  ['enum value', dictionary('', 'conventions:\n  keyCase: p9.case@example.com\n'), 'p9.case@example.com', "got 'p***@e*****e.com'"],
  ['tag severity', dictionary('severity: p10.sev@example.com'), 'p10.sev@example.com', "got 'p***@e*****e.com'"],
  [
    'account id',
    dictionary('accountDefaults: { "p11.acct@example.com": x }'),
    'p11.acct@example.com',
    "tags[0].accountDefaults: key 'p***@e*****e.com' must be a 12-digit AWS account id",
  ],
  ['alias listed twice', dictionary('aliases: [p12.dup@example.com, p12.dup@example.com]'), 'p12.dup@example.com', "'p***@e*****e.com' is listed twice"],
  [
    'alias already used',
    // With PII detection on, the alias is refused for holding personal data (key-pii.test.ts); off, other problems still mask it.
    `${dictionary('aliases: [p13.alias@example.com]', 'pii:\n  enabled: false\n')}  - {key: other, category: c, purpose: p, mandatory: false, costAllocation: false, aliases: [p13.alias@example.com]}\n`,
    'p13.alias@example.com',
    "tags[1].aliases[0]: 'p***@e*****e.com' is already an alias of tags[0] (team)",
  ],
  [
    'key case',
    dictionary('', 'conventions:\n  keyCase: kebab\npii:\n  enabled: false\n').replace('key: team', 'key: P14.Case@example.com'),
    'P14.Case@example.com',
    "'P***@e*****e.com' does not follow keyCase kebab",
  ],
  [
    'keys that differ only by case',
    `${dictionary('', 'pii:\n  enabled: false\n').replace('key: team', 'key: p23.case@example.com')}  - {key: P23.Case@example.com, category: c, purpose: p, mandatory: false, costAllocation: false}\n`,
    'p23.case@example.com',
    "tags[1].key: 'P***@e*****e.com' differs from 'p***@e*****e.com', the key of tags[0], only by case or separators",
  ],
  [
    'required prefix',
    dictionary('', 'conventions:\n  requiredPrefix: "p15.prefix@example.com:"\n'),
    'p15.prefix@example.com',
    "does not start with the required prefix 'p***@e*****e.com:'",
  ],
];

describe('dictionary problems mask personal data', () => {
  it.each(cases)('%s', async (_name, text, raw, masked) => {
    const all = everything(await rejected(text));
    expect(all).toContain(masked);
    expect(all.toLowerCase()).not.toContain(raw.toLowerCase());
  });

  it("defaults that the key does not allow, also when the dictionary turns PII detection off", async () => {
    const head = 'pii:\n  enabled: false\n';
    const values = everything(await rejected(dictionary('values: [dev, prod]\ndefault: jane.doe@example.com', head)));
    expect(values).toContain("tags[0].default: 'j***@e*****e.com' is not one of the key's values (dev, prod)");
    const pattern = everything(await rejected(dictionary("pattern: '^[a-z]+$'\ndefault: p20.leak@example.com", head)));
    expect(pattern).toContain("tags[0].default: 'p***@e*****e.com' does not match the key's pattern ^[a-z]+$");
    expect(`${values}\n${pattern}`).not.toMatch(/jane\.doe|p20\.leak/);
  });

  it('a value alias key in the path', async () => {
    const all = everything(await rejected(dictionary('values: [dev]\nvalueAliases: { "p21.from@example.com": nope }', 'pii:\n  enabled: false\n')));
    expect(all).toContain('tags[0].valueAliases["p***@e*****e.com"]: \'nope\' is not one of the key\'s values (dev)');
    expect(all).not.toContain('p21.from');
  });

  it('a long value is masked before it is shortened, so no part of it is left', async () => {
    const value = `${'x'.repeat(40)} p22.longname.person@example.com and more text after it`;
    const all = everything(await rejected(`version: "${value}"\nname: t\ntags: []\n`));
    expect(all).toContain("got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx p***@e*****e.com...'");
    expect(all).not.toContain('p22.long');
  });

  it('warnings too', async () => {
    const text = dictionary('values: [p23.case@example.com, P23.Case@example.com]', 'pii:\n  enabled: false\n');
    const { warnings } = await parseDictionary(text, 'd.yaml');
    const all = JSON.stringify(warnings);
    expect(all).toContain('P***@e*****e.com');
    expect(all.toLowerCase()).not.toContain('p23.case');
  });
});

describe('tagaudit validate and scan -d mask them too', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-mask-'));
    writeFileSync(join(dir, 'leak.yaml'), dictionary('values: [dev]\ndefault: jane.doe@example.com', 'p5.unknown@example.com: 1\npii:\n  enabled: false\n').replace('version: 1', 'version: "p4.leak@example.com"'));
    writeFileSync(join(dir, 'x.jsonl'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const leaked = /p4\.leak|p5\.unknown|jane\.doe/;

  it('text', async () => {
    const r = await runCli(['validate', 'leak.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      "leak.yaml:1:10: version: must be 1, got 'p***@e*****e.com'",
      "leak.yaml:3:1: unknown property 'p***@e*****e.com'",
      "leak.yaml:13:14: tags[0].default: 'j***@e*****e.com' is not one of the key's values (dev)",
      'tagaudit: 3 problems in leak.yaml',
      '',
    ]);
  });

  it('json', async () => {
    const r = await runCli(['validate', 'leak.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("must be 1, got 'p***@e*****e.com'");
    expect(r.stdout).not.toMatch(leaked);
  });

  it('scan -d', async () => {
    const r = await runCli(['scan', '-d', 'leak.yaml', '-i', 'x.jsonl'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("leak.yaml:1:10: version: must be 1, got 'p***@e*****e.com' (and 2 more problems");
    expect(r.stderr).not.toMatch(leaked);
  });
});

describe("validate's summary of a valid dictionary", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-mask-summary-'));
    const head = "pii:\n  allow:\n    patterns: ['^[a-z-]+@lists\\.example\\.com$']\n";
    writeFileSync(join(dir, 'named.yaml'), dictionary('default: ops-team@lists.example.com', head).replace('name: t', 'name: p31.name@example.com'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('masks what the dictionary quotes, except what its pii settings allow', async () => {
    for (const format of ['text', 'json']) {
      const r = await runCli(['validate', 'named.yaml', '--format', format], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('p***@e*****e.com');
      expect(r.stdout).not.toContain('p31.name');
      expect(r.stdout).toContain('ops-team@lists.example.com');
    }
  });
});
