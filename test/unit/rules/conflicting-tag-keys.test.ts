import { conflictingTagKeys } from '../../../src/rules/conflicting-tag-keys.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';

ruleTester(conflictingTagKeys, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'one tag per key', tags: COMPLIANT_TAGS },
    { name: 'one deprecated tag per key', tags: tagsWith({ [COST]: undefined, CostCenter: '5045' }) },
  ],
  invalid: [
    {
      name: 'an alias beside the canonical key, different values',
      tags: { ...COMPLIANT_TAGS, CostCenter: '5046' },
      findings: [
        {
          messageIncludes: ['"anycompany:finance:cost-center" ("Sales-5045")', '"CostCenter" ("5046")', 'all mean anycompany:finance:cost-center', 'not fixed automatically'],
          tag: { key: COST },
          severity: 'error',
          fixable: false,
          data: { keys: [COST, 'CostCenter'] },
        },
      ],
    },
    {
      name: 'two aliases with the same value',
      tags: tagsWith({ [ENV]: undefined, env: 'production', Environment: 'production' }),
      findings: [{ messageIncludes: ['same value'], tag: { key: ENV } }],
    },
    {
      name: 'values that the dictionary normalises to one: they agree, only the duplicate keys need removing',
      tags: tagsWith({ [ENV]: undefined, env: 'prd', environment: 'production' }),
      findings: [
        {
          messageIncludes: [
            'tags "env" ("prd"), "environment" ("production") all mean anycompany:workload:environment; their values agree (all mean "production"), so no value needs choosing: only the duplicate keys need removing (not fixed automatically)',
          ],
          fixable: false,
        },
      ],
    },
    {
      name: 'values that differ once normalised: the right one is still to be chosen',
      tags: tagsWith({ [ENV]: undefined, env: 'prd', environment: 'dev' }),
      findings: [{ messageIncludes: ['keep the right value under one key and remove the others'] }],
    },
    {
      name: 'a value the dictionary does not allow agrees with nothing',
      tags: tagsWith({ [ENV]: 'production', env: 'prdo' }),
      findings: [{ messageIncludes: ['keep the right value under one key and remove the others'] }],
    },
    {
      name: 'miscased and last-segment forms count too',
      tags: { ...COMPLIANT_TAGS, 'anycompany:workload:name': 'a', name: 'b', NAME: 'c' },
      findings: [{ data: { keys: ['anycompany:workload:name', 'name', 'NAME'] } }],
    },
  ],
});
