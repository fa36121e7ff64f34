import { describe, it, expect } from 'vitest';
import { dictionaryProblems } from './dictionary-problems.js';
import { regexIssue } from '../../../src/dictionary/dictionary-regex.js';

// Messages that name what is wrong and say what to write: which escape of a pattern, where; single quotes for a
// pattern YAML's double quotes break; which key is repeated; a quoted boolean.

const ESCAPE_HINT = 'with the u flag, a backslash may only come before one of ^ $ \\ . * + ? ( ) [ ] { } | / or start an escape such as \\d';

/** A dictionary whose one tag entry ends with `lines` (each already indented by 4). */
const withEntry = (lines: string, head = ''): string =>
  `version: 1\nname: t\n${head}tags:\n  - key: cost-center\n    category: financial\n    purpose: p\n    mandatory: true\n    costAllocation: true\n${lines}`;

describe('an invalid escape in a pattern is named, with where it is', () => {
  const MINUS = `invalid regular expression: Invalid escape \\- at pattern offset 3: outside [...], write - without the backslash (${ESCAPE_HINT})`;

  it('in single quotes: the column is the backslash inside the quotes, not the quote', async () => {
    expect(await dictionaryProblems(withEntry("    pattern: '^CC\\-\\d{4}$'\n"))).toEqual([`9:18 tags[0].pattern: ${MINUS}`]);
  });

  it("in single quotes after a doubled '' (one character of the value, two of the source)", async () => {
    expect(await dictionaryProblems(withEntry("    pattern: '^it''s\\-x$'\n"))).toEqual([
      `9:21 tags[0].pattern: invalid regular expression: Invalid escape \\- at pattern offset 5: outside [...], write - without the backslash (${ESCAPE_HINT})`,
    ]);
  });

  it('plain', async () => {
    expect(await dictionaryProblems(withEntry('    pattern: ^CC\\-\\d{4}$\n'))).toEqual([`9:17 tags[0].pattern: ${MINUS}`]);
  });

  it('where the source does not spell the value out (an escape of YAML, a block scalar): at the value', async () => {
    expect(await dictionaryProblems(withEntry('    pattern: "^CC\\\\-\\\\d{4}$"\n'))).toEqual([`9:14 tags[0].pattern: ${MINUS}`]);
    expect(await dictionaryProblems(withEntry('    pattern: >-\n      ^CC\\-\\d{4}$\n'))).toEqual([`9:14 tags[0].pattern: ${MINUS}`]);
  });

  it('in pii.allow.patterns', async () => {
    const head = "pii:\n  allow:\n    patterns: ['^[a-z]+@lists\\.acme\\.io$', '^ops\\@acme\\.io$']\n";
    expect(await dictionaryProblems(withEntry('', head))).toEqual([
      `5:49 pii.allow.patterns[1]: invalid regular expression: Invalid escape \\@ at pattern offset 4: outside [...], write @ without the backslash (${ESCAPE_HINT})`,
    ]);
  });

  it.each([
    ['[a\\q]', 2, 'Invalid escape \\q at pattern offset 2: with the u flag a backslash before a letter or digit must start an escape such as \\d, \\w, \\s or \\p{L}; for the character itself write q'],
    ['[\\@]', 1, `Invalid escape \\@ at pattern offset 1: inside [...], write @ without the backslash (${ESCAPE_HINT.replace('/ or', '/ - or')})`],
    ['[\\B]', 1, 'Invalid escape \\B at pattern offset 1: \\B has no meaning inside [...]; write it outside the brackets'],
    ['^\\x1$', 1, 'Invalid escape \\x at pattern offset 1: write \\x with two hex digits, e.g. \\x2D'],
    ['^\\u12$', 1, 'Invalid Unicode escape \\u at pattern offset 1: write \\u with four hex digits or a code point in braces, e.g. \\u00E9 or \\u{1F600}'],
    ['^\\p{Foo}$', 1, 'Invalid property name \\p{Foo} at pattern offset 1: name a Unicode property or general category, e.g. \\p{L}, \\p{Lu}, \\p{N}, \\p{Script=Greek}'],
    ['^(a)\\2$', 4, 'Invalid escape \\2 at pattern offset 4: it refers to capture group 2, but the pattern has only 1; for the digit write 2 without the backslash'],
    ['^\\1$', 1, 'Invalid escape \\1 at pattern offset 1: it refers to capture group 1, but the pattern has none; for the digit write 1 without the backslash'],
    ['^(?i)prod$', 1, 'Invalid group (?i) at pattern offset 1: inline flags are not supported, and patterns are case-sensitive (for either case write a class such as [Pp]rod)'],
    ['^(?i:prod)$', 1, 'Invalid group (?i: at pattern offset 1: inline flags are not supported, and patterns are case-sensitive (for either case write a class such as [Pp]rod)'],
  ] as const)('%s', (pattern, offset, reason) => {
    expect(regexIssue(pattern)).toEqual({ message: `invalid regular expression: ${reason}`, offset });
  });

  it('escapes that are fine are not blamed', () => {
    for (const pattern of ['^[\\-a-z]+$', '^\\d{4}\\.\\d+$', '^(a)\\1$', '^\\p{Lu}\\u00E9\\x2D\\cJ$', '^(?<n>a)\\k<n>$', '^[\\b]$', '^\\/$']) {
      expect(regexIssue(pattern), pattern).toBeUndefined();
    }
  });
});

