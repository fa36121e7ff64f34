import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dictionaryProblems } from './dictionary-problems.js';
import { patternLiteral, patternSpellings, SPELLING_LIMIT } from '../../../src/dictionary/pattern-literal.js';
import { runCli } from '../../support/cli.js';

// invalid-tag-value findings quote the key's pattern (table, JSON, SARIF): a pattern that spells out an address or
// a phone number is refused when the dictionary is loaded, as values holding one are.

/** One tag entry `team` with the given lines; `head` goes before `tags:`. */
function dictionary(entry: string, head = ''): string {
  const body = entry
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `version: 1\nname: t\n${head}tags:\n  - key: team\n    category: operations\n    purpose: Who owns it\n    mandatory: false\n    costAllocation: false\n${body}\n`;
}

const RAW = /pia\.pat|pia\[|paul\\?\.pattern|7946 ?0777|\\x40/;

async function problems(text: string): Promise<string[]> {
  const lines = await dictionaryProblems(text);
  expect(lines.join('\n')).not.toMatch(RAW);
  return lines;
}

const NOTE =
  'which must not be in the dictionary: invalid-tag-value findings quote the pattern (list it under pii.allow if it is not)';

describe('personal data in a tag pattern', () => {
  it('an address written plainly, pointed at where it starts', async () => {
    expect(await problems(dictionary("pattern: '^(team-[a-z]+|pia.pat@example.com)$'"))).toEqual([
      `9:29 tags[0].pattern: '^(team-[a-z]+|p***@e*****e.com)$' spells out what looks like personal data (e-mail address), ${NOTE}`,
    ]);
  });

  it('an address and a phone number written with regex escapes', async () => {
    const pattern = "pattern: '^(?!paul\\.pattern@example\\.com$|\\+44 20 7946 0777$)[a-z-]+$'";
    expect(await problems(dictionary(pattern))).toEqual([
      `9:19 tags[0].pattern: '^(?!p***@e*****e.com$|+44 ** **** *777$)[a-z-]+$' spells out what looks like personal data (e-mail address, phone number), ${NOTE}`,
    ]);
  });

  it('an address spelled with one-character classes and hex or Unicode escapes', async () => {
    const lines = await problems(dictionary("pattern: '^pia[.]pat\\x40example\\u002ecom$'"));
    expect(lines).toEqual([`9:16 tags[0].pattern: '^p***@e*****e.com$' spells out what looks like personal data (e-mail address), ${NOTE}`]);
  });

  it('other messages about the entry quote the pattern masked', async () => {
    const lines = await problems(dictionary("pattern: '^(ops|paul\\.pattern@example\\.com)$'\ndefault: dev"));
    expect(lines[1]).toBe("10:14 tags[0].default: 'dev' does not match the key's pattern ^(ops|p***@e*****e.com)$");
  });

  it('patterns that describe values without spelling out anyone are accepted', async () => {
    for (const pattern of [
      '^[a-z0-9._%+-]+@example\\.com$',
      '^\\w+@example\\.com$',
      '^.+@example\\.com$',
      '^team-[a-z]+$',
      '^\\+?[0-9 ()-]{7,20}$',
      '^CC-(1234|5678|9012)$',
      '^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:domain/d-[a-z0-9]+$',
    ]) {
      expect(await problems(dictionary(`pattern: '${pattern}'`)), pattern).toEqual([]);
    }
  });

  it('an address pii.allow accepts is not refused', async () => {
    const head = "pii:\n  allow:\n    patterns: ['^[a-z0-9-]+@lists\\.example\\.com$']\n";
    expect(await problems(dictionary("pattern: '^(team-[a-z]+|ops@lists\\.example\\.com)$'", head))).toEqual([]);
  });
});

describe('personal data spelled through a group with alternatives (acceptance s14 D11)', () => {
  /** The problems, none of which shows a name of the address: the given names, the family name, the domains. */
  async function refused(pattern: string): Promise<string[]> {
    const lines = await dictionaryProblems(dictionary(`pattern: '${pattern}'`));
    expect(lines.join("\n")).not.toMatch(/jane|john|\.doe|doe@|example|acme/);
    return lines;
  }

  it('an alternation in the domain or the mailbox still spells an address, and is refused', async () => {
    expect(await refused('^jane\\.doe@example\\.(com|org)$')).toEqual([
      `9:16 tags[0].pattern: '^j***.d***@e***.(c***|o***)$' spells out what looks like personal data (e-mail address), ${NOTE}`,
    ]);
    expect(await refused('^(?:jane\\.doe|john)@example\\.com$')).toEqual([
      `9:19 tags[0].pattern: '^(?:j***.d***|j***)@e***.c***$' spells out what looks like personal data (e-mail address), ${NOTE}`,
    ]);
    expect(await refused('^(?:x|jane\\.doe)@(?:example|acme)\\.com$')).toEqual([
      `9:19 tags[0].pattern: '^(?:*|j***.d***)@(?:e***|a***).c***$' spells out what looks like personal data (e-mail address), ${NOTE}`,
    ]);
  });

  it('the given names of a group are masked in the refusal, not only what follows them', async () => {
    expect(await refused('^(jane|john)\\.doe@example\\.com$')).toEqual([
      `9:17 tags[0].pattern: '^(j***|j***).d***@e***.c***$' spells out what looks like personal data (e-mail address), ${NOTE}`,
    ]);
  });

  it('a phone number finished by a group is refused too', async () => {
    const lines = await dictionaryProblems(dictionary("pattern: '^\\+44 20 7946 (0958|0959)$'"));
    expect(lines).toEqual([`9:16 tags[0].pattern: '^+** ** **** (****|****)$' spells out what looks like personal data (phone number), ${NOTE}`]);
  });

  it('ordinary patterns with groups are still accepted', async () => {
    for (const pattern of [
      '^[a-z0-9-]+@lists\\.anycompany\\.com$',
      '^[a-z]+@(example|acme)\\.com$',
      '^(dev|staging|prod)$',
      '^CC-[0-9]{4}$',
      '^(dev|staging|prod)-(us|eu)-(east|west)-[0-9]$',
      '^([A-Z][A-Za-z]*-)?[0-9]{4}$',
      '^(?:v[0-9]+|latest)(?:\\.[0-9]+)*$',
    ]) {
      expect(await dictionaryProblems(dictionary(`pattern: '${pattern}'`)), pattern).toEqual([]);
    }
  });
});

describe('the texts a pattern spells out, one per choice of alternatives', () => {
  const texts = (p: string): string[] => patternSpellings(p).spellings.map((s) => s.text);

  it('joins the chosen alternative to what is around it; lookarounds stay breaks', () => {
    expect(texts('^jane\\.doe@example\\.(com|org)$')).toEqual(['|jane.doe@example.com|', '|jane.doe@example.org|']);
    expect(texts('^(?:x|a(b|c))@d$')).toEqual(['|x@d|', '|ab@d|', '|ac@d|']);
    expect(texts('^(?!a|b)c$')).toEqual(['||a|b|c|']);
    expect(texts('^(dev|staging|prod)$')).toEqual(['|dev|', '|staging|', '|prod|']);
  });

  it('is bounded: groups past the bound stay breaks, as in patternLiteral', () => {
    const p = `^${'(a|b)'.repeat(8)}$`;
    const { spellings, expanded } = patternSpellings(p);
    expect(spellings).toHaveLength(SPELLING_LIMIT);
    expect(expanded).toHaveLength(Math.log2(SPELLING_LIMIT));
    expect(spellings[0]!.text).toBe(`|${'a'.repeat(Math.log2(SPELLING_LIMIT))}${'|a|b|'.repeat(8 - Math.log2(SPELLING_LIMIT))}|`);
    // A long pattern gets fewer spellings: the detectors read each one whole.
    expect(patternSpellings(`^(a|b)(c|d)${'x'.repeat(10_000)}$`).spellings).toHaveLength(1);
  });
});

describe('the text a pattern spells out', () => {
  it('un-escapes literal characters and breaks at what matches more than one', () => {
    expect(patternLiteral('^(?!paul\\.p@ex\\.com$|\\+44 ?20)[a-z]+\\d{2}.+a.b$').text).toBe('||paul.p@ex.com||+44 20||||a.b|');
    // A group with one alternative only joins its text to what is around it; one with alternatives is a break.
    expect(patternLiteral('[^.][@][\\.]\\u{40}\\x2E(?<n>x)\\k<n>').text).toBe('|@.@.x|');
    expect(patternLiteral('^jane(?:\\.)doe(a(?:b|c)d)?(?=e)f$').text).toBe('|jane.doea|b|c|d|e|f|');
  });
});

describe('tagaudit validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-pattern-pii-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the dictionary with one line per pattern, the data masked, exit 2', async () => {
    const file = join(dir, 'd9.yaml');
    writeFileSync(file, dictionary("pattern: '^(?!paul\\.pattern@example\\.com$)[a-z-]+$'"));
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout + r.stderr).toContain(`d9.yaml:9:19: tags[0].pattern: '^(?!p***@e*****e.com$)[a-z-]+$' spells out`);
  });
});
