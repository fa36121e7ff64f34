import { miscasedTagValue } from '../../../src/rules/miscased-tag-value.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const APP = 'anycompany:workload:application-id';

ruleTester(miscasedTagValue, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'canonical values', tags: COMPLIANT_TAGS },
    { name: 'an invalid value is invalid-tag-value’s', tags: tagsWith({ [ENV]: 'qa' }) },
    // The pattern takes `Sales-5045` as well as `SALES-5045`: upper-casing would be a guess.
    { name: 'a pattern taking mixed case: no upper-case re-spelling', tags: tagsWith({ [COST]: 'sales-5045' }) },
  ],
  invalid: [
    {
      name: 'another case',
      tags: tagsWith({ [ENV]: 'Production' }),
      findings: [{ messageIncludes: ['value "Production" of tag "anycompany:workload:environment" is a miscased form of "production"'], fixable: true, data: { canonicalValue: 'production' } }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'surrounding and inner whitespace',
      tags: tagsWith({ [ENV]: ' production ' }),
      findings: [{ fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'a value alias',
      tags: tagsWith({ [ENV]: 'prod' }),
      findings: [{ messageIncludes: ['is a deprecated name of "production"'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'a value alias in another case',
      tags: tagsWith({ [ENV]: 'PRD' }),
      findings: [{ fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'a pattern key whose lower-cased value matches',
      tags: tagsWith({ [APP]: 'APP-1234' }),
      findings: [{ fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'a pattern key with stray spaces around a value whose case the pattern needs: trimmed, case kept',
      tags: tagsWith({ [COST]: ' Sales-5045 ' }),
      findings: [{ fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [COST]: 'Sales-5045' },
    },
    {
      name: 'under a deprecated key the rename carries the value: no second edit on the same tag',
      tags: tagsWith({ [ENV]: undefined, env: 'prod' }),
      findings: [{ messageIncludes: ['the proposed key rename also fixes the value'], fixable: false }],
    },
  ],
});

ruleTester(miscasedTagValue, {
  policy: compilePolicy({ pii: DEFAULT_PII_POLICY, tags: [{ key: 'cost-center', pattern: /^CC-[0-9]{4}$/u }] }),
  valid: [{ tags: { 'cost-center': 'CC-2001' } }],
  invalid: [
    {
      name: 'an upper-case pattern: the lower-cased slip is miscased, not invalid',
      tags: { 'cost-center': 'cc-2001' },
      findings: [{ messageIncludes: ['is a miscased form of "CC-2001"'], fixable: true }],
      fixed: { 'cost-center': 'CC-2001' },
    },
    {
      name: 'an upper-case pattern with stray spaces',
      tags: { 'cost-center': ' Cc-2001 ' },
      findings: [{ fixable: true }],
      fixed: { 'cost-center': 'CC-2001' },
    },
  ],
});

ruleTester(miscasedTagValue, {
  policy: compilePolicy({ pii: DEFAULT_PII_POLICY, tags: [{ key: 'tier', values: ['Dev', 'dev'] }] }),
  valid: [{ tags: { tier: 'Dev' } }, { tags: { tier: 'dev' } }],
  invalid: [
    {
      name: 'folds to several allowed values: reported, not rewritten',
      tags: { tier: 'DEV' },
      findings: [{ messageIncludes: ['several allowed values (Dev, dev)'], fixable: false }],
    },
  ],
});
