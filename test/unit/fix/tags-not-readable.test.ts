import { describe, expect, it } from 'vitest';
import { tagsNotReadable } from '../../../src/fix/unreadable-tags.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { DEV, lambda, planFromAudit, resource } from './helpers.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const ASG = `arn:aws:autoscaling:us-east-1:${DEV}:autoScalingGroup:dbc33737-9848-497a-89f7-d8d6ba39e801:autoScalingGroupName/gpu-workers`;
const ROLE = `arn:aws:iam::${DEV}:role/ml-training`;
const PROFILE = `arn:aws:iam::${DEV}:instance-profile/ml-training`;

describe('fix: resources whose tags the fixer cannot read', () => {
  it('knows IAM types other than users and roles only: those are read through IAM, Auto Scaling groups through Auto Scaling', () => {
    expect(tagsNotReadable('iam:role')).toBe(false);
    expect(tagsNotReadable('iam:user')).toBe(false);
    for (const other of ['iam:policy', 'iam:instance-profile', 'iam:oidc-provider', 'iam:saml-provider', 'iam:server-certificate']) expect(tagsNotReadable(other)).toBe(true);
    expect(tagsNotReadable('autoscaling:autoScalingGroup')).toBe(false);
    expect(tagsNotReadable('lambda:function')).toBe(false);
    expect(tagsNotReadable('sagemaker:training-job')).toBe(false);
  });

  it('plans no edit for unreadable IAM types (each fix skipped with the reason), and plans roles and Auto Scaling groups like any resource', () => {
    const group = resource(ASG, tagsWith({ [ENV]: undefined, env: 'prod' }));
    const role = resource(ROLE, tagsWith({ [ENV]: 'Prod' }));
    const profile = resource(PROFILE, tagsWith({ [ENV]: 'Prod' }));
    const fn = lambda('scorer', tagsWith({ [ENV]: 'Prod' }));
    const plan = planFromAudit(policy, [group, role, profile, fn]);
    expect(plan.resources.map((r) => r.arn).sort()).toEqual([ASG, ROLE, fn.arn].sort());
    const planned = plan.resources.find((r) => r.arn === ASG)!;
    expect(planned.resourceType).toBe('autoscaling:autoScalingGroup');
    expect(planned.edits).toEqual([expect.objectContaining({ op: 'rename', type: 'rename-key', from: 'env', to: ENV })]);
    const skipped = plan.skipped.filter((s) => s.reason === 'tags-not-readable');
    expect(skipped.map((s) => s.arn)).toEqual([PROFILE]);
    expect(skipped[0]).toMatchObject({ ruleId: expect.any(String), key: ENV });
    expect(skipped[0]!.detail).toContain('GetResources does not return the tags of iam resources');
  });
});
