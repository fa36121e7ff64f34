import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { dictionaryProblems } from './dictionary-problems.js';
import { runCli } from '../../support/cli.js';

// Messages about the dictionary are masked whatever its `pii:` says (docs/dictionary.md). A message that quotes a
// pattern (an allow pattern or a tag pattern not anchored, a JavaScript literal, a slow group) reads it as the text it
// spells out: `jane\.doe@example\.com` is an address only a backslash keeps the plain redaction from seeing
// (acceptance s14 D10).

/** A dictionary with one tag entry `team` and the extra lines of the entry; `head` goes before `tags:`. */
function dictionary(head: string, extra = ''): string {
  const body = extra
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l.trim()}\n`)
    .join('');
  return `version: 1\nname: t\n${head}tags:\n  - key: team\n    category: c\n    purpose: p\n    mandatory: false\n    costAllocation: false\n${body}`;
}

const RAW = /jane|john|\.doe|doe@|example\\?\.com/;

async function warnings(text: string): Promise<string[]> {
  const lines = (await parseDictionary(text, 'd.yaml')).warnings.map((p) => `${p.line}:${p.col} ${p.path ?? ''}: ${p.message}`);
  expect(lines.join('\n')).not.toMatch(RAW);
  return lines;
}

async function problems(text: string): Promise<string[]> {
  const lines = await dictionaryProblems(text);
  expect(lines.join('\n')).not.toMatch(RAW);
  return lines;
}

const NOT_ANCHORED = 'is not anchored; write ^...$ so it judges whole values (tagaudit adds nothing)';
const SPLIT = 'is not anchored: | splits the whole pattern, so each ^ or $ anchors only the alternative it is written in; write';

describe('a pattern quoted in a message is masked', () => {
  it('an allow pattern not anchored, the address written with escapes (the allow list does not unmask it)', async () => {
    const head = "pii:\n  allow:\n    values: [jane.doe@example.com]\n    patterns: ['jane\\.doe@example\\.com']\n";
    expect(await warnings(dictionary(head))).toEqual([`6:16 pii.allow.patterns[0]: 'j***@e*****e.com' ${NOT_ANCHORED}`]);
  });

  it('an allow pattern split by |: the pattern and the rewrite proposed', async () => {
    const head = "pii:\n  allow:\n    patterns: ['^(jane|john)\\.doe@example\\.com|^ops-team@lists\\.acme\\.com$']\n";
    const [line] = await warnings(dictionary(head));
    expect(line).toBe(
      `5:16 pii.allow.patterns[0]: '^(j***|j***).d***@e***.c***|^o***@*****.a**e.com$' ${SPLIT} ^(?:(j***|j***).d***@e***.c***|o***@*****.a**e.com)$ so it judges whole values (tagaudit adds nothing)`,
    );
  });

  it('a tag pattern not anchored, when pii.enabled is false (or the detector is off)', async () => {
    for (const head of ['pii:\n  enabled: false\n', 'pii:\n  detectors: [phone]\n']) {
      const lines = await warnings(dictionary(head, "pattern: 'jane\\.doe@example\\.com'"));
      expect(lines, head).toEqual([expect.stringMatching(/^\d+:14 tags\[0\]\.pattern: 'j\*\*\*@e\*\*\*\*\*e\.com' is not anchored;/)]);
    }
  });

  it("a default that does not match the key's pattern, when pii.enabled is false", async () => {
    const text = dictionary('pii:\n  enabled: false\n', "pattern: '^(jane|john)\\.doe@example\\.com$'\ndefault: x");
    expect(await problems(text)).toEqual(["12:14 tags[0].default: 'x' does not match the key's pattern ^(j***|j***).d***@e***.c***$"]);
  });

  it('a JavaScript regex literal and a group that can take exponential time', async () => {
    const literal = await problems(dictionary("pii:\n  allow:\n    patterns: ['/^jane\\.doe@example\\.com$/i']\n"));
    expect(literal).toEqual([expect.stringContaining("pii.allow.patterns[0]: /^j***@e*****e.com$/i is written as a JavaScript regex literal")]);
    const slow = await problems(dictionary("pii:\n  allow:\n    patterns: ['^(jane\\.doe@example\\.com|[a-z]+)+$']\n"));
    expect(slow).toEqual([expect.stringContaining('the repeated group (j***@e*****e.com|[a-z]+)+ can match')]);
  });
});

describe('scan and validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-pattern-quote-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('print the unanchored allow pattern masked on stderr (the reviewer reproduction)', async () => {
    const head = "pii:\n  allow:\n    values: [jane.doe@example.com]\n    patterns: ['jane\\.doe@example\\.com']\n";
    writeFileSync(join(dir, 'd17.yaml'), dictionary(head));
    writeFileSync(join(dir, 'inv.jsonl'), '{"arn":"arn:aws:lambda:us-east-1:111122223333:function:a","tags":{"team":"ml"}}\n');
    const line = `d17.yaml:6:16: warning: pii.allow.patterns[0]: 'j***@e*****e.com' ${NOT_ANCHORED}`;
    const s = await runCli(['scan', '-i', 'inv.jsonl', '-d', 'd17.yaml', '--fail-on', 'none'], { cwd: dir });
    expect(s.stderr).toContain(line);
    expect(s.stdout + s.stderr).not.toMatch(RAW);
    const v = await runCli(['validate', 'd17.yaml'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stderr).toContain(line);
    expect(v.stdout + v.stderr).not.toMatch(RAW);
  });
});
