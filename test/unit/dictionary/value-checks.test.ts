import { describe, it, expect } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { isAnchored, unanchoredProblem } from '../../../src/dictionary/regex-anchoring.js';
import { compileDictionaryRegex } from '../../../src/dictionary/dictionary-regex.js';
import { dictionaryProblems as problems } from './dictionary-problems.js';

/** A dictionary whose single entry, `env`, has the YAML lines of `entry` (its line 9 is the first of them). */
function withEnv(entry: string): string {
  const body = entry
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `version: 1\nname: t\ntags:\n  - key: env\n    category: workload\n    purpose: Environment\n    mandatory: false\n    costAllocation: false\n${body}\n`;
}

async function warnings(text: string): Promise<string[]> {
  const loaded = await parseDictionary(text, 'd.yaml');
  return loaded.warnings.map((p) => `${p.line}:${p.col} ${p.path ?? ''}: ${p.message}`);
}

const PADDED = "tagaudit compares tag values with white space trimmed and folded, so it would rewrite correct 'production' tags to this spelling; write 'production'";

describe('values the scan folds: white space', () => {
  it('refuses an allowed value with leading or trailing white space, at the value', async () => {
    expect(await problems(withEnv('values: [" production", development]'))).toEqual([`9:14 tags[0].values[0]: ' production' starts or ends with white space; ${PADDED}`]);
    expect(await problems(withEnv('values: [development, "production\\t"]'))).toEqual([
      // A tab is not a character AWS accepts: that problem comes first.
      "9:27 tags[0].values[1]: contains U+0009, which not every AWS service accepts in tag values (accepted everywhere: letters, digits, spaces and _ . : / = + - @)",
    ]);
    // A no-break space is a \p{Z} AWS accepts, and trim() removes it.
    expect(await problems(withEnv('values: ["production\\u00a0"]'))).toEqual([`9:14 tags[0].values[0]: 'production\u00a0' starts or ends with white space; ${PADDED}`]);
  });

  it('refuses white space inside a value that folding turns into one plain space', async () => {
    const consequence = "tagaudit compares tag values with white space trimmed and folded, so it would rewrite correct 'cost center' tags to this spelling; write 'cost center'";
    expect(await problems(withEnv('values: ["cost  center"]'))).toEqual([`9:14 tags[0].values[0]: 'cost  center' contains several spaces in a row; ${consequence}`]);
    expect(await problems(withEnv('values: ["cost\\u00a0center"]'))).toEqual([
      `9:14 tags[0].values[0]: 'cost\u00a0center' contains U+00A0, a white space other than a plain space; ${consequence}`,
    ]);
    expect(await problems(withEnv('values: ["cost center"]'))).toEqual([]);
  });

  it('refuses a padded default, account default or value-alias target, even where the pattern accepts it', async () => {
    const text = withEnv(`
      pattern: '^[a-z ]+$'
      default: " production"
      accountDefaults: { "111122223333": "production " }
      valueAliases: { PROD: "production  " }
    `);
    expect(await problems(text)).toEqual([
      `10:14 tags[0].default: ' production' starts or ends with white space; ${PADDED}`,
      `11:40 tags[0].accountDefaults["111122223333"]: 'production ' starts or ends with white space; ${PADDED}`,
      `12:27 tags[0].valueAliases.PROD: 'production  ' starts or ends with white space; ${PADDED}`,
    ]);
  });

  it('only warns about a padded alias source: it is looked up folded, so the spaces change nothing', async () => {
    const text = withEnv('values: [production]\nvalueAliases: { " prod": production, "pre  prod": production }');
    expect(await problems(text)).toEqual([]);
    expect(await warnings(text)).toEqual([
      "10:21 tags[0].valueAliases[\" prod\"]: ' prod' has white space that tagaudit trims and folds before it looks a value up, so 'prod' is enough",
      "10:42 tags[0].valueAliases[\"pre  prod\"]: 'pre  prod' has white space that tagaudit trims and folds before it looks a value up, so 'pre prod' is enough",
    ]);
  });
});

