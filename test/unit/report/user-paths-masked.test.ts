import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { runCli } from '../../support/cli.js';

// People name exports after whoever asked for them. A file name is shown wherever a user-given path is shown — the
// table header, the JSON report, SARIF, validate's problems and summary, bad-line errors, usage errors — masked like
// any other personal data, the same way everywhere.

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-paths-'));
mkdirSync(join(dir, 'inv'));
mkdirSync(join(dir, 'y'));
const put = (name: string, content: string): string => {
  writeFileSync(join(dir, name), content);
  return name;
};

const DICT = 'version: 1\nname: t\ntags:\n  - key: team\n    category: x\n    purpose: y\n    costAllocation: false\n    mandatory: false\n';
const WARN_DICT = `${DICT}    pattern: 'a|b$'\n`;
const BAD_DICT = `${DICT}    bogus: 1\n`;
const RESOURCE = `${JSON.stringify({ arn: 'arn:aws:s3:::ml-datasets', tags: { team: 'ml' } })}\n`;

const EMAIL = 'jane.doe@example.com';
const CARD = '4111111111111111';
const SSN = '078-05-1120';

const dict = put(`y/${SSN}.yaml`, DICT);
const warnDict = put(`y/warn-${CARD}.yaml`, WARN_DICT);
const badDict = put(`y/${EMAIL}.yaml`, BAD_DICT);
const badCardDict = put(`y/bad-${CARD}.yaml`, BAD_DICT);
const invEmail = put(`inv/${EMAIL}.jsonl`, RESOURCE);
const invCard = put(`inv/${CARD}.jsonl`, RESOURCE);
const badLines = put(`inv/bad-${CARD}.jsonl`, `${RESOURCE}{"arn": oops}\n`);

const run = (args: string[]) => runCli(args, { cwd: dir });
const PII = [EMAIL, CARD, SSN, '0780511120', '415-555-2671'];
function expectNoPii(text: string): void {
  for (const p of PII) expect(text).not.toContain(p);
}

