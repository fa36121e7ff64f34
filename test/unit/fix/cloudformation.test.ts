import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { cloudFormationStackOf, isCloudFormationStack, stackSetNameOf } from '../../../src/fix/cloudformation.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { readPlanFile, writePlanFile } from '../../../src/fix/plan-file.js';
import { renderPlan, stackWarning } from '../../../src/fix/render-plan.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { DEV, lambda, planFromAudit, resource } from './helpers.js';
import { tempDir } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const SSN = '078051120';
const INSTANCE = 'StackSet-org-guardrails-7d9a4c3e-1c2b-4a3b-9f0e-123456789abc';
const STACK_ARN = `arn:aws:cloudformation:us-east-1:${DEV}:stack/ml-scoring-prod/3f2504e0-4f89-11d3-9a0c-0305e82c3301`;

/** The tags CloudFormation puts on a resource it created. */
function stackTags(stackName: string, logicalId: string): Record<string, string> {
  return {
    'aws:cloudformation:stack-name': stackName,
    'aws:cloudformation:stack-id': `arn:aws:cloudformation:us-east-1:${DEV}:stack/${stackName}/3f2504e0-4f89-11d3-9a0c-0305e82c3301`,
    'aws:cloudformation:logical-id': logicalId,
  };
}

const managed = lambda('scorer', { ...tagsWith({ [ENV]: undefined, env: 'prod' }), ...stackTags('ml-scoring-prod', 'ScorerFunction') });
const adhoc = lambda('adhoc', tagsWith({ [ENV]: 'Prod' }));

async function loadError(file: string, withDictionary = false): Promise<string> {
  try {
    await readPlanFile(file, withDictionary ? async () => ({ policy, sameDictionary: true }) : undefined);
  } catch (err) {
    if (err instanceof UsageError) return err.toLine().replace(file, 'plan.json');
    throw err;
  }
  throw new Error('no error');
}

describe('CloudFormation: reading the stack tags', () => {
  it('takes the stack name and logical id, in any casing of the keys; nothing without a stack name', () => {
    expect(cloudFormationStackOf(stackTags('app', 'Fn'))).toEqual({ stackName: 'app', logicalId: 'Fn' });
    expect(cloudFormationStackOf({ 'AWS:CloudFormation:Stack-Name': 'app' })).toEqual({ stackName: 'app' });
    expect(cloudFormationStackOf({ 'aws:cloudformation:logical-id': 'Fn', 'aws:cloudformation:stack-name': '' })).toBeUndefined();
    expect(cloudFormationStackOf({ 'cloudformation:stack-name': 'app', stack: 'app' })).toBeUndefined();
  });

  it('tells a stack-set instance by its StackSet-<set>-<uuid> name', () => {
    expect(stackSetNameOf(INSTANCE)).toBe('org-guardrails');
    expect(stackSetNameOf('ml-scoring-prod')).toBeUndefined();
    expect(stackSetNameOf('StackSet-no-uuid')).toBeUndefined();
  });

  it('knows a stack or stack set itself, by type or by ARN', () => {
    expect(isCloudFormationStack({ arn: STACK_ARN, resourceType: 'cloudformation:stack' })).toBe(true);
    expect(isCloudFormationStack({ arn: STACK_ARN, resourceType: 'AWS::CloudFormation::Stack' })).toBe(true);
    expect(isCloudFormationStack({ arn: `arn:aws:cloudformation:us-east-1:${DEV}:stackset/guardrails:0f1e`, resourceType: 'x' })).toBe(true);
    expect(isCloudFormationStack({ arn: managed.arn, resourceType: managed.resourceType })).toBe(false);
  });
});

describe('CloudFormation: planning', () => {
  it('marks a resource with edits whose tags name a stack; one without stays unmarked', () => {
    const plan = planFromAudit(policy, [managed, adhoc]);
    const byArn = new Map(plan.resources.map((r) => [r.arn, r]));
    expect(byArn.get(managed.arn)!.cloudFormation).toEqual({ stackName: 'ml-scoring-prod', logicalId: 'ScorerFunction' });
    expect(byArn.get(managed.arn)!.edits).toEqual([{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production', valueType: 'normalize-value' }]);
    expect(byArn.get(adhoc.arn)).toBeDefined();
    expect('cloudFormation' in byArn.get(adhoc.arn)!).toBe(false);
  });

  it('never plans an edit of the aws:cloudformation tags themselves', () => {
    const plan = planFromAudit(policy, [managed]);
    const touched = plan.resources.flatMap((r) => r.edits.flatMap((e) => (e.op === 'rename' ? [e.from, e.to] : [e.key])));
    expect(touched.filter((k) => k.toLowerCase().startsWith('aws:'))).toEqual([]);
    expect(plan.resources[0]!.expectedTags.map((t) => t.key).filter((k) => k.startsWith('aws:'))).toEqual([]);
  });

  it('shows the stack name through the resource mask, like every displayed value', () => {
    const r = lambda('batch', { ...tagsWith({ [ENV]: undefined, env: 'prod' }), ssn: SSN, ...stackTags(`batch-${SSN}`, 'Batch') });
    const plan = planFromAudit(policy, [r]);
    const stack = plan.resources[0]!.cloudFormation!;
    expect(stack.stackName).toMatch(/^batch-/);
    expect(stack.stackName).not.toContain(SSN);
    expect(JSON.stringify(plan)).not.toContain(SSN);
    expect(renderPlan(plan)).not.toContain(SSN);
  });

  it('skips a stack (and a stack set) itself with a reason, instead of writing it', () => {
    const stack = resource(STACK_ARN, tagsWith({ [ENV]: undefined, env: 'prod' }));
    const set = resource(`arn:aws:cloudformation:us-east-1:${DEV}:stackset/guardrails:0f1e2d3c-aaaa-bbbb-cccc-000000000000`, tagsWith({ [ENV]: 'Prod' }));
    const plan = planFromAudit(policy, [stack, set, adhoc]);
    expect(plan.resources.map((r) => r.arn)).toEqual([adhoc.arn]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ arn: stack.arn, ruleId: 'deprecated-tag-key', key: 'env', reason: 'cloudformation-stack', detail: expect.stringContaining('stack update') }),
      expect.objectContaining({ arn: set.arn, reason: 'cloudformation-stack' }),
    ]);
  });
});

