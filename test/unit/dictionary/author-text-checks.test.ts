import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { formatSummary, formatWarning, summarizeDictionary } from '../../../src/dictionary/summary.js';
import { dictionaryProblems as problems } from './dictionary-problems.js';
import { runCli } from '../../support/cli.js';

// Mistakes a dictionary author makes that the loader refuses or warns about (acceptance s13).

/** A dictionary with one tag entry: `key` and the extra lines of the entry; `head` goes before `tags:`. */
function dictionary(key: string, extra = '', head = ''): string {
  const body = extra
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `version: 1\nname: t\n${head}tags:\n  - key: ${key}\n    category: c\n    purpose: p\n    mandatory: false\n    costAllocation: false\n${body}\n`;
}

async function warnings(text: string): Promise<string[]> {
  const loaded = await parseDictionary(text, 'd.yaml');
  return loaded.warnings.map((p) => `${p.line}:${p.col} ${p.path ?? ''}: ${p.message}`);
}

const PADDED =
  "'Environment ' starts or ends with white space; tagaudit matches tag keys ignoring case and separators, so it would rename correct 'Environment' tags to this spelling; write 'Environment'";
const BLANK_KEY = 'is blank; a tag key needs a character other than white space';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-author-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keys and aliases with white space', () => {
  it('a padded canonical key is refused whatever keyCase, as a padded value is', async () => {
    for (const head of ['', 'conventions: { keyCase: lower }\n', 'conventions: { keyCase: kebab }\n']) {
      expect(await problems(dictionary('"Environment "', '', head)), head).toEqual([
        `${head === '' ? 4 : 5}:10 tags[0].key: ${PADDED}`,
      ]);
    }
  });

  it('a blank key and a blank or padded alias are refused', async () => {
    expect(await problems(dictionary('"   "', 'aliases: [" ", " env"]'))).toEqual([
      `4:10 tags[0].key: '   ' ${BLANK_KEY}`,
      `9:15 tags[0].aliases[0]: ' ' ${BLANK_KEY}`,
      "9:20 tags[0].aliases[1]: ' env' starts or ends with white space; tagaudit matches tag keys ignoring case and separators, so it would rename correct 'env' tags to this spelling; write 'env'",
    ]);
  });

  it('a blank name, category, purpose or requiredPrefix is refused', async () => {
    const text = 'version: 1\nname: " "\nconventions: { requiredPrefix: " " }\ntags:\n  - key: k\n    category: "  "\n    purpose: "\t"\n    mandatory: false\n    costAllocation: false\n';
    expect(await problems(text)).toEqual([
      "2:7 name: ' ' is blank; write a short name for the dictionary (validate's summary shows it)",
      "3:32 conventions.requiredPrefix: ' ' is blank; write the text every canonical key starts with (e.g. 'anycompany:'), or leave requiredPrefix out",
      "6:15 tags[0].category: '  ' is blank; write what kind of tag this is (workload, financial, ...)",
      "7:14 tags[0].purpose: '\t' is blank; write why the tag exists",
    ]);
  });

  it('validate exits 2 on a padded key instead of letting fix rename correct tags', async () => {
    writeFileSync(join(dir, 'pad.yaml'), dictionary('"Environment "'));
    const r = await runCli(['validate', 'pad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pad.yaml:4:10: tags[0].key: ${PADDED}\ntagaudit: 1 problem in pad.yaml\n`);
  });
});

