import { emptyTagValue } from '../../../src/rules/empty-tag-value.js';
import { ACCOUNTS, ANYCOMPANY_TAGS, COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { makeResource, ruleTester } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const CLASS = 'anycompany:security:data-classification';

const pipelineExecution = makeResource({
  arn: 'arn:aws:sagemaker:us-east-1:444455556666:pipeline/p/execution/e1',
  resourceType: 'sagemaker:pipeline-execution',
  tags: { ...COMPLIANT_TAGS, [ENV]: 'staging' },
});

ruleTester(emptyTagValue, {
  policy: anycompanyPolicy(),
  valid: [
    { name: 'compliant', tags: COMPLIANT_TAGS },
    { name: 'an empty value on a key outside the dictionary is not this rule’s business', tags: { ...COMPLIANT_TAGS, 'anycompany:flags:gpu': '' } },
    { name: 'an empty aws: tag', tags: { ...COMPLIANT_TAGS, 'aws:cloudformation:logical-id': '' } },
  ],
  invalid: [
    {
      name: 'empty, no default: reported without a fix',
      tags: tagsWith({ [COST]: '' }),
      findings: [{ messageIncludes: ['tag "anycompany:finance:cost-center" has an empty value', 'no default'], tag: { key: COST, value: '' }, fixable: false }],
    },
    {
      name: 'blank (spaces only), account default fills it',
      accountId: ACCOUNTS.shared,
      tags: tagsWith({ [COST]: '   ' }),
      findings: [{ messageIncludes: ['a blank value', 'Shared-1000'], fixable: true, data: { dictionaryKey: COST } }],
      fixed: { ...COMPLIANT_TAGS, [COST]: 'Shared-1000' },
    },
    {
      name: 'dictionary default, and the key’s own severity (error) wins over the rule’s',
      tags: tagsWith({ [CLASS]: '' }),
      findings: [{ severity: 'error', fixable: true }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: "the parent's value is preferred to an account default",
      accountId: ACCOUNTS.dev,
      parentArns: [pipelineExecution.arn],
      others: [pipelineExecution],
      tags: tagsWith({ [ENV]: '' }),
      findings: [{ messageIncludes: ['"staging", copied from its parent'], fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [ENV]: 'staging' },
    },
    {
      name: 'under a deprecated key: the rename (deprecated-tag-key) carries the default, so this finding has no edit',
      accountId: ACCOUNTS.shared,
      tags: tagsWith({ [COST]: undefined, CostCenter: '' }),
      findings: [{ tag: { key: 'CostCenter', value: '' }, fixable: false }],
      fixed: tagsWith({ [COST]: undefined, CostCenter: '' }),
    },
  ],
});

// A pattern that accepts spaces (free text) also accepts a value made only of them; blank is still blank.
const NOTES = 'anycompany:workload:notes';
ruleTester(emptyTagValue, {
  policy: anycompanyPolicy({
    tags: [...ANYCOMPANY_TAGS, { key: NOTES, category: 'workload', pattern: /^[A-Za-z0-9 ]*$/u, default: 'none' }],
  }),
  valid: [{ name: 'a value the pattern accepts', tags: { ...COMPLIANT_TAGS, [NOTES]: 'nightly retrain' } }],
  invalid: [
    {
      name: 'spaces only, though the pattern matches them: blank, and the default fills it',
      tags: { ...COMPLIANT_TAGS, [NOTES]: '   ' },
      findings: [{ messageIncludes: 'a blank value', tag: { key: NOTES, value: '   ' }, fixable: true }],
      fixed: { ...COMPLIANT_TAGS, [NOTES]: 'none' },
    },
    {
      name: 'a non-breaking space only',
      tags: { ...COMPLIANT_TAGS, [NOTES]: '\u00a0' },
      findings: [{ messageIncludes: 'a blank value', fixable: true }],
    },
  ],
});
