import { describe, expect, it } from 'vitest';
import { tagsNotReadable } from '../../../src/fix/unreadable-tags.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { DEV, lambda, planFromAudit, resource } from './helpers.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const ASG = `arn:aws:autoscaling:us-east-1:${DEV}:autoScalingGroup:dbc33737-9848-497a-89f7-d8d6ba39e801:autoScalingGroupName/gpu-workers`;
const ROLE = `arn:aws:iam::${DEV}:role/ml-training`;

describe('fix: resources whose tags GetResources does not return', () => {
  it('knows IAM and Auto Scaling types, and nothing else', () => {
    expect(tagsNotReadable('autoscaling:autoScalingGroup')).toBe(true);
    expect(tagsNotReadable('iam:role')).toBe(true);
    expect(tagsNotReadable('lambda:function')).toBe(false);
    expect(tagsNotReadable('sagemaker:training-job')).toBe(false);
  });

  it('plans no edit for them: each fix is skipped with the reason, the other resources are planned', () => {
    const group = resource(ASG, tagsWith({ [ENV]: undefined, env: 'prod' }));
    const role = resource(ROLE, tagsWith({ [ENV]: 'Prod' }));
    const fn = lambda('scorer', tagsWith({ [ENV]: 'Prod' }));
    const plan = planFromAudit(policy, [group, role, fn]);
    expect(plan.resources.map((r) => r.arn)).toEqual([fn.arn]);
    const skipped = plan.skipped.filter((s) => s.reason === 'tags-not-readable');
    expect(new Set(skipped.map((s) => s.arn))).toEqual(new Set([ASG, ROLE]));
    expect(skipped.find((s) => s.arn === ASG)).toMatchObject({ ruleId: 'deprecated-tag-key', key: 'env' });
    expect(skipped.find((s) => s.arn === ASG)!.detail).toContain('GetResources does not return the tags of autoscaling resources');
  });
});
