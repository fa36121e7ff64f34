import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { planFromAudit, resource } from './helpers.js';

// Review s14, item 6: a parent carrying one of the key's sharedValues is no reference for it, so it is ignored and
// the other parents decide (it used to veto them, and the child got nothing).

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const policy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: [{ key: 'tenant', costAllocation: true, mandatory: true, values: ['acme', 'globex', 'shared'], sharedValues: ['shared'] }],
});
const tuning = resource(`${P}hyper-parameter-tuning-job/acme-hpo`, { tenant: 'acme' });
const pipeline = resource(`${P}pipeline/pool`, { tenant: 'shared' });

describe('planner: one shared and one owning parent', () => {
  it.each([
    ['tuning job first', [tuning.arn, pipeline.arn]],
    ['pipeline first', [pipeline.arn, tuning.arn]],
  ])("a job without the key gets the owning parent's value (%s)", (_name, parentArns) => {
    const child = resource(`${P}training-job/acme-001`, {}, { parentArns });
    const plan = planFromAudit(policy, [tuning, pipeline, child]);
    const planned = plan.resources.find((r) => r.arn === child.arn);
    expect(planned?.edits).toEqual([{ op: 'add', type: 'inherit', key: 'tenant', value: 'acme', parentArn: tuning.arn }]);
  });

  it("a job carrying another tenant is set to the owning parent's", () => {
    const child = resource(`${P}training-job/acme-002`, { tenant: 'globex' }, { parentArns: [pipeline.arn, tuning.arn] });
    const plan = planFromAudit(policy, [tuning, pipeline, child]);
    expect(plan.resources.find((r) => r.arn === child.arn)?.edits).toEqual([
      { op: 'set', type: 'inherit', key: 'tenant', expected: 'globex', value: 'acme', parentArn: tuning.arn },
    ]);
  });

  it('the pipeline alone gives nothing: its `shared` is never copied', () => {
    const child = resource(`${P}training-job/pool-001`, {}, { parentArns: [pipeline.arn] });
    const plan = planFromAudit(policy, [pipeline, child]);
    expect(plan.resources.find((r) => r.arn === child.arn)).toBeUndefined();
  });
});
