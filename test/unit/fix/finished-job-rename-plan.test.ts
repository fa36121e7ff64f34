import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { planFromAudit, resource } from './helpers.js';

// Review s14, item 5: the scan's rename on a finished job's cost-allocation key keeps the job's value (rules side:
// test/unit/rules/finished-job-rename.test.ts); the plan still renames keeping it and lists the parent's value as
// skipped (finished-job).

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const policy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: [{ key: 'cost-center', costAllocation: true, mandatory: true, pattern: /^[0-9]{4}$/u, aliases: ['CostCenter'], valueAliases: { 'cc-9999': '9999' } }],
});
const hpo = resource(`${P}hyper-parameter-tuning-job/hpo-1`, { 'cost-center': '1234' });
const job = (name: string, tags: Record<string, string>) => resource(`${P}training-job/${name}`, tags, { state: 'Failed', parentArns: [hpo.arn] });

describe('plan: a deprecated cost-allocation key on a finished job', () => {
  it("is renamed keeping the job's value; the parent's value is listed as skipped (finished-job)", () => {
    const tj = job('tj-1', { CostCenter: '9999' });
    const plan = planFromAudit(policy, [hpo, tj]);
    expect(plan.resources.find((r) => r.arn === tj.arn)?.edits).toEqual([
      { op: 'rename', type: 'rename-key', from: 'CostCenter', to: 'cost-center', expected: '9999', value: '9999', noPastCost: true },
    ]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ arn: tj.arn, ruleId: 'inherited-tag-drift', reason: 'finished-job', detail: expect.stringContaining('keeping its value') }),
    ]);
  });

  it('a value alias is normalised by the rename (no parent value over it)', () => {
    const tj = job('tj-2', { CostCenter: 'cc-9999' });
    const plan = planFromAudit(policy, [hpo, tj]);
    expect(plan.resources.find((r) => r.arn === tj.arn)?.edits).toEqual([
      { op: 'rename', type: 'rename-key', from: 'CostCenter', to: 'cost-center', expected: 'cc-9999', value: '9999', valueType: 'normalize-value', noPastCost: true },
    ]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ arn: tj.arn, reason: 'finished-job', detail: expect.stringContaining('with its own value "9999"') }),
    ]);
  });
});