describe('scan reports show user-given paths masked', () => {
  it('the table header names the inventory and the dictionary masked', async () => {
    const r = await run(['scan', '-d', dict, '-i', invEmail, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const header = r.stdout.split('\n')[0]!;
    expect(header).toContain('dictionary y/***-**-1120.yaml');
    expect(header).toContain('inventory inv/j***@');
    expectNoPii(r.stdout + r.stderr);
  });

  it('the JSON report masks run.dictionary.path and run.scope.inventories', async () => {
    const r = await run(['scan', '-d', dict, '-i', invEmail, '-i', invCard, '-f', 'json', '--fail-on', 'none']);
    const report = JSON.parse(r.stdout) as { run: { dictionary: { path: string }; scope: { inventories: string[] } } };
    expect(report.run.dictionary.path).toBe('y/***-**-1120.yaml');
    expect(report.run.scope.inventories).toHaveLength(2);
    expect(report.run.scope.inventories[1]).toBe('inv/**** **** **** 1111.jsonl');
    expectNoPii(r.stdout);
  });

  it('SARIF masks the dictionary path it records', async () => {
    const r = await run(['scan', '-d', dict, '-i', invCard, '--output-sarif', 'out.sarif', '--sarif-category', 'nightly', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const sarif = readFileSync(join(dir, 'out.sarif'), 'utf8');
    expect(sarif).toContain('"path":"y/***-**-1120.yaml"');
    expectNoPii(sarif);
  });

  it('bad-line errors name the file masked, on stderr and in errors[]', async () => {
    const r = await run(['scan', '-d', dict, '-i', badLines, '-f', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('tagaudit: inv/bad-**** **** **** 1111.jsonl:2:');
    const report = JSON.parse(r.stdout) as { errors: { message: string }[] };
    expect(report.errors[0]!.message).toMatch(/^inv\/bad-\*{4} \*{4} \*{4} 1111\.jsonl:2:\d+: invalid JSON/);
    expectNoPii(r.stdout + r.stderr);
  });

  it('--strict-inventory, a missing inventory and an unwritable output name the file masked', async () => {
    const strict = await run(['scan', '-d', dict, '-i', badLines, '--strict-inventory']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/^tagaudit: inv\/bad-\*{4} \*{4} \*{4} 1111\.jsonl:2:\d+: /);
    const missing = await run(['scan', '-d', dict, '-i', `inv/nope-${CARD}.jsonl`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('tagaudit: inv/nope-**** **** **** 1111.jsonl: cannot read inventory: no such file\n');
    const output = await run(['scan', '-d', dict, '-i', invEmail, '--output-json', `no-such-dir-${SSN}/r.json`]);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain('no-such-dir-***-**-1120');
    expectNoPii(strict.stderr + missing.stderr + output.stderr);
  });

  it('a dictionary warning names the dictionary masked', async () => {
    const r = await run(['scan', '-d', warnDict, '-i', invEmail, '--fail-on', 'none']);
    expect(r.stderr).toMatch(/^y\/warn-\*{4} \*{4} \*{4} 1111\.yaml:\d+:\d+: warning: /m);
    expectNoPii(r.stderr + r.stdout);
  });
});

describe('validate shows the dictionary path masked', () => {
  it('in every problem line and the count line', async () => {
    const r = await run(['validate', badCardDict]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^y\/bad-\*{4} \*{4} \*{4} 1111\.yaml:\d+:\d+: /);
    expect(lines.at(-1)).toMatch(/^tagaudit: \d+ problems? in y\/bad-\*{4} \*{4} \*{4} 1111\.yaml$/);
    expectNoPii(r.stderr);
  });

  it('in --format json, "file" and every problem', async () => {
    for (const file of [badDict, badCardDict]) {
      const r = await run(['validate', file, '--format', 'json']);
      const out = JSON.parse(r.stdout) as { file: string; problems: { file: string }[] };
      expect(out.file).not.toBe(file);
      for (const p of out.problems) expect(p.file).toBe(out.file);
      expectNoPii(r.stdout);
    }
  });

  it('in the summary of a valid dictionary, as text and JSON', async () => {
    const text = await run(['validate', dict]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^y\/\*\*\*-\*\*-1120\.yaml: valid dictionary 't'/);
    const json = await run(['validate', dict, '--format', 'json']);
    expect((JSON.parse(json.stdout) as { file: string }).file).toBe('y/***-**-1120.yaml');
    expectNoPii(text.stdout + json.stdout);
  });

  it('in a warning of validate', async () => {
    const r = await run(['validate', warnDict]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^y\/warn-\*{4} \*{4} \*{4} 1111\.yaml:\d+:\d+: warning: /m);
    expectNoPii(r.stdout + r.stderr);
  });
});

describe('--sarif-category holding personal data', () => {
  it.each([SSN, CARD, 'jane.doe.example.com/536-22-1234', 'oncall-415-555-2671'])('is refused, quoted masked: %s', async (category) => {
    const r = await run(['scan', '-d', dict, '-i', invEmail, '--output-sarif', 'c.sarif', '--sarif-category', category]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tagaudit: --sarif-category: ".*" holds personal data, and GitHub shows the category with every alert; name the job or the scope instead \(e\.g\. nightly-ml-prod\)\n$/);
    expectNoPii(r.stderr);
    expect(r.stderr).not.toContain('536-22-1234');
  });

  it('accepts a category that names a job or a scope', async () => {
    for (const category of ['nightly-ml-prod', 'org/111122223333/us-east-1']) {
      const r = await run(['scan', '-d', dict, '-i', invEmail, '--output-sarif', 'ok.sarif', '--sarif-category', category, '--fail-on', 'none']);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'ok.sarif'), 'utf8')).toContain(`"id":"tagaudit/${category}/"`);
    }
  });
});