describe('CloudFormation: the preview', () => {
  it('prints the stack under the header of a managed resource only, and counts them in the last line', () => {
    const text = renderPlan(planFromAudit(policy, [managed, adhoc]), { title: 'Plan (dry run)' });
    expect(text).toContain(
      `${managed.arn}  (${DEV} us-east-1 lambda:function)\n` +
        '  managed by CloudFormation stack ml-scoring-prod, logical id ScorerFunction:\n' +
        '    its next update may revert these edits unless its template is changed too\n' +
        `  rename-key+normalize-value  env="prod" → ${ENV}="production"\n`,
    );
    expect(text).toContain(`${adhoc.arn}  (${DEV} us-east-1 lambda:function)\n  normalize-value             ${ENV}="Prod" → ${ENV}="production"\n`);
    expect(text.match(/managed by CloudFormation stack/g)).toHaveLength(1);
    const last = text.trimEnd().split('\n').at(-1);
    expect(last).toBe('Plan (dry run): 2 resources to change (1 of them managed by CloudFormation), 2 edits (normalize-value 1, rename-key+normalize-value 1); 0 conflicts; 0 skipped');
  });

  it('says nothing of CloudFormation when no resource is managed', () => {
    const text = renderPlan(planFromAudit(policy, [adhoc]));
    expect(text).not.toContain('CloudFormation');
    expect(text).toMatch(/Plan: 1 resource to change, 1 edit \(normalize-value 1\); 0 conflicts; 0 skipped\n$/);
  });

  it('names a stack-set instance by its set, whose template is the one to change', () => {
    expect(stackWarning({ stackName: INSTANCE, logicalId: 'GuardFunction' })).toEqual([
      '  managed by CloudFormation stack set org-guardrails, logical id GuardFunction:',
      '    its next update may revert these edits unless its template is changed too',
    ]);
    expect(stackWarning({ stackName: 'app' })[0]).toBe('  managed by CloudFormation stack app:');
  });

  it('stays within 100 columns for a 30-character stack name and a 20-character logical id', () => {
    for (const line of stackWarning({ stackName: 'x'.repeat(30), logicalId: 'y'.repeat(20) })) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('CloudFormation: the plan file', () => {
  it('round-trips the stack (with the dictionary checks too)', async () => {
    const plan = planFromAudit(policy, [managed, adhoc]);
    const file = join(tempDir(), 'plan.json');
    await writePlanFile(file, plan);
    expect(await readPlanFile(file, async () => ({ policy, sameDictionary: true }))).toEqual(plan);
  });

  it('round-trips a masked stack name', async () => {
    const r = lambda('batch', { ...tagsWith({ [ENV]: undefined, env: 'prod' }), ssn: SSN, ...stackTags(`batch-${SSN}`, 'Batch') });
    const plan = planFromAudit(policy, [r]);
    const file = join(tempDir(), 'plan.json');
    await writePlanFile(file, plan);
    expect(await readPlanFile(file, async () => ({ policy, sameDictionary: true }))).toEqual(plan);
  });

  it('loads a plan from before the field existed', async () => {
    const plan = planFromAudit(policy, [adhoc]);
    expect(plan.resources[0]).not.toHaveProperty('cloudFormation');
    const file = join(tempDir(), 'plan.json');
    await writePlanFile(file, plan);
    const loaded = await readPlanFile(file);
    expect(renderPlan(loaded)).not.toContain('CloudFormation');
  });

  it('refuses a malformed stack, a stack ARN, and a stack name holding personal data', async () => {
    const base = planFromAudit(policy, [managed]);
    const write = (edit: (p: { resources: Record<string, unknown>[] }) => void): string => {
      const p = JSON.parse(JSON.stringify(base)) as FixPlan & { resources: Record<string, unknown>[] };
      edit(p);
      const file = join(tempDir(), 'plan.json');
      writeFileSync(file, JSON.stringify(p, null, 2));
      return file;
    };
    expect(await loadError(write((p) => (p.resources[0]!.cloudFormation = 'ml-scoring-prod')))).toContain(
      '"cloudFormation" must be {stackName, logicalId?} (at resources.0.cloudFormation)',
    );
    expect(await loadError(write((p) => (p.resources[0]!.cloudFormation = { stackName: '' })))).toContain('"stackName" must not be empty');
    expect(await loadError(write((p) => (p.resources[0]!.cloudFormation = { stackName: 'a', logicalId: 5 })))).toContain('"logicalId" must be a string');
    expect(await loadError(write((p) => Object.assign(p.resources[0]!, { arn: STACK_ARN, resourceType: 'cloudformation:stack' })))).toContain(
      "a CloudFormation stack's own tags are changed with CloudFormation, never by a plan (at resources.0.arn)",
    );
    const pii = await loadError(write((p) => (p.resources[0]!.cloudFormation = { stackName: 'jane.doe@example.com' })), true);
    expect(pii).toContain('"stackName" holds personal data (email');
    expect(pii).not.toContain('jane.doe@example.com');
  });
});
