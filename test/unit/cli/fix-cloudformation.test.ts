import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { runCli } from '../../support/cli.js';
import { dictionaryYaml, ENV, environmentTag, ownerTag } from '../../support/dictionary-yaml.js';
import { deps, fixOptions, inventoryWorkspace, noClients, type InventoryWorkspace } from '../../support/fix-command.js';
import { MemoryCloud } from '../fix/memory-cloud.js';

// `tagaudit fix` on an inventory where one Lambda function belongs to a CloudFormation stack, one to a stack-set
// instance, one to none, and the stack itself has a fixable tag.
const DICTIONARY = dictionaryYaml('cfn-test', [environmentTag(), ownerTag()], { prefixed: true });
const OWNER = { 'anycompany:finance:owner': 'ml-platform' };
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/ml-scoring-prod/3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const CFN = { 'aws:cloudformation:stack-name': 'ml-scoring-prod', 'aws:cloudformation:stack-id': STACK_ID, 'aws:cloudformation:logical-id': 'ScorerFunction' };
const SCORER = 'arn:aws:lambda:us-east-1:111122223333:function:scorer';
const GUARD = 'arn:aws:lambda:us-east-1:111122223333:function:guard';
const ADHOC = 'arn:aws:lambda:us-east-1:111122223333:function:adhoc';
const RESOURCES = [
  { arn: SCORER, tags: { ...OWNER, env: 'prod', ...CFN } },
  { arn: GUARD, tags: { ...OWNER, [ENV]: 'Prod', 'AWS:CloudFormation:Stack-Name': 'StackSet-org-guardrails-7d9a4c3e-1c2b-4a3b-9f0e-123456789abc' } },
  { arn: ADHOC, tags: { ...OWNER, [ENV]: 'Prod' } },
  { arn: STACK_ID, tags: { ...OWNER, env: 'prod' } },
];
const HEADER = (arn: string): string => `${arn}  (111122223333 us-east-1 lambda:function)`;
const REVERT = '    its next update may revert these edits unless its template is changed too';

const workspace = (): InventoryWorkspace => inventoryWorkspace(RESOURCES, DICTIONARY);

function expectPreview(stdout: string, title: string): void {
  expect(stdout).toContain(
    `${HEADER(SCORER)}\n  managed by CloudFormation stack ml-scoring-prod, logical id ScorerFunction:\n${REVERT}\n  rename-key+normalize-value  env="prod" → ${ENV}="production"\n`,
  );
  expect(stdout).toContain(`${HEADER(GUARD)}\n  managed by CloudFormation stack set org-guardrails:\n${REVERT}\n  normalize-value             ${ENV}="Prod"`);
  expect(stdout).toContain(`${HEADER(ADHOC)}\n  normalize-value             ${ENV}="Prod" → ${ENV}="production"\n`);
  expect(stdout).toContain(`${STACK_ID}  deprecated-tag-key "env": a stack's own tags change through a stack update`);
  expect(stdout.trimEnd().split('\n').at(-1)).toBe(
    `${title}: 3 resources to change (2 of them managed by CloudFormation), 3 edits (normalize-value 2, rename-key+normalize-value 1); 0 conflicts; 1 skipped (cloudformation-stack 1)`,
  );
}