describe('YAML mistakes', () => {
  it('a pattern in double quotes: YAML refuses the escape, and the message says to use single quotes', async () => {
    expect(await dictionaryProblems(withEntry('    pattern: "^CC\\-\\d{4}$"\n'))).toEqual([
      "9:18 : YAML syntax error: invalid escape sequence \\- in a double-quoted string; quote it with single quotes instead ('...'), where a backslash stays as written, as regular expressions need (and 1 more YAML error after it)",
    ]);
  });

  it('a repeated key is named, with the line of its first occurrence', async () => {
    const text = 'version: 1\nname: t\nconventions:\n  requiredPrefix: "acme:"\n  requiredPrefix: "acme:"\ntags: []\n';
    expect(await dictionaryProblems(text)).toEqual(["5:3 : YAML syntax error: key 'requiredPrefix' appears twice in this mapping (first on line 4); keep one"]);
  });

  it('a repeated key holding personal data is masked', async () => {
    const text = withEntry('    valueAliases:\n      jane.doe@example.com: a\n      jane.doe@example.com: b\n');
    const lines = await dictionaryProblems(text);
    expect(lines).toEqual(["11:7 : YAML syntax error: key 'j***@e*****e.com' appears twice in this mapping (first on line 10); keep one"]);
  });

  it.each([
    ['costAllocation: "true"', 'costAllocation', '"true" in quotes is text; remove the quotes: true'],
    ["costAllocation: 'false'", 'costAllocation', '"false" in quotes is text; remove the quotes: false'],
    ['costAllocation: "True"', 'costAllocation', '"True" in quotes is text; remove the quotes: true'],
  ])('a quoted boolean: %s', async (line, field, hint) => {
    const text = withEntry('').replace('costAllocation: true', line);
    const [problem] = await dictionaryProblems(text);
    expect(problem).toBe(`8:21 tags[0].${field}: must be true or false, got a string (${hint})`);
  });

  it('mandatory: "true" gets the same hint as mandatory: yes', async () => {
    expect(await dictionaryProblems(withEntry('').replace('mandatory: true', 'mandatory: "true"'))).toEqual([
      '7:16 tags[0].mandatory: must be true, false or a list, got a string ("true" in quotes is text; remove the quotes: true)',
    ]);
    expect(await dictionaryProblems(withEntry('').replace('mandatory: true', 'mandatory: yes'))).toEqual([
      '7:16 tags[0].mandatory: must be true, false or a list, got a string (YAML 1.2 reads yes as text; write true or false)',
    ]);
  });
});
