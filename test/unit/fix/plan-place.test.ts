import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { tempDir } from './run.js';
import { editRecord, fixedJournal } from './fixed-journal.js';

// A saved plan can be edited by hand: where it writes (account, region) must be what its ARN says, and it holds no
// field the planner does not write. A refusal is one line at file:line:col (exit 2) that quotes nothing from the plan.
const DICT = resolve('dictionaries/anycompany.yaml');
const EMAIL = 'jane.doe@example.com';
const ENDPOINT = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/e1';
const BUCKET = 'arn:aws:s3:::scorer-data';
const TAGS = {
  'anycompany:workload:application-id': 'app-1234',
  'anycompany:workload:name': 'scorer',
  'anycompany:finance:cost-center': 'CC-1234',
  'anycompany:finance:owner': 'ml-platform',
  'anycompany:workload:business-unit': 'research',
};

type Plan = { resources: Record<string, unknown>[] };
const edits = (plan: Plan): Record<string, unknown>[] => plan.resources[0]!.edits as Record<string, unknown>[];

/** A saved plan for one resource (an add-default), from an inventory record. */
async function savedPlan(record: Record<string, unknown>): Promise<{ dir: string; plan: Plan }> {
  const dir = tempDir();
  const inventory = join(dir, 'estate.jsonl');
  writeFileSync(inventory, `${JSON.stringify(record)}\n`);
  const made = await runCli(['fix', '-d', DICT, '-i', inventory, '--plan-out', 'plan.json'], { cwd: dir });
  expect(made.code).toBe(1);
  return { dir, plan: JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan };
}

function save(dir: string, plan: Plan): string {
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  writeFileSync(join(dir, 'plan.json'), text);
  return text;
}

/** line:col of the value of the first `"field": value` in the text (an object: of the first `"field": `). */
function at(text: string, field: string, value: unknown): string {
  const shown = typeof value === 'object' && value !== null ? '' : JSON.stringify(value);
  const needle = `"${field}": ${shown}`;
  const i = text.indexOf(needle);
  expect(i, needle).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i + needle.length - shown.length).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

async function refused(dir: string, text: string, field: string, value: unknown, message: string): Promise<void> {
  const r = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
  expect(r.stderr).toBe(`tagaudit: ${join(dir, 'plan.json')}:${at(text, field, value)}: ${message}\n`);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
}

async function loads(dir: string): Promise<void> {
  const r = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
}

describe("fix --plan: a resource's account and region are its ARN's", () => {
  it.each<[string, string, string]>([
    ['accountId', EMAIL, '"accountId" does not match the ARN\'s account 111122223333 (at resources.0.accountId)'],
    ['accountId', '444455556666', '"accountId" does not match the ARN\'s account 111122223333 (at resources.0.accountId)'],
    ['accountId', '', '"accountId" does not match the ARN\'s account 111122223333 (at resources.0.accountId)'],
    ['region', 'mars-1', '"region" does not match the ARN\'s region us-east-1 (at resources.0.region)'],
    ['region', 'eu-west-1', '"region" does not match the ARN\'s region us-east-1 (at resources.0.region)'],
    ['region', 'global', '"region" does not match the ARN\'s region us-east-1 (at resources.0.region)'],
  ])('%s %j is refused, nothing from the plan quoted', async (field, value, message) => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    plan.resources[0]![field] = value;
    const text = save(dir, plan);
    await refused(dir, text, field, value, message);
  });

  it("an ARN whose region is no region name is refused even when the plan's region matches it", async () => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    const arn = ENDPOINT.replace('us-east-1', 'mars-1');
    Object.assign(plan.resources[0]!, { arn, region: 'mars-1' });
    const text = save(dir, plan);
    await refused(dir, text, 'arn', arn, "the ARN's region is not an AWS region name (at resources.0.arn)");
  });

  it('an ARN without account or region (an S3 bucket): an account id or none, a region name or global', async () => {
    const { dir, plan } = await savedPlan({ arn: BUCKET, tags: TAGS });
    expect(plan.resources[0]).toMatchObject({ accountId: '', region: 'global' });
    for (const [accountId, region] of [
      ['111122223333', 'eu-west-1'],
      ['', 'global'],
    ]) {
      Object.assign(plan.resources[0]!, { accountId, region });
      save(dir, plan);
      await loads(dir);
    }
    for (const [field, value, message] of [
      ['accountId', EMAIL, '"accountId" must be a 12-digit AWS account id (the ARN names none) (at resources.0.accountId)'],
      ['accountId', '1111', '"accountId" must be a 12-digit AWS account id (the ARN names none) (at resources.0.accountId)'],
      ['region', 'mars-1', '"region" must be an AWS region name or global (the ARN names none) (at resources.0.region)'],
      ['region', '', '"region" must be an AWS region name or global (the ARN names none) (at resources.0.region)'],
    ] as const) {
      Object.assign(plan.resources[0]!, { accountId: '', region: 'global', [field]: value });
      const text = save(dir, plan);
      await refused(dir, text, field, value, message);
    }
  });
});