describe('pii.allow.patterns not anchored', () => {
  const head = "pii:\n  allow:\n    patterns: ['lists\\.acme\\.com', '^[a-z]+@lists\\.acme\\.com$']\n";
  const expected = "5:16 pii.allow.patterns[0]: 'lists\\.acme\\.com' is not anchored; write ^...$ so it judges whole values (tagaudit adds nothing)";

  it('is warned about as a tag pattern is, anchored ones are not', async () => {
    expect(await warnings(dictionary('k', '', head))).toEqual([expected]);
  });

  it('validate and scan print the warning', async () => {
    writeFileSync(join(dir, 'ap.yaml'), dictionary('k', '', head));
    writeFileSync(join(dir, 'ap.jsonl'), '{"arn":"arn:aws:lambda:us-east-1:111122223333:function:a","tags":{"k":"v"}}\n');
    const line = "ap.yaml:5:16: warning: pii.allow.patterns[0]: 'lists\\.acme\\.com' is not anchored;";
    const v = await runCli(['validate', 'ap.yaml'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stderr).toContain(line);
    const s = await runCli(['scan', '-d', 'ap.yaml', '-i', 'ap.jsonl', '--fail-on', 'none'], { cwd: dir });
    expect(s.stderr).toContain(line);
  });
});

describe("mandatory: ['*']", () => {
  const many = (mandatory: string, n: number): string => {
    let s = 'version: 1\nname: a\ntags:\n';
    for (let i = 0; i < n; i++) s += `  - key: k${i}\n    category: c\n    purpose: p\n    mandatory: ${mandatory}\n    costAllocation: false\n`;
    return s;
  };
  const LIMIT = '4:3 tags: 51 keys are mandatory on every resource, but AWS allows at most 50 user tags per resource';

  it('counts toward the 50-key limit as true does', async () => {
    expect(await problems(many('true', 51))).toEqual([LIMIT]);
    expect(await problems(many("['*']", 51))).toEqual([LIMIT]);
    expect(await problems(many("['s3:bucket', '*']", 51))).toEqual([LIMIT]);
  });

  it("is 'mandatory everywhere' in the summary, text and JSON", async () => {
    const text = `${many("['*']", 1)}  - key: b\n    category: c\n    purpose: p\n    mandatory: ['s3:bucket']\n    costAllocation: false\n`;
    const summary = summarizeDictionary((await parseDictionary(text, 'd.yaml')).policy);
    expect(summary.mandatory).toBe(1);
    expect(summary.mandatoryFor).toEqual({ b: ['s3:bucket'] });
    expect(formatSummary(summary)).toContain('keys             2: 1 mandatory everywhere, 1 mandatory on some resource types, 0 optional\n');
  });

  it('missing-tag says "missing mandatory tag", as for true', async () => {
    writeFileSync(join(dir, 'star.yaml'), many("['*']", 1));
    writeFileSync(join(dir, 'star.jsonl'), '{"arn":"arn:aws:lambda:us-east-1:111122223333:function:a","tags":{}}\n');
    const r = await runCli(['scan', '-d', 'star.yaml', '-i', 'star.jsonl', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    const messages = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; message: string }> }).findings.map((f) => f.message);
    expect(messages[0]).toMatch(/^missing mandatory tag k0\b/);
  });
});

describe('a null key in valueAliases', () => {
  const NULL = 'tags[0].valueAliases: key null reads as null in YAML; quote it: "null"';

  it('is refused at its own line, in block style', async () => {
    const text = `${dictionary('env', 'values: [production]')}    valueAliases:\n      prod: production\n      null: production\n`;
    expect(await problems(text)).toEqual([`12:7 ${NULL}`]);
  });

  it('and in flow style', async () => {
    expect(await problems(dictionary('env', 'values: [production]\nvalueAliases: { prod: production, null: production }'))).toEqual([`10:39 ${NULL}`]);
  });

  it('a quoted "null" is text, as written', async () => {
    expect(await problems(dictionary('env', 'values: [production]\nvalueAliases: { "null": production }'))).toEqual([]);
  });
});