describe('values the scan folds: case', () => {
  it('refuses an alias that is an allowed value in another case but maps elsewhere (Development → production)', async () => {
    const text = withEnv('values: [production, development]\nvalueAliases: { Development: production, dev: development }');
    expect(await problems(text)).toEqual([
      "10:21 tags[0].valueAliases.Development: 'Development' is the allowed value 'development' in another case or spacing, but is mapped to 'production': other spellings of 'development' are corrected to it, and this one would become 'production'; remove the alias",
    ]);
    // The reviewer's second key: GOLD → silver beside gold.
    expect(await problems(withEnv('values: [gold, silver]\nvalueAliases: { GOLD: silver }'))).toEqual([
      "10:21 tags[0].valueAliases.GOLD: 'GOLD' is the allowed value 'gold' in another case or spacing, but is mapped to 'silver': other spellings of 'gold' are corrected to it, and this one would become 'silver'; remove the alias",
    ]);
    // Spacing folds too: ' Development ' is development to the scan.
    expect(await problems(withEnv('values: [production, development]\nvalueAliases: { " Development ": production }'))).toHaveLength(1);
  });

  it('warns about an alias that only repeats the case correction', async () => {
    const text = withEnv('values: [production]\nvalueAliases: { PRODUCTION: production }');
    expect(await problems(text)).toEqual([]);
    expect(await warnings(text)).toEqual([
      "10:21 tags[0].valueAliases.PRODUCTION: 'PRODUCTION' differs from 'production' only by case or spacing, which tagaudit corrects without an alias; the alias can go",
    ]);
  });

  it('refuses two aliases that fold alike but map to different values; accepts them mapping to one', async () => {
    const text = withEnv('values: [development, devops]\nvalueAliases: { Dev: development, DEV: devops }');
    expect(await problems(text)).toEqual([
      "10:39 tags[0].valueAliases.DEV: 'DEV' and the alias 'Dev' differ only by case or spacing but map to 'devops' and 'development': the capitals of a tag would decide what it becomes, and other spellings are never corrected; map both to one value",
    ]);
    // The same on a pattern key, where the aliases are all there is to fold.
    expect(await problems(withEnv("pattern: '^[a-z]+$'\nvalueAliases: { Prd: production, PRD: staging }"))).toHaveLength(1);
    const consistent = withEnv('values: [development]\nvalueAliases: { Dev: development, DEV: development }');
    expect(await problems(consistent)).toEqual([]);
    expect(await warnings(consistent)).toEqual([]);
  });

  it('warns about two allowed values that fold alike (a tag spelled like neither is never corrected)', async () => {
    expect(await warnings(withEnv('values: [Dev, dev, prod]'))).toEqual([
      "9:19 tags[0].values[1]: 'dev' differs from the allowed value 'Dev' only by case or spacing; a tag that differs from both the same way is reported but never corrected, since either could be meant",
    ]);
  });

  it("leaves a dictionary's ordinary aliases alone", async () => {
    const text = withEnv('values: [production, development]\nvalueAliases: { prod: production, Prod: production, dev: development }\ndefault: production');
    expect(await problems(text)).toEqual([]);
    expect(await warnings(text)).toEqual([]);
  });
});

describe('anchored patterns', () => {
  it.each([
    '^prod$',
    '^(?:prod|dev)$',
    '^(prod|dev)$',
    '^prod$|^dev$',
    '(?:^prod$|^dev$)',
    '(?:^prod|^dev)$',
    '^a(?:$|-b$)',
    '^\\p{L}+$',
    '^a\\\\$', // a backslash, then the end: the old textual test took the $ for escaped
    '^(?=[a-z])[a-z0-9]+$',
    '^[a-z]+$(?!x)',
  ])('%s is anchored', (source) => {
    compileDictionaryRegex(source);
    expect(isAnchored(source)).toBe(true);
    expect(unanchoredProblem(source)).toBeUndefined();
  });

  it.each(['^prod|dev$', '^prod$|dev', 'prod|^dev$', '^(prod|dev$)', '^(?:prod$|dev)', '^a\\$', '[0-9]{4}', '^a$b', '(?:^a$)|(?:b)'])('%s is not anchored', (source) => {
    compileDictionaryRegex(source);
    expect(isAnchored(source)).toBe(false);
    // ...and the regex agrees: some value that is not a whole match passes.
    expect(unanchoredProblem(source)).toBeDefined();
  });

  it('an alternation whose ends are anchored on one side each is reported, with the wrapped fix', () => {
    const re = compileDictionaryRegex('^prod|dev$');
    expect(['production-old-devx', 'undev'].map((v) => re.test(v))).toEqual([true, true]);
    expect(unanchoredProblem('^prod|dev$')).toBe(
      "'^prod|dev$' is not anchored: | splits the whole pattern, so each ^ or $ anchors only the alternative it is written in; write ^(?:prod|dev)$ so it judges whole values (tagaudit adds nothing)",
    );
    const fix = compileDictionaryRegex('^(?:prod|dev)$');
    expect(['production-old-devx', 'undev', 'prod', 'dev'].map((v) => fix.test(v))).toEqual([false, false, true, true]);
    expect(unanchoredProblem('^[a-z]{2}-\\d+$|x')).toContain('write ^(?:[a-z]{2}-\\d+|x)$ so');
    // ret cannot write \p{…} back as written: a generic fix rather than a misquoted one.
    expect(unanchoredProblem('^\\p{L}+|x$')).toContain('write ^(?:…|…)$ so');
  });

  it('other unanchored patterns keep their message and stay warnings', async () => {
    expect(unanchoredProblem('[0-9]{4}')).toBe("'[0-9]{4}' is not anchored; write ^...$ so it judges whole values (tagaudit adds nothing)");
    const text = withEnv("pattern: '^prod|dev$'");
    expect(await problems(text)).toEqual([]);
    expect(await warnings(text)).toEqual([
      "9:14 tags[0].pattern: '^prod|dev$' is not anchored: | splits the whole pattern, so each ^ or $ anchors only the alternative it is written in; write ^(?:prod|dev)$ so it judges whole values (tagaudit adds nothing)",
    ]);
  });
});
