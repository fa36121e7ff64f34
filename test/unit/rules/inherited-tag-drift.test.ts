import { describe, expect, it } from 'vitest';
import { inheritedTagDrift } from '../../../src/rules/inherited-tag-drift.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditSpec, makeResource, ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const CLASS = 'anycompany:security:data-classification';
const policy = anycompanyPolicy();

const hpo = makeResource({
  arn: 'arn:aws:sagemaker:us-east-1:444455556666:hyper-parameter-tuning-job/hpo-1',
  resourceType: 'sagemaker:hyper-parameter-tuning-job',
  tags: tagsWith({ [COST]: 'Sales-7000', [ENV]: 'prod', [CLASS]: 'restricted' }),
});
const pipeline = makeResource({
  arn: 'arn:aws:sagemaker:us-east-1:444455556666:pipeline/p',
  resourceType: 'sagemaker:pipeline',
  tags: tagsWith({ [COST]: 'Sales-8000' }),
});
const child = { parentArns: [hpo.arn], others: [hpo] };

ruleTester(inheritedTagDrift, {
  policy,
  valid: [
    { name: 'no parents', tags: COMPLIANT_TAGS },
    { name: 'agrees with the parent (after normalising its "prod")', ...child, tags: tagsWith({ [COST]: 'Sales-7000' }) },
    { name: 'parent not in the scan', parentArns: ['arn:aws:sagemaker:us-east-1:444455556666:hyper-parameter-tuning-job/gone'], tags: COMPLIANT_TAGS },
    {
      name: 'parents disagree: copying one would be a guess',
      parentArns: [hpo.arn, pipeline.arn],
      others: [hpo, pipeline],
      tags: tagsWith({ [COST]: '1234' }),
    },
    { name: 'keys that are not cost allocation are not inherited', ...child, tags: tagsWith({ [COST]: 'Sales-7000', [CLASS]: 'public' }) },
    { name: 'a missing mandatory key is missing-tag’s (with the parent’s value)', ...child, tags: tagsWith({ [COST]: undefined }) },
    { name: 'a blank value is empty-tag-value’s (with the parent’s value)', ...child, tags: tagsWith({ [COST]: '' }) },
  ],
  invalid: [
    {
      name: 'disagrees with the parent: the fix copies the parent’s value',
      ...child,
      tags: tagsWith({ [COST]: 'Sales-5045' }),
      findings: [
        {
          messageIncludes: [`tag "anycompany:finance:cost-center" is "Sales-5045" while its parent ${hpo.arn} carries "Sales-7000"`],
          tag: { key: COST, value: 'Sales-5045' },
          severity: 'warning',
          fixable: true,
          data: { dictionaryKey: COST, parentArn: hpo.arn, parentValue: 'Sales-7000' },
        },
      ],
      fixed: tagsWith({ [COST]: 'Sales-7000' }),
    },
    {
      name: 'an invalid value is replaced by the parent’s',
      ...child,
      tags: tagsWith({ [COST]: 'marketing' }),
      findings: [{ fixable: true }],
      fixed: tagsWith({ [COST]: 'Sales-7000' }),
    },
    {
      name: 'the parent’s value wins over normalising the child’s (one edit per tag)',
      ...child,
      tags: tagsWith({ [COST]: 'Sales-7000', [ENV]: 'Staging' }),
      findings: [{ fixable: true }],
      fixed: tagsWith({ [COST]: 'Sales-7000', [ENV]: 'production' }),
    },
    {
      name: 'under a deprecated key: the rename copies the parent’s value, this finding has no edit',
      ...child,
      tags: tagsWith({ [COST]: undefined, CostCenter: '5045' }),
      findings: [{ messageIncludes: ["the proposed key rename also copies the parent's value"], fixable: false }],
    },
    {
      name: 'a finished job: only a note',
      ...child,
      state: 'Completed',
      tags: tagsWith({ [COST]: 'Sales-5045' }),
      findings: [{ severity: 'note', messageIncludes: ['attributes none of its past cost'], fixable: true }],
    },
  ],
});

ruleTester(inheritedTagDrift, {
  policy: anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'off' } }),
  valid: [],
  invalid: [
    {
      name: 'with missing-tag off, a missing key the parent carries is reported here',
      ...child,
      tags: tagsWith({ [COST]: undefined }),
      findings: [{ messageIncludes: ['is missing while its parent', 'SageMaker copies tags only at creation'], tag: { key: COST }, fixable: true }],
      fixed: tagsWith({ [COST]: 'Sales-7000' }),
    },
  ],
});

describe('inherited-tag-drift and personal data', () => {
  it("takes no parent's value that holds PII as a reference: no drift, nothing copied (pii-in-tag reports the parent)", () => {
    const contact = 'anycompany:finance:contact';
    const policy = anycompanyPolicy({ tags: [{ key: contact, costAllocation: true }] });
    const parent = makeResource({ arn: 'arn:aws:sagemaker:us-east-1:444455556666:domain/d-1', resourceType: 'sagemaker:domain', tags: { [contact]: 'jane.doe@example.com' } });
    const audit = (tags: Record<string, string>) =>
      auditSpec(policy, { parentArns: [parent.arn], others: [parent], resourceType: 'sagemaker:app', tags }, undefined, 'inherited-tag-drift');
    expect(audit({ [contact]: 'ml-team' })).toEqual([]);
    expect(audit({})).toEqual([]);
    // The same parent with a value that is not personal data is a reference.
    const team = makeResource({ arn: 'arn:aws:sagemaker:us-east-1:444455556666:domain/d-2', resourceType: 'sagemaker:domain', tags: { [contact]: 'platform-team' } });
    const drift = auditSpec(policy, { parentArns: [team.arn], others: [team], resourceType: 'sagemaker:app', tags: { [contact]: 'ml-team' } }, undefined, 'inherited-tag-drift');
    expect(drift).toHaveLength(1);
  });
});