describe('tagaudit fix: resources a CloudFormation stack manages', () => {
  it('the dry run marks each managed resource under its header and counts them; the stack itself is skipped', async () => {
    const { dir, inventory, dictionary } = workspace();
    const { code, stdout } = await runCli(['fix', '--dictionary', dictionary, '--inventory', inventory], { cwd: dir });
    expect(code).toBe(1);
    expectPreview(stdout, 'Plan (dry run; nothing written — add --apply)');
    for (const line of stdout.split('\n').filter((l) => l.includes('CloudFormation stack') || l === REVERT)) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--plan-out records the stack; --plan shows the same lines and count', async () => {
    const { dir, inventory, dictionary } = workspace();
    expect((await runCli(['fix', '-d', dictionary, '-i', inventory, '--plan-out', 'plan.json'], { cwd: dir })).code).toBe(1);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    const byArn = new Map(plan.resources.map((r: { arn: string }) => [r.arn, r]));
    expect(byArn.get(SCORER)).toMatchObject({ cloudFormation: { stackName: 'ml-scoring-prod', logicalId: 'ScorerFunction' } });
    expect(byArn.get(GUARD)).toMatchObject({ cloudFormation: { stackName: 'StackSet-org-guardrails-7d9a4c3e-1c2b-4a3b-9f0e-123456789abc' } });
    expect(byArn.get(ADHOC)).not.toHaveProperty('cloudFormation');
    expect(byArn.has(STACK_ID)).toBe(false);
    const again = await runCli(['fix', '-d', dictionary, '--plan', 'plan.json'], { cwd: dir });
    expect(again.code).toBe(1);
    expectPreview(again.stdout, 'Plan (dry run; nothing written — add --apply)');
  });

  it('applying a loaded plan shows the count, asks with it, writes the managed resources too, and never an aws: tag', async () => {
    const { dir, inventory, dictionary } = workspace();
    expect((await runCli(['fix', '-d', dictionary, '-i', inventory, '--plan-out', 'plan.json'], { cwd: dir })).code).toBe(1);
    const cloud = memoryCloud();
    const asked: string[] = [];
    const d = deps(dir, { interactive: true, prompt: async (q) => (asked.push(q), 'y') });
    const code = await runFix(applyOptions(dictionary, { planFile: 'plan.json' }), d, { clients: noClients, backend: cloud.backend() });
    expect(asked).toEqual(['Apply 3 edits to 3 resources (2 of them managed by CloudFormation)? [y/N] ']);
    expect(d.out.text()).toContain('Plan: 3 resources to change (2 of them managed by CloudFormation)');
    expect(d.out.text()).toContain('Applied: 3 resources: 3 written');
    expect(code).toBe(0);
    expect(cloud.tags.get(SCORER)).toEqual({ ...OWNER, [ENV]: 'production', ...CFN });
    expect(cloud.tags.get(STACK_ID)).toEqual({ ...OWNER, env: 'prod' });
    const written = cloud.writes().flatMap((c) => [...Object.keys(c.tags ?? {}), ...(c.keys ?? [])]);
    expect(written.filter((k) => k.toLowerCase().startsWith('aws:'))).toEqual([]);
    expect(cloud.writes().flatMap((c) => c.arns)).not.toContain(STACK_ID);
  });

  it('--format json and --resume print no plan: the count is a note', async () => {
    const { dir, inventory, dictionary } = workspace();
    expect((await runCli(['fix', '-d', dictionary, '-i', inventory, '--plan-out', 'plan.json'], { cwd: dir })).code).toBe(1);
    const cloud = memoryCloud();
    cloud.hook = (call) => Object.fromEntries(call.arns.map((arn) => [arn, { code: 'AccessDeniedException', message: 'denied' }]));
    const json = deps(dir);
    const options = applyOptions(dictionary, { planFile: 'plan.json', yes: true, journal: 'j.jsonl' });
    expect(await runFix({ ...options, scan: { ...options.scan, format: 'json' } }, json, { clients: noClients, backend: cloud.backend() })).toBe(3);
    const note = 'tagaudit: 2 of 3 resources in the plan are managed by CloudFormation:';
    expect(json.err.text()).toContain(note);
    expect(JSON.parse(json.out.text()).plan.cloudFormationManaged).toBe(2);

    cloud.hook = undefined;
    const asked: string[] = [];
    const resumed = deps(dir, { interactive: true, prompt: async (q) => (asked.push(q), 'y') });
    expect(await runFix(applyOptions(dictionary, { resume: 'j.jsonl' }), resumed, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(asked).toEqual([expect.stringContaining('to 3 resources (2 of them managed by CloudFormation)? [y/N] ')]);
    expect(resumed.err.text()).toContain(note);
    expect(cloud.tags.get(GUARD)).toMatchObject({ [ENV]: 'production' });
  });
});

function memoryCloud(): MemoryCloud {
  return new MemoryCloud(Object.fromEntries(RESOURCES.map((r) => [r.arn, { ...r.tags }])));
}

/** `fix --apply` from a plan file or a journal: no inventory. */
const applyOptions = (dictionary: string, extra: Partial<FixOptions>): FixOptions => fixOptions(dictionary, { apply: true, ...extra });