describe('fix --plan: fields the planner does not write', () => {
  it('an unknown field on an edit is refused at it, with a hint for a likely typo', async () => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    edits(plan)[0]!.extra = 'x';
    let text = save(dir, plan);
    await refused(dir, text, 'extra', 'x', 'unknown field "extra" on an add edit (at resources.0.edits.0.extra)');

    delete edits(plan)[0]!.extra;
    edits(plan)[0]!.parentarn = 'x';
    text = save(dir, plan);
    await refused(dir, text, 'parentarn', 'x', 'unknown field "parentarn" on an add edit (did you mean "parentArn"?) (at resources.0.edits.0.parentarn)');
  });

  it('a field of another kind of edit is refused too (a digest on an add)', async () => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    const digest = { keySha256: '0'.repeat(64), valueSha256: '0'.repeat(64) };
    edits(plan)[0]!.digest = digest;
    const text = save(dir, plan);
    await refused(dir, text, 'digest', digest, 'unknown field "digest" on an add edit (at resources.0.edits.0.digest)');
  });

  it("an undo plan's copiedFrom is refused", async () => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    edits(plan)[0]!.copiedFrom = 'env';
    const text = save(dir, plan);
    await refused(dir, text, 'copiedFrom', 'env', '"copiedFrom" is for undo only (at resources.0.edits.0.copiedFrom)');
  });

  it('an unknown field on a resource is refused, its name masked when it holds personal data', async () => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    plan.resources[0]![EMAIL] = 1;
    const text = save(dir, plan);
    const r = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
    expect(r.stderr).toMatch(new RegExp(`^tagaudit: ${dir}/plan\\.json:${at(text, EMAIL, 1)}: unknown field "j\\*+@[^"]+" on a resource \\(at resources\\.0\\."j\\*+@[^"]+"\\)\\n$`));
    expect(r.stderr).not.toContain(EMAIL);
    expect(r.code).toBe(2);
  });

  it('"parentArns" must be a list of strings', async () => {
    const { dir, plan } = await savedPlan({ arn: ENDPOINT, tags: TAGS });
    plan.resources[0]!.parentArns = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/c1';
    const text = save(dir, plan);
    await refused(dir, text, 'parentArns', plan.resources[0]!.parentArns, "\"parentArns\" must be an array of strings (the parents' ARNs) (at resources.0.parentArns)");
  });
});

describe('fix --resume: the plan a journal recorded is checked the same way', () => {
  it('an unknown field on a resource, named masked', async () => {
    const f = await fixedJournal();
    editRecord(f.journal, 'plan', (r) => (((r.plan as Plan).resources[0]!)[EMAIL] = 1));
    const r = await runCli(['fix', '--resume', f.journal, '--apply', '--yes'], { cwd: f.dir });
    expect(r.stderr).toMatch(/^tagaudit: \S+: the journal's plan is invalid: unknown field "j\*+@[^"]+" on a resource \(at plan\.resources\.0\."j\*+@[^"]+"\)\n$/);
    expect(r.stderr).not.toContain(EMAIL);
    expect(r.code).toBe(2);
  });
});

describe('fix --plan: a plan of the demo estate', () => {
  it('loads as --plan-out wrote it, and saved again it is the same file', async () => {
    const dir = tempDir();
    const demo = resolve('examples/demo-estate.jsonl');
    const all = ['--fix-type', 'rename-key,normalize-value,add-default,inherit', '--fix-pii', 'redact'];
    const made = await runCli(['fix', '-d', DICT, '-i', demo, ...all, '--plan-out', 'a.json', '-q'], { cwd: dir });
    expect(made.code).toBe(1);
    const again = await runCli(['fix', '-d', DICT, '--plan', 'a.json', '--plan-out', 'b.json', '-q'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    const a = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(a);
    // The fields this test is about are all there to be checked.
    expect(a).toContain('"parentArn"');
    expect(a).toContain('"valueType"');
    expect(a).toContain('"digest"');
  });
});
