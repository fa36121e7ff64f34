import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import type { ResourceOutcome } from '../../../src/fix/apply.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { planFromAudit, resource } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';

const policy = anycompanyPolicy();
const CC = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
// The tuning job as its own list call returns it; its training job names it lower-cased (boto3#4606).
const HPO = `${P}hyper-parameter-tuning-job/Churn-HPO-240512`;
const JOB = `${P}training-job/churn-hpo-240512-001-1f2e3d4c`;

/** Both need a key rename (`env` → the dictionary's key), so both are in the plan; the job disagrees with its parent. */
const parent = resource(HPO, tagsWith({ [CC]: 'Sales-7000', [ENV]: undefined, env: 'prod' }));
const child = resource(JOB, tagsWith({ [CC]: 'Sales-5045', [ENV]: undefined, env: 'prod' }), { parentArns: [HPO.toLowerCase()] });

function outcome(r: Resource): ResourceOutcome {
  return { arn: r.arn, accountId: r.accountId, region: r.region, resourceType: r.resourceType, status: 'fixed' };
}

async function verifyChild(touched: readonly Resource[]) {
  const plan = planFromAudit(policy, [parent, child]);
  expect(plan.resources.map((r) => r.arn).sort()).toEqual([JOB, HPO].sort());
  const cloud = new MemoryCloud({ [HPO]: { ...parent.tags }, [JOB]: { ...child.tags } });
  const auditor = createAuditor(policy);
  const verified = await verifyApplied({
    plan,
    outcomes: touched.map(outcome),
    backend: cloud.backend(),
    secrets: new Map(),
    audit: (r, lookup) => auditor.audit(r, lookup),
  });
  const reads = cloud.calls.filter((c) => c.api === 'read').flatMap((c) => c.arns);
  return { findings: verified.find((v) => v.arn === JOB)!.findings, reads };
}

describe('verifyApplied: a SageMaker parent named in another case', () => {
  it('is the re-read parent the plan touched, by its own ARN', async () => {
    const { findings, reads } = await verifyChild([parent, child]);
    const drift = findings.filter((f) => f.ruleId === 'inherited-tag-drift');
    expect(drift).toHaveLength(1);
    expect(drift[0]!.data).toMatchObject({ parentArn: HPO, parentValue: 'Sales-7000' });
    // Read once, as listed: SageMaker answers "Resource does not exist" to an ARN in the wrong case.
    expect(reads.filter((a) => a.toLowerCase() === HPO.toLowerCase())).toEqual([HPO]);
  });

  it('is read by the ARN the plan holds for it when the plan did not touch it', async () => {
    const { findings, reads } = await verifyChild([child]);
    expect(findings.filter((f) => f.ruleId === 'inherited-tag-drift').map((f) => f.data?.parentArn)).toEqual([HPO]);
    expect(reads).toContain(HPO);
    expect(reads).not.toContain(HPO.toLowerCase());
  });
});
