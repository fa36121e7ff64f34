import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { runCli } from '../../support/cli.js';

// Acceptance s14, D1: a tuning job whose `cc` is personal data only because another of its tags holds it
// (`cc=4155552671` beside `oncall=+1 415-555-2671`, `cc=078051120` beside `ssn=078-05-1120`). Its training jobs
// must not quote it in any report, nor be given it by the fixer — on one thread or several.

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const RAW = ['4155552671', '415-555-2671', '078051120', '078-05-1120'];
const DICT = `version: 1
name: t
conventions: {keyCase: any, unknownKeys: off}
tags:
  - key: cc
    category: financial
    purpose: cost center code
    mandatory: true
    costAllocation: true
  - key: team
    category: financial
    purpose: team
    mandatory: true
    costAllocation: true
`;

const job = (name: string, tags: Record<string, string>, parent?: string) =>
  JSON.stringify({
    arn: parent ? `${P}training-job/${name}` : `${P}hyper-parameter-tuning-job/${name}`,
    tags,
    state: 'InProgress',
    createdAt: '2025-11-20T00:00:00Z',
    ...(parent ? { parentArns: [`${P}hyper-parameter-tuning-job/${parent}`] } : {}),
  });
const phone = { cc: '4155552671', team: 'ml', oncall: '+1 415-555-2671' };
const ssn = { cc: '078051120', team: 'ml', ssn: '078-05-1120' };
// Clean resources between them, so that --threads 2 cuts the file into several ranges (16 KiB at least each) and
// parents and children are read by different workers; r2's child comes before its parent.
const filler = (from: number) =>
  Array.from({ length: 300 }, (_, i) => JSON.stringify({ arn: `arn:aws:lambda:us-east-1:111122223333:function:f-${from + i}`, tags: { cc: '1234', team: 'ml' } }));
const LINES = [
  job('r1', phone),
  ...filler(0),
  job('r1-001', { cc: '9999', team: 'ml' }, 'r1'),
  job('r2-001', { team: 'ml' }, 'r2'),
  ...filler(1000),
  job('r2', phone),
  job('r3', ssn),
  job('r2-002', { cc: '', team: 'ml' }, 'r2'),
  ...filler(2000),
  job('r3-001', { team: 'ml' }, 'r3'),
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-inherited-pii-'));
  writeFileSync(join(dir, 'dict.yaml'), DICT);
  writeFileSync(join(dir, 'inv.jsonl'), `${LINES.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli([...args, '-i', 'inv.jsonl', '-d', 'dict.yaml'], { cwd: dir });
const expectNoRaw = (text: string) => {
  for (const raw of RAW) expect(text).not.toContain(raw);
};

describe("a parent's value that is personal data on the parent", () => {
  it('is shown masked, never raw, in the table, JSON and SARIF; the parent is still reported', async () => {
    for (const format of ['table', 'json', 'sarif']) {
      const r = await run(['scan', '--format', format, '--threads', '1']);
      expect(r.code).toBe(1);
      expectNoRaw(r.stdout + r.stderr);
    }
    const json = JSON.parse((await run(['scan', '--format', 'json', '--threads', '1'])).stdout) as {
      findings: { ruleId: string; message: string; resource: { arn: string }; fix?: { type: string }[] }[];
    };
    const about = (name: string) => json.findings.filter((f) => f.resource.arn.endsWith(`/${name}`));
    expect(about('r1').map((f) => f.ruleId)).toContain('pii-in-tag');
    // No drift against a parent value that is personal data (docs/rules/inherited-tag-drift.md).
    expect(about('r1-001')).toEqual([]);
    for (const name of ['r2-001', 'r3-001']) {
      const [missing] = about(name);
      expect(missing?.ruleId).toBe('missing-tag');
      expect(missing?.message).toContain('which holds personal data and is not copied');
      expect(missing?.fix).toBeUndefined();
    }
    expect(about('r2-001')[0]?.message).toContain('"*******671"');
    expect(json.findings.flatMap((f) => f.fix ?? []).filter((e) => e.type === 'inherit')).toEqual([]);
  });

  it('is never planned by fix: no inherit edit in --format json, the dry run or the saved plan', async () => {
    const r = await run(['fix', '--format', 'json']);
    expectNoRaw(r.stdout + r.stderr);
    const plan = JSON.parse(r.stdout) as { resources: { edits: { type: string; valueType?: string }[] }[] };
    expect(plan.resources.flatMap((x) => x.edits).filter((e) => e.type === 'inherit' || e.valueType === 'inherit')).toEqual([]);
    const dry = await run(['fix', '--plan-out', 'plan.json']);
    expectNoRaw(dry.stdout + dry.stderr);
    expect(dry.stdout).not.toMatch(/inherit/);
    expectNoRaw(readFileSync(join(dir, 'plan.json'), 'utf8'));
  });

  it('gives a byte-identical JSON report on 2 worker threads as on one', async () => {
    expect(workerEntryAvailable(), 'run `npm run build` first').toBe(true);
    const one = await run(['scan', '--format', 'json', '--threads', '1']);
    const two = await run(['scan', '--format', 'json', '--threads', '2']);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    expectNoRaw(two.stdout);
  });
});
