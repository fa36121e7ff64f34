import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { regexProblem } from '../../../src/dictionary/dictionary-regex.js';
import { exponentialBacktracking } from '../../../src/dictionary/regex-backtracking.js';

describe('exponentialBacktracking', () => {
  it.each([
    ['^(a+)+$', '(a+)+'],
    ['^(?:[a-z0-9]+-?)*$', '(?:[a-z0-9]+-?)*'],
    ['^((ab)*)*$', '((ab)*)*'],
    ['^(\\d+|x)+$', '(\\d+|x)+'],
    ['^(a{1,5}){2,}$', '(a{1,5}){2,}'],
    ['^(a+){1,16}$', '(a+){1,16}'],
    ['^(?<part>\\w*)+$', '(?<part>\\w*)+'],
    ['^(a?b?)*$', '(a?b?)*'],
    ['^(-?[a-z]+)*$', '(-?[a-z]+)*'], // the "-" is optional: [a-z]+ can run into the next iteration
    ['^([a-z][a-z0-9]*)+$', '([a-z][a-z0-9]*)+'],
    ['^(\\w+\\s?)+$', '(\\w+\\s?)+'],
    ['^([a-z]+-?)*$', '([a-z]+-?)*'],
  ])('flags %s', (source, group) => {
    expect(exponentialBacktracking(source)).toBe(group);
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
    '^(a+){2,15}$',
    '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$', // each iteration starts with "-", which [A-Za-z0-9]+ cannot match
    '^[a-z]+([,;][a-z]+)*$',
    '^\\d+(\\.\\d+)*$',
    '(?<=x)y', // ret cannot read lookbehind: not judged
  ])('passes %s', (source) => {
    expect(exponentialBacktracking(source)).toBeUndefined();
  });

  it('every flagged shape really is slow, and the passing look-alike is not', () => {
    const attack = `${'a'.repeat(24)}!`;
    const time = (source: string) => {
      const re = new RegExp(source, 'u');
      const t = performance.now();
      re.test(attack);
      return performance.now() - t;
    };
    // Linear: microseconds. Exponential at 24 characters: tens of milliseconds at least (doubling per character).
    expect(time('^(?:[a-z]+-)*[a-z]+$')).toBeLessThan(5);
    expect(time('^(a+)+$')).toBeGreaterThan(5);
  });
});

describe('regexProblem', () => {
  it('explains a pattern that can take exponential time, naming the group', () => {
    expect(regexProblem('^(a+)+$')).toMatch(/^regular expression can take exponential time: the repeated group \(a\+\)\+ ends in a repetition/);
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
