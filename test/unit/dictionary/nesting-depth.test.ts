import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { MAX_NESTING, nestingTooDeepAt } from '../../../src/dictionary/nesting-depth.js';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { dictionaryProblems } from './dictionary-problems.js';

const TOO_DEEP = 'YAML nesting too deep: more than 100 levels of mappings and lists inside one another (a dictionary needs 4); is this the right file?';

/** `rules:` holding `levels` block mappings, each one key deeper (the acceptance file deepmap2000.yaml). */
function deepBlockMap(levels: number): string {
  const lines = ['version: 1', 'name: t', 'rules:'];
  for (let i = 0; i < levels; i++) lines.push(`${'  '.repeat(i + 1)}k${i}:`);
  return `${lines.join('\n')} x\n`;
}

const OPEN = '['.repeat(110);
const VALID = `# ${OPEN}
version: 1
name: "${'['.repeat(120)}"
description: |
  ${OPEN}
  ${'- '.repeat(110)}
tags:
  - key: team   # ${OPEN}
    category: '${'{'.repeat(60)}'
    purpose: Owning team ${OPEN}
    mandatory: [ 's3:bucket', "ec2:instance" ]
    costAllocation: false
`;

describe('nestingTooDeepAt: counts mappings and lists inside one another, without recursion', () => {
  it('block mappings: the key one level past the limit', () => {
    const text = deepBlockMap(150);
    // The document is level 1, `rules` 2 … k98 is level 100, k99 the first too deep.
    expect(nestingTooDeepAt(text)).toBe(text.indexOf('k99:'));
    expect(nestingTooDeepAt(deepBlockMap(MAX_NESTING - 1))).toBeUndefined();
    expect(nestingTooDeepAt(deepBlockMap(MAX_NESTING))).toBe(deepBlockMap(MAX_NESTING).indexOf(`k${MAX_NESTING - 1}:`));
  });

  it('flow collections, after the block levels they sit in', () => {
    const text = `a: ${'['.repeat(500)}${']'.repeat(500)}\n`;
    expect(nestingTooDeepAt(text)).toBe(3 + 99);
    expect(nestingTooDeepAt(`a: ${'['.repeat(99)}${']'.repeat(99)}\n`)).toBeUndefined();
  });

  it('compact lists (- - - x) and a list as a mapping value at its key\'s column', () => {
    const compact = `a:\n  ${'- '.repeat(200)}x\n`;
    expect(nestingTooDeepAt(compact)).toBe(5 + 2 * 99);
    // k0 → - k1 → - k2 → …, each list at the column of the key it belongs to: two levels per line.
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(`${'  '.repeat(i)}${i === 0 ? '' : '- '}k${i}:`);
    const stairs = `${lines.join('\n')}\n`;
    expect(nestingTooDeepAt(stairs)).toBe(stairs.indexOf('k50:'));
  });

  it('brackets and dashes in block scalars, quoted scalars, comments and plain values are text', () => {
    expect(nestingTooDeepAt(VALID)).toBeUndefined();
  });

  it('plain continuation lines indented further are text too', () => {
    const lines = ['description: a long'];
    for (let i = 1; i < 200; i++) lines.push(`${' '.repeat(i + 1)}- [ text`);
    expect(nestingTooDeepAt(`${lines.join('\n')}\nname: t\n`)).toBeUndefined();
  });
});

describe('a dictionary nested too deep: one line at file:line:col, exit 2, at any depth', () => {
  it('2000 block mappings (4 MB) no longer overflow the stack (was exit 3, "Maximum call stack size exceeded")', async () => {
    const text = deepBlockMap(2000);
    expect(text.length).toBeGreaterThan(4_000_000);
    const err = await parseDictionary(text, 'deepmap2000.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DictionaryError);
    expect((err as DictionaryError).lines()).toEqual([`deepmap2000.yaml:103:201: ${TOO_DEEP}`]);
    expect((err as DictionaryError).toLine()).toBe(`deepmap2000.yaml:103:201: ${TOO_DEEP}`);
  });

  it('150 levels, which the parser would read, are refused alike', async () => {
    expect(await dictionaryProblems(deepBlockMap(150))).toEqual([`103:201 : ${TOO_DEEP}`]);
  });

  it('20000 flow brackets', async () => {
    const text = `version: 1\nname: t\ndescription: ${'['.repeat(20000)}\n`;
    expect(await dictionaryProblems(text)).toEqual([`3:${14 + 99} : ${TOO_DEEP}`]);
  });

  it('5000 compact list items (the parser called it a stack overflow, as a syntax error)', async () => {
    const text = `version: 1\nname: t\ntags:\n  ${'- '.repeat(5000)}x\n`;
    expect(await dictionaryProblems(text)).toEqual([`4:${3 + 2 * 99} : ${TOO_DEEP}`]);
  });

  it('a dictionary with brackets in its text loads', async () => {
    const loaded = await parseDictionary(VALID, 'd.yaml');
    expect(loaded.policy.tags.map((t) => t.key)).toEqual(['team']);
    expect(loaded.policy.tags[0]?.purpose).toBe(`Owning team ${OPEN}`);
  });
});

describe('validate, scan -d and fix -d on a 2000-deep dictionary', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-deep-'));
    writeFileSync(join(dir, 'deep.yaml'), deepBlockMap(2000));
    writeFileSync(join(dir, 'inv.jsonl'), '{"arn":"arn:aws:s3:::b","tags":{}}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['validate', ['validate', 'deep.yaml']],
    ['scan -d', ['scan', '-d', 'deep.yaml', '-i', 'inv.jsonl']],
    ['fix -d', ['fix', '-d', 'deep.yaml', '-i', 'inv.jsonl']],
  ])('%s: exit 2, the file and where', async (_name, argv) => {
    const r = await runCli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`deep.yaml:103:201: ${TOO_DEEP}`);
    expect(r.stderr).not.toMatch(/call stack/i);
  });
});
