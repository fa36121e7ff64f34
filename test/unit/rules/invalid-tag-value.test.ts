import { invalidTagValue } from '../../../src/rules/invalid-tag-value.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';

ruleTester(invalidTagValue, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'allowed values and pattern matches', tags: COMPLIANT_TAGS },
    { name: 'a value alias is miscased-tag-value’s', tags: tagsWith({ [ENV]: 'prod' }) },
    { name: 'a miscased value is miscased-tag-value’s', tags: tagsWith({ [ENV]: 'Production' }) },
    { name: 'an empty value is empty-tag-value’s', tags: tagsWith({ [ENV]: '' }) },
    { name: 'keys outside the dictionary take any value', tags: { ...COMPLIANT_TAGS, 'anycompany:team:project': '!!' } },
  ],
  invalid: [
    {
      name: 'not in the allowed list',
      tags: tagsWith({ [ENV]: 'qa' }),
      findings: [
        {
          messageIncludes: ['value "qa" of tag anycompany:workload:environment is not allowed', 'allowed: production, staging, development'],
          tag: { key: ENV, value: 'qa' },
          severity: 'error',
          data: { dictionaryKey: ENV, allowed: ['production', 'staging', 'development'] },
        },
      ],
    },
    {
      name: 'not matching the pattern',
      tags: tagsWith({ [COST]: '50' }),
      findings: [{ messageIncludes: ['expected to match ^([A-Z][A-Za-z]*-)?[0-9]{4}$'] }],
    },
    {
      name: 'under a deprecated key, the message names both keys',
      tags: tagsWith({ [COST]: undefined, CostCenter: 'marketing' }),
      findings: [{ messageIncludes: ['value "marketing" of tag "CostCenter" is not allowed for anycompany:finance:cost-center'] }],
    },
    {
      name: 'a finished job: invalid cost-allocation value is a note',
      state: 'Stopped',
      tags: tagsWith({ [COST]: 'x' }),
      findings: [{ severity: 'note', messageIncludes: ['attributes none of its past cost'] }],
    },
  ],
});
