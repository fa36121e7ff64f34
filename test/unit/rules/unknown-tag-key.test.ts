import { describe, expect, it } from 'vitest';
import { unknownTagKey } from '../../../src/rules/unknown-tag-key.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { COMPLIANT_TAGS, anycompanyPolicy } from '../../support/policies.js';
import { auditSpec, ruleTester } from '../../support/rule-tester.js';

ruleTester(unknownTagKey, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'dictionary keys', tags: COMPLIANT_TAGS },
    { name: 'aws: keys in any casing', tags: { ...COMPLIANT_TAGS, 'aws:cloudformation:stack-name': 's', 'Aws:Foo': 'x' } },
    { name: "SageMaker's own keys", tags: { ...COMPLIANT_TAGS, 'sagemaker:domain-arn': 'arn:aws:sagemaker:us-east-1:444455556666:domain/d-1' } },
    { name: 'deprecated and miscased keys are known', tags: { ...COMPLIANT_TAGS, CostCenter: '1', cost_centre: '2' } },
  ],
  invalid: [
    {
      name: 'unknown, wrong case, no prefix',
      tags: { ...COMPLIANT_TAGS, Project: 'fraud' },
      findings: [
        {
          messageIncludes: ['tag key "Project" is not in the dictionary', 'breaks the key convention: lowercase words joined by hyphens', 'lacks the required prefix "anycompany:"'],
          tag: { key: 'Project', value: 'fraud' },
          severity: 'warning',
          fixable: false,
          data: { keyCase: 'kebab', requiredPrefix: 'anycompany:' },
        },
      ],
    },
    {
      name: 'unknown but following the conventions',
      tags: { ...COMPLIANT_TAGS, 'anycompany:ml:project': 'fraud' },
      findings: [{ messageIncludes: ['is not in the dictionary'], data: { keyCase: undefined, requiredPrefix: undefined } }],
    },
  ],
});

ruleTester(unknownTagKey, {
  policy: anycompanyPolicy({
    tags: [
      { key: 'anycompany:finance:owner', mandatory: false },
      { key: 'anycompany:operations:owner', mandatory: false },
    ],
  }),
  valid: [],
  invalid: [
    {
      name: 'a last segment shared by several namespaced keys is ambiguous: reported, never renamed',
      tags: { owner: 'ml' },
      findings: [{ messageIncludes: ['could mean any of anycompany:finance:owner, anycompany:operations:owner'], data: { candidates: ['anycompany:finance:owner', 'anycompany:operations:owner'] } }],
    },
  ],
});

describe('unknown-tag-key severity', () => {
  const tags = { ...COMPLIANT_TAGS, Project: 'x' };
  it('follows conventions.unknownKeys', () => {
    const policy = anycompanyPolicy({ conventions: { keyCase: 'kebab', unknownKeys: 'note' } });
    expect(auditSpec(policy, { tags }, undefined, 'unknown-tag-key').map((f) => f.severity)).toEqual(['note']);
  });
  it("is disabled when conventions.unknownKeys is 'off'", () => {
    const policy = anycompanyPolicy({ conventions: { unknownKeys: 'off' } });
    expect(auditSpec(policy, { tags }, undefined, 'unknown-tag-key')).toEqual([]);
    expect(createAuditor(policy).rules.map((r) => r.id)).not.toContain('unknown-tag-key');
  });
  it('an explicit rules: entry wins over conventions.unknownKeys', () => {
    const policy = anycompanyPolicy({ conventions: { unknownKeys: 'off' }, ruleSeverity: { 'unknown-tag-key': 'error' } });
    expect(auditSpec(policy, { tags }, undefined, 'unknown-tag-key').map((f) => f.severity)).toEqual(['error']);
  });
});
