import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { regexProblem } from '../../../src/dictionary/dictionary-regex.js';
import { exponentialBacktracking, polynomialBacktracking } from '../../../src/dictionary/regex-backtracking.js';

describe('exponentialBacktracking', () => {
  it.each([
    ['^(a+)+$', '(a+)+'],
    ['^(?:[a-z0-9]+-?)*$', '(?:[a-z0-9]+-?)*'],
    ['^((ab)*)*$', '((ab)*)*'],
    ['^(\\d+|x)+$', '(\\d+|x)+'],
    ['^(a{1,5}){2,}$', '(a{1,5}){2,}'],
    ['^(a+){1,16}$', '(a+){1,16}'],
    ['^(a+){2,4}$', '(a+){2,4}'],
    ['^(?<part>\\w*)+$', '(?<part>\\w*)+'],
    ['^(a?b?)*$', '(a?b?)*'],
    ['^(-?[a-z]+)*$', '(-?[a-z]+)*'], // the "-" is optional: [a-z]+ can run into the next iteration
    ['^([a-z][a-z0-9]*)+$', '([a-z][a-z0-9]*)+'],
    ['^(\\w+\\s?)+$', '(\\w+\\s?)+'],
    ['^([a-z]+-?)*$', '([a-z]+-?)*'],
    ['^(\\w|\\d)+$', '(\\w|\\d)+'], // alternatives that start alike
    ['^(?:[a-z0-9]|[a-z])+$', '(?:[a-z0-9]|[a-z])+'],
    ['^(\\d|\\d\\d)+$', '(\\d|\\d\\d)+'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', '(([a-z])+.)+'], // OWASP's example: the variable part runs into "."
    ['^(.*a){20}$', '(.*a){20}'],
    ['^(.*,)*$', '(.*,)*'],
  ])('flags %s', (source, group) => {
    expect(exponentialBacktracking(source)).toBe(group);
  });

  it.each([
    ['^(\\p{L}+)+$'], // ret does not know \p{…}: read as "any character", not as the letters p{L}
    ['^(\\p{L}+ ?)*$'],
    ['^(\\P{Cc}+)+$'],
    ['^(?<!x)(a+)+$'], // ret cannot read lookbehind: it is dropped (it consumes nothing) before the check
    ['^(?:[^\\p{L}]+\\d)+$'], // a negated property class is read as a superset, not as the complement of one
  ])('flags %s', (source) => {
    expect(exponentialBacktracking(source)).toBeDefined();
  });

  it.each([
    '^[A-Za-z][A-Za-z0-9-]{1,63}$',
    '^(\\d{3}-)+\\d+$',
    '^([a-z0-9]{2,8}-)*[a-z0-9]+$',
    '^(?:[a-z]+:)*[a-z]+$',
    '^app-[0-9]{4}$',
    '^(dev|staging|production)$',
    '^\\p{L}[\\p{L}\\d -]*$',
    '^v\\d+\\.\\d+\\.\\d+$',
    '^v?\\d+(\\.\\d+){0,2}$', // a few iterations: polynomial at worst
    '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$', // each iteration starts with "-", which [A-Za-z0-9]+ cannot match
    '^[a-z]+([,;][a-z]+)*$',
    '^\\d+(\\.\\d+)*$',
    '(?<=x)y',
    // Realistic patterns from tagging dictionaries (each linear):
    '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$', // semver.org
    '^[a-z0-9]+(?:-[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)*$', // host name
    '^([a-z]+(-[a-z]+)*)(,[a-z]+(-[a-z]+)*)*$', // comma-separated list
    '^[A-Z][a-z]+(?: (?:[A-Z][a-z]+|of|and))*$',
    '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*\\.[a-zA-Z]{2,}$',
    '^\\p{L}+(?: \\p{L}+)*$',
    '^\\p{L}+(?:\\s\\p{L}+)*$',
    '^\\p{L}+(?:\\p{Zs}\\p{L}+)*$',
    "^\\p{L}+(?:[ ’'-]\\p{L}+)*$",
    '^[\\p{L}\\p{M}]+(?:[ -][\\p{L}\\p{M}]+)*$',
    '^[a-z]+(?:[-_][a-z0-9]+)*$',
    '^(?:[a-z]+/)*[a-z]+$',
    '^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:domain/d-[a-z0-9]+$',
  ])('passes %s', (source) => {
    expect(exponentialBacktracking(source)).toBeUndefined();
    // …and is fast on values crafted against it (AWS values are at most 256 characters).
    const re = new RegExp(source, 'u');
    for (const value of ['a'.repeat(255), '1'.repeat(255), 'a-'.repeat(127), 'a.'.repeat(127), 'A a'.repeat(85), '1.'.repeat(127)]) {
      const t = performance.now();
      re.test(`${value}!`);
      expect(performance.now() - t).toBeLessThan(250);
    }
  });

  it('every flagged shape really is slow, and the passing look-alike is not', () => {
    const attack = `${'a'.repeat(24)}!`;
    const time = (source: string) => {
      const re = new RegExp(source, 'u');
      const t = performance.now();
      re.test(attack);
      return performance.now() - t;
    };
    // Linear: microseconds. Exponential at 24 characters: hundreds of milliseconds (doubling per character).
    expect(time('^(?:[a-z]+-)*[a-z]+$')).toBeLessThan(50);
    expect(time('^(a+)+$')).toBeGreaterThan(50);
  });
});

describe('polynomialBacktracking', () => {
  it.each([
    '^[a-z0-9-]+-[a-z0-9-]+-[a-z0-9-]+-[a-z0-9-]+$', // 1.5 s on 255 hyphens and a "!"
    '^(?:[a-z0-9-]+-){3}[a-z0-9-]+$',
    '^[\\w-]+-[\\w-]+-[\\w-]+-[\\w-]+$',
    '^(a*b?a*){3}$',
    '^((a+){3}){3}$',
    '^(a+){3}(a+){3}$',
    '^(a+){1,3}$', // not exponential (3 iterations at most), but the cube of the length
  ])('flags %s', (source) => {
    expect(polynomialBacktracking(source)).toBeDefined();
  });

  it.each(['^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$', '^[a-z0-9-]+-[a-z0-9-]+$', '^v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.]+)?$'])('passes %s', (source) => {
    expect(polynomialBacktracking(source)).toBeUndefined();
  });
});

describe('regexProblem', () => {
  it('explains a pattern that can take exponential time, naming the group', () => {
    expect(regexProblem('^(a+)+$')).toMatch(/^regular expression can take exponential time: the repeated group \(a\+\)\+ can match the same text in more than one way/);
  });

  it('a JavaScript regex literal, which would compile and then match no real value', () => {
    for (const literal of ['/^prod$/i', '/^prod$/', '/prod/iu'])
      expect(regexProblem(literal)).toBe(`${literal} is written as a JavaScript regex literal; write the pattern alone, without the slashes and flags (it is compiled with the u flag; for other cases list them, e.g. [Pp]rod)`);
    // Slashes that are part of the value are fine.
    expect(regexProblem('^/data/[a-z]+/$')).toBeUndefined();
    expect(regexProblem('/data/')).toBeUndefined();
  });

  it('still reports syntax errors first, and nothing for a good pattern', () => {
    expect(regexProblem('^(a')).toBe('invalid regular expression: Unterminated group');
    expect(regexProblem('^[a-z]+$')).toBeUndefined();
  });
});

describe('a dictionary pattern that can take exponential time', () => {
  it('is a validation error with file:line:col, so a crafted tag value can never stall a scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-redos-'));
    const dictionary = join(dir, 'redos.yaml');
    writeFileSync(
      dictionary,
      ['version: 1', 'name: redos', 'tags:', '  - key: team', '    category: business', '    purpose: owning team', '    mandatory: false', '    costAllocation: false', '    pattern: "^(a+)+$"', ''].join('\n'),
    );
    const inventory = join(dir, 'inv.jsonl');
    writeFileSync(inventory, `${JSON.stringify({ arn: 'arn:aws:lambda:us-east-1:111122223333:function:f', tags: { team: `${'a'.repeat(40)}!` } })}\n`);
    const validate = await runCli(['validate', dictionary]);
    expect(validate.code).toBe(2);
    expect(validate.stderr.split('\n')[0]).toMatch(new RegExp(`^${escape(dictionary)}:9:14: tags\\[0\\]\\.pattern: regular expression can take exponential time`));
    const scan = await runCli(['scan', '-d', dictionary, '-i', inventory]);
    expect(scan.code).toBe(2);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
