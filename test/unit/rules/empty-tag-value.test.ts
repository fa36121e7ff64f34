import { describe, expect, it } from 'vitest';
import { emptyTagValue } from '../../../src/rules/empty-tag-value.js';
import { ACCOUNTS, ANYCOMPANY_TAGS, COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditSpec, makeResource, ruleTester } from '../../support/rule-tester.js';

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

describe('empty-tag-value: severity on a mandatory key', () => {
  const only = (policy: ReturnType<typeof anycompanyPolicy>, spec: Parameters<typeof auditSpec>[1]) => auditSpec(policy, spec, undefined, 'empty-tag-value');

  it("is missing-tag's (an error): an empty value must not pass a --fail-on error gate that a missing key fails", () => {
    const [f] = only(anycompanyPolicy(), { tags: tagsWith({ [COST]: '' }) });
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('the key is mandatory here: an empty value counts as missing');
  });

  it('stays a warning where the key is not mandatory for the resource type', () => {
    const optional = anycompanyPolicy({ tags: ANYCOMPANY_TAGS.map((t) => (t.key === COST ? { ...t, mandatory: ['sagemaker:*'] } : t)) });
    const [f] = only(optional, { resourceType: 'lambda:function', tags: tagsWith({ [COST]: '' }) });
    expect(f?.severity).toBe('warning');
    expect(f?.message).not.toContain('mandatory');
  });

  it('follows the dictionary: missing-tag lowered to a warning, or a key with its own severity', () => {
    expect(only(anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'warning' } }), { tags: tagsWith({ [COST]: '' }) })[0]?.severity).toBe('warning');
    expect(only(anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'off' } }), { tags: tagsWith({ [COST]: '' }) })[0]?.severity).toBe('warning');
    const ownLevel = anycompanyPolicy({ tags: ANYCOMPANY_TAGS.map((t) => (t.key === COST ? { ...t, severity: 'note' as const } : t)) });
    expect(only(ownLevel, { tags: tagsWith({ [COST]: '' }) })[0]?.severity).toBe('note');
  });
});