describe('control characters in dictionary text', () => {
  const CONTROL = (cp: string, kind = 'a control character'): string =>
    `contains ${cp}, ${kind}, which would act on the terminal (recolor it, ring it, reorder text) wherever tagaudit quotes this text; remove it`;

  it('are refused in name, category and purpose, at the character when the source shows it', async () => {
    const text = 'version: 1\nname: "a\\e[31mRED\\x07"\ntags:\n  - key: k\n    category: c\x07x\n    purpose: "p\\u202e"\n    mandatory: false\n    costAllocation: false\n';
    expect(await problems(text)).toEqual([
      `2:7 name: ${CONTROL('U+001B')}`,
      `5:16 tags[0].category: ${CONTROL('U+0007')}`,
      `6:14 tags[0].purpose: ${CONTROL('U+202E', 'a bidirectional formatting character')}`,
    ]);
  });

  it('are refused in suppression reasons, value-alias keys and patterns (with the escape to write instead)', async () => {
    const text =
      dictionary('k', "values: [v]\nvalueAliases: { \"w\\x85\": v }", '') +
      'suppressions:\n  - rules: [missing-tag]\n    accounts: ["111122223333"]\n    reason: "vendor\\x9b owned"\n';
    expect(await problems(text)).toEqual([
      `10:21 tags[0].valueAliases["w\u0085"]: ${CONTROL('U+0085')}`,
      `14:13 suppressions[0].reason: ${CONTROL('U+009B')}`,
    ]);
    expect(await problems(dictionary('k', "pattern: '^a\u001bb$'"))).toEqual([
      `9:17 tags[0].pattern: ${CONTROL('U+001B').replace(/remove it$/, 'remove it, or write it as the escape \\u{1b}')}`,
    ]);
  });

  it('tabs and line breaks are allowed in prose: description, purpose, reason', async () => {
    const text = 'version: 1\nname: t\ndescription: |\n  line one\n  \tline two\ntags:\n  - key: k\n    category: c\n    purpose: |\n      why\n      and why\n    mandatory: false\n    costAllocation: false\n';
    expect(await problems(text)).toEqual([]);
  });

  it('a warning line (validate, scan and fix print them) shows control characters as escapes', () => {
    expect(formatWarning({ file: 'd.yaml', line: 1, col: 2, path: 'name', message: "'a\u001b[31m\u2028'" })).toBe("d.yaml:1:2: warning: name: 'a\\x1b[31m\\u2028'");
  });

  it('validate shows what the dictionary says with control characters made visible', async () => {
    // A key may hold U+2028 (AWS counts it among the spaces), and the summary and messages quote keys.
    writeFileSync(join(dir, 'ls.yaml'), dictionary('"a\u2028b"').replace('costAllocation: false', 'costAllocation: true'));
    const ok = await runCli(['validate', 'ls.yaml'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('cost allocation  1: a\\u2028b\n');
    expect(ok.stdout).not.toContain('\u2028');
    writeFileSync(join(dir, 'ls2.yaml'), dictionary('"a\u2028b"', '', 'conventions: { keyCase: kebab }\n'));
    const bad = await runCli(['validate', 'ls2.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("tags[0].key: 'a\\u2028b' does not follow keyCase kebab");
    expect(bad.stderr).not.toContain('\u2028');
  });
});

describe('a pattern spelling out an address, with a group inside the name', () => {
  it('is masked as the address itself would be: no readable first name', async () => {
    const lines = await problems(dictionary('k', "pattern: '^(ops|jane(?:\\.)doe@example\\.com)$'"));
    expect(lines).toEqual([
      "9:21 tags[0].pattern: '^(ops|j***@e*****e.com)$' spells out what looks like personal data (e-mail address), which must not be in the dictionary: invalid-tag-value findings quote the pattern (list it under pii.allow if it is not)",
    ]);
    expect(lines.join('\n')).not.toMatch(/jane|doe/);
  });
});

describe('docs agree with the behaviour', () => {
  const docs = readFileSync(new URL('../../../docs/dictionary.md', import.meta.url), 'utf8');
  const schema = readFileSync(new URL('../../../schema/dictionary.schema.json', import.meta.url), 'utf8');

  it('conflicting-tag-keys is reported whatever the values', () => {
    for (const text of [docs, schema]) expect(text).not.toMatch(/conflicting-tag-keys.*with different values/);
  });

  it('purpose and name are not claimed to be shown in findings or reports', () => {
    for (const text of [docs, schema]) expect(text).not.toMatch(/shown in (findings|summaries and reports|reports)/);
  });
});
