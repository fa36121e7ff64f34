import { describe, expect, it } from 'vitest';
import { missingTag } from '../../../src/rules/missing-tag.js';
import { ACCOUNTS, ANYCOMPANY_TAGS, COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditSpec, makeResource, ruleTester } from '../../support/rule-tester.js';

const policy = anycompanyPolicy();
const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const CLASS = 'anycompany:security:data-classification';

const tuningJob = makeResource({
  arn: 'arn:aws:sagemaker:us-east-1:444455556666:hyper-parameter-tuning-job/hpo-1',
  resourceType: 'sagemaker:hyper-parameter-tuning-job',
  tags: { ...COMPLIANT_TAGS, [COST]: 'Sales-7000' },
});

ruleTester(missingTag, {
  policy,
  valid: [
    { name: 'all mandatory keys present', tags: COMPLIANT_TAGS },
    { name: 'data-classification is only mandatory for sagemaker:* and s3:bucket', resourceType: 'lambda:function', tags: tagsWith({ [CLASS]: undefined }) },
    { name: 'present under a deprecated name (the rename fixes it)', tags: tagsWith({ [COST]: undefined, CostCenter: '5045' }) },
    { name: 'present under a miscased name', tags: tagsWith({ [ENV]: undefined, ENVIRONMENT: 'production' }) },
    { name: 'present with an empty value (empty-tag-value reports it)', tags: tagsWith({ [COST]: '' }) },
  ],
  invalid: [
    {
      name: 'no default: reported, nothing guessed',
      tags: tagsWith({ [COST]: undefined }),
      findings: [{ messageIncludes: ['missing mandatory tag anycompany:finance:cost-center', 'no default'], tag: { key: COST }, severity: 'error', fixable: false }],
    },
    {
      name: "per-account default (shared-services' cost center)",
      accountId: ACCOUNTS.shared,
      tags: tagsWith({ [COST]: undefined }),
      findings: [{ messageIncludes: ["account's default \"Shared-1000\""], fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [COST]: 'Shared-1000' },
    },
    {
      name: 'dictionary default and per-key severity, scoped mandatory',
      tags: tagsWith({ [CLASS]: undefined }),
      findings: [{ messageIncludes: ['missing tag anycompany:security:data-classification, mandatory for sagemaker:training-job', '"internal"'], severity: 'error', fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'several missing keys, each its own finding, in dictionary order',
      accountId: ACCOUNTS.dev,
      tags: { [CLASS]: 'internal' },
      findings: [
        { tag: { key: 'anycompany:workload:application-id' }, fixable: false },
        { tag: { key: ENV }, fixable: true },
        { tag: { key: 'anycompany:finance:owner' }, fixable: false },
        { tag: { key: COST }, fixable: false },
      ],
      fixed: { [CLASS]: 'internal', [ENV]: 'development' },
    },
    {
      name: "a parent's cost-allocation value is preferred to a default (type inherit)",
      accountId: ACCOUNTS.shared,
      parentArns: [tuningJob.arn],
      others: [tuningJob],
      tags: tagsWith({ [COST]: undefined }),
      findings: [{ messageIncludes: ['"Sales-7000", copied from its parent'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [COST]: 'Sales-7000' },
    },
    {
      name: 'a finished training job: a cost-allocation key is only a note, and the message says why',
      state: 'Completed',
      tags: tagsWith({ [COST]: undefined }),
      findings: [{ severity: 'note', messageIncludes: ['finished (Completed)', 'attributes none of its past cost'] }],
    },
    {
      name: 'a finished job keeps the severity of keys that are not cost allocation',
      state: 'Failed',
      tags: tagsWith({ [CLASS]: undefined }),
      findings: [{ severity: 'error', fixable: true }],
    },
  ],
});

describe('missing-tag and the 50-tag limit', () => {
  it('withholds an add when the resource has no room left, and says why', () => {
    const filler = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`anycompany:extra:k${i}`, 'x']));
    const tags = { ...tagsWith({ [CLASS]: undefined }), ...filler }; // 4 + 46 = 50 user tags
    const [finding, ...rest] = auditSpec(policy, { tags }, undefined, 'missing-tag');
    expect(rest).toEqual([]);
    expect(finding?.fix).toBeUndefined();
    expect(finding?.message).toContain('already carries 50 of 50 user tags');
  });

  it('aws: tags do not count toward the limit', () => {
    const aws = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`aws:cloudformation:k${i}`, 'x']));
    const filler = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`anycompany:extra:k${i}`, 'x']));
    const tags = { ...tagsWith({ [CLASS]: undefined }), ...filler, ...aws }; // 49 user tags
    const [finding] = auditSpec(policy, { tags }, undefined, 'missing-tag');
    expect(finding?.fix).toEqual([{ op: 'add', type: 'add-default', key: CLASS, value: 'internal' }]);
  });
});

describe('missing-tag: defaults that depend on the account', () => {
  // data-classification: `internal` in general, `confidential` on the production account.
  const perAccount = anycompanyPolicy({
    tags: ANYCOMPANY_TAGS.map((t) => (t.key === CLASS ? { ...t, accountDefaults: { [ACCOUNTS.prod]: 'confidential' } } : t)),
  });
  const bucket = (accountId: string) =>
    auditSpec(perAccount, { resourceType: 's3:bucket', accountId, arn: `arn:aws:s3:::data-${accountId || 'unknown'}`, tags: tagsWith({ [CLASS]: undefined }) }, undefined, 'missing-tag');

  it("a resource whose account is unknown gets no default: the global one may be wrong for that account", () => {
    const [f] = bucket('');
    expect(f?.fix).toBeUndefined();
    expect(f?.message).toContain('its default depends on the account, which this resource');
  });

  it('a known account gets its own default, else the global one', () => {
    expect(bucket(ACCOUNTS.prod)[0]?.fix?.[0]).toMatchObject({ op: 'add', value: 'confidential' });
    expect(bucket(ACCOUNTS.dev)[0]?.fix?.[0]).toMatchObject({ op: 'add', value: 'internal' });
  });

  it('with no per-account defaults, the global default applies whatever the account', () => {
    const [f] = auditSpec(policy, { resourceType: 's3:bucket', accountId: '', arn: 'arn:aws:s3:::data-x', tags: tagsWith({ [CLASS]: undefined }) }, undefined, 'missing-tag');
    expect(f?.fix?.[0]).toMatchObject({ op: 'add', value: 'internal' });
  });
});
