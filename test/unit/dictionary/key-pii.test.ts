import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dictionaryProblems } from './dictionary-problems.js';
import { runCli } from '../../support/cli.js';

// A canonical key is written to resources by fix (add-default) and shown in every report; an alias is quoted by
// findings; a suppression's tag key by its messages. None may hold personal data, judged as pii-in-tag judges a key.

const RAW = /jane\.doe|p30\.key|p31\.alias|206 555-0142|2065550142|4155552671|Mary Major/i;

async function problems(text: string): Promise<string[]> {
  const lines = await dictionaryProblems(text);
  expect(lines.join('\n')).not.toMatch(RAW);
  return lines;
}

function dictionary(entry: string, { head = '', tail = '' } = {}): string {
  return `version: 1\nname: t\n${head}tags:\n${entry}${tail}`;
}

const entry = (key: string, more = ''): string =>
  `  - key: "${key}"\n    category: operations\n    purpose: on-call\n    mandatory: [lambda:function]\n    costAllocation: false\n${more}`;

const WHY = {
  key: 'which must not go into tag keys: fix writes this key to resources, and every report shows it (list it under pii.allow if it is not)',
  alias:
    'which must not be in the dictionary: findings quote the alias; pii-in-tag already reports such a key on resources, and fix --fix-pii remove deletes it (list it under pii.allow if it is not)',
  suppression:
    'which must not be in the dictionary: messages about the suppression quote it; select the resources with resources, resourceTypes or accounts instead (list it under pii.allow if it is not)',
};

describe('personal data in the tag keys a dictionary names', () => {
  it('a canonical key holding an e-mail address, and an alias holding a name beside a phone number (masked too)', async () => {
    const text = dictionary(entry('oncall:jane.doe@acme.io', '    default: "yes"\n    aliases: ["Mary Major +1 206 555-0142"]\n'));
    expect(await problems(text)).toEqual([
      `4:10 tags[0].key: 'oncall:j***@a**e.io' looks like personal data (e-mail address), ${WHY.key}`,
      `10:15 tags[0].aliases[0]: 'M*** M*** +1 *** ***-*142' looks like personal data (phone number), ${WHY.alias}`,
    ]);
  });

  it('aliases holding an e-mail address or a bare phone number', async () => {
    const text = dictionary(entry('acme:project', '    aliases: [Project, "owner-jane.doe@acme.io", "+1 415 555 2671"]\n'));
    expect(await problems(text)).toEqual([
      `9:24 tags[0].aliases[1]: 'o***@a**e.io' looks like personal data (e-mail address), ${WHY.alias}`,
      `9:50 tags[0].aliases[2]: '+1 *** *** *671' looks like personal data (phone number), ${WHY.alias}`,
    ]);
  });

  it("a suppression's tag key", async () => {
    const tail = 'suppressions:\n  - rules: [pii-in-tag]\n    tags: [Name, "OWNER_JANE.DOE@acme.io"]\n    reason: known\n';
    expect(await problems(dictionary(entry('team'), { tail }))).toEqual([
      `11:18 suppressions[0].tags[1]: 'O***@a**e.io' looks like personal data (e-mail address), ${WHY.suppression}`,
    ]);
  });

  it('aws: keys in a suppression (aws:createdBy holds PII in its value, not its key) are fine', async () => {
    const tail = 'suppressions:\n  - rules: [pii-in-tag]\n    tags: ["aws:createdBy"]\n    reason: the session name is an e-mail address\n';
    expect(await problems(dictionary(entry('team'), { tail }))).toEqual([]);
  });

  it("follows the dictionary's pii settings: allowed, a detector left out, or detection off", async () => {
    const text = (head: string) => dictionary(entry('oncall:p30.key@acme.io', '    aliases: ["p31.alias@acme.io"]\n'), { head });
    expect(await problems(text("pii:\n  allow:\n    patterns: ['@acme\\.io$']\n"))).toEqual([]);
    expect(await problems(text('pii:\n  allow:\n    values: ["oncall:p30.key@acme.io", "P31.ALIAS@acme.io"]\n'))).toEqual([]);
    expect(await problems(text('pii:\n  detectors: [phone]\n'))).toEqual([]);
    expect(await problems(text('pii:\n  enabled: false\n'))).toEqual([]);
    expect(await problems(text(''))).toHaveLength(2);
  });

  it('ordinary keys and aliases are not personal data', async () => {
    const text = dictionary(entry('anycompany:finance:cost-center', '    aliases: [CostCenter, "Cost Center", cost_centre, "Project Owner", team@, "owner:email"]\n'));
    expect(await problems(text)).toEqual([]);
  });
});

describe('scan and fix refuse such a dictionary before doing any work', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-key-pii-'));
    writeFileSync(join(dir, 'd.yaml'), dictionary(entry('oncall:jane.doe@acme.io', '    default: "yes"\n')));
    writeFileSync(join(dir, 'inv.jsonl'), '{"arn":"arn:aws:lambda:us-east-1:444455556666:function:k","tags":{}}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const LINE = `tagaudit: d.yaml:4:10: tags[0].key: 'oncall:j***@a**e.io' looks like personal data (e-mail address), ${WHY.key}\n`;

  it.each([
    ['scan', ['scan', '-d', 'd.yaml', '-i', 'inv.jsonl']],
    ['fix', ['fix', '-d', 'd.yaml', '-i', 'inv.jsonl', '--format', 'json']],
  ])('%s: exit 2, one line, masked', async (_name, argv) => {
    const r = await runCli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(LINE);
    expect(r.stdout).toBe('');
  });

  it('validate: exit 2, every problem, masked', async () => {
    const r = await runCli(['validate', 'd.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${LINE.replace('tagaudit: ', '')}tagaudit: 1 problem in d.yaml\n`);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(RAW);
  });
});
