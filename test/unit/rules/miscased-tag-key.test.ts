import { miscasedTagKey } from '../../../src/rules/miscased-tag-key.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';

ruleTester(miscasedTagKey, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'canonical keys', tags: COMPLIANT_TAGS },
    { name: 'an exact deprecated alias is deprecated-tag-key’s', tags: tagsWith({ [COST]: undefined, CostCenter: '5045' }) },
    { name: 'aws: keys in any casing', tags: { ...COMPLIANT_TAGS, 'AWS:CloudFormation:Stack-Name': 's', 'aws:createdBy': 'x' } },
    { name: 'Name (what EC2 consoles show) is never read as the last segment of anycompany:workload:name', tags: { ...COMPLIANT_TAGS, Name: 'web-1' } },
    { name: 'an unknown key', tags: { ...COMPLIANT_TAGS, Project: 'x' } },
  ],
  invalid: [
    {
      name: 'snake_case form of an alias',
      tags: tagsWith({ [COST]: undefined, cost_center: '5045' }),
      findings: [
        { messageIncludes: ['tag key "cost_center" is a miscased form of "CostCenter", a deprecated name of anycompany:finance:cost-center'], tag: { key: 'cost_center', value: '5045' }, fixable: true },
      ],
      fixed: { ...COMPLIANT_TAGS, [COST]: '5045' },
    },
    {
      name: 'SCREAMING-KEBAB form',
      tags: tagsWith({ [COST]: undefined, 'COST-CENTER': '5045' }),
      findings: [{ fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [COST]: '5045' },
    },
    {
      name: 'miscased canonical key',
      tags: tagsWith({ [COST]: undefined, 'Anycompany:Finance:Cost-Center': 'Sales-5045' }),
      findings: [{ messageIncludes: ['is a miscased form of anycompany:finance:cost-center'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'the rename also normalises a value alias',
      tags: tagsWith({ [ENV]: undefined, ENV: 'prod' }),
      findings: [{ messageIncludes: ['also changes its value "prod" to "production"'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'an un-namespaced key equal to the last segment of exactly one namespaced key',
      tags: { ...COMPLIANT_TAGS, name: 'web-1' },
      findings: [{ messageIncludes: ['matches the last segment of anycompany:workload:name'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS, 'anycompany:workload:name': 'web-1' },
    },
    {
      name: 'no rename when another tag already means the same key (it would overwrite)',
      tags: { ...COMPLIANT_TAGS, ENVIRONMENT: 'staging' },
      findings: [{ messageIncludes: ['not renamed', 'conflicting-tag-keys'], fixable: false }],
    },
  ],
});
