import { describe, expect, it } from 'vitest';
import { deprecatedTagKey } from '../../../src/rules/deprecated-tag-key.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditSpec, ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const OWNER = 'anycompany:finance:owner';
const policy = anycompanyPolicy();

ruleTester(deprecatedTagKey, {
  policy,
  valid: [
    { name: 'canonical keys', tags: COMPLIANT_TAGS },
    { name: 'a miscased alias is miscased-tag-key’s', tags: tagsWith({ [COST]: undefined, COSTCENTER: '5045' }) },
  ],
  invalid: [
    {
      name: 'an alias is renamed to the canonical key',
      tags: tagsWith({ [COST]: undefined, CostCenter: '5045' }),
      findings: [{ messageIncludes: ['tag key "CostCenter" is a deprecated name of anycompany:finance:cost-center'], tag: { key: 'CostCenter', value: '5045' }, fixable: true, severity: 'warning' }],
      fixed: { ...COMPLIANT_TAGS, [COST]: '5045' },
    },
    {
      name: 'the value alias is normalised in the same edit',
      tags: tagsWith({ [ENV]: undefined, env: 'prd' }),
      findings: [{ messageIncludes: ['"prd" to "production"'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'an invalid value moves as it is (invalid-tag-value reports it)',
      tags: tagsWith({ [ENV]: undefined, Environment: 'qa' }),
      findings: [{ fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [ENV]: 'qa' },
    },
    {
      name: 'two aliases of one key: neither is renamed',
      tags: tagsWith({ [ENV]: undefined, env: 'production', Environment: 'staging' }),
      findings: [{ fixable: false }, { fixable: false }],
    },
  ],
});

describe('deprecated-tag-key and personal data', () => {
  it('never proposes a rename that would copy a PII value, and never shows it', () => {
    const tags = tagsWith({ [OWNER]: undefined, Owner: 'jane.doe@example.com' });
    const findings = auditSpec(policy, { tags }, undefined, 'deprecated-tag-key');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.fix).toBeUndefined();
    expect(findings[0]?.message).toContain('no fix proposed: the tag holds personal data');
    expect(JSON.stringify(findings)).not.toContain('jane.doe@example.com');
  });
});
