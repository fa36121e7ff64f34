import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { piiInTag } from '../../../src/rules/pii-in-tag.js';
import { makePiiPolicy } from '../../../src/pii/policy.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { COMPLIANT_TAGS, anycompanyPolicy } from '../../support/policies.js';
import { auditSpec, ruleTester } from '../../support/rule-tester.js';

const EMAIL = 'jane.doe@example.com';
const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

ruleTester(piiInTag, {
  policy: anycompanyPolicy(),
  valid: [{ name: 'team names and codes', tags: COMPLIANT_TAGS }],
  invalid: [
    {
      name: 'an e-mail address in a value: masked, with a pii-remove edit identified by digest',
      tags: { ...COMPLIANT_TAGS, contact: EMAIL },
      findings: [
        {
          messageIncludes: ['value of tag "contact" contains personal data: e-mail address "j***@e*****e.com"', '--fix-pii'],
          tag: { key: 'contact', value: 'j***@e*****e.com' },
          severity: 'error',
          fixable: true,
          data: { piiKind: 'email', where: 'value', redactTo: 'j***@e*****e.com' },
        },
      ],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'in a key',
      tags: { ...COMPLIANT_TAGS, [EMAIL]: 'approver' },
      findings: [{ messageIncludes: ['tag key "j***@e*****e.com" contains personal data: e-mail address "j***@e*****e.com"'], tag: { key: 'j***@e*****e.com', value: 'approver' }, fixable: true, data: { where: 'key', redactKeyTo: 'j***@e*****e.com' } }],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'an aws: tag is reported but cannot be fixed',
      tags: { ...COMPLIANT_TAGS, 'aws:createdBy': `arn:aws:sts::444455556666:assumed-role/Admin/${EMAIL}` },
      findings: [{ messageIncludes: ['only AWS can change'], fixable: false }],
    },
  ],
});

describe('pii-in-tag', () => {
  it('the remove edit names the tag by SHA-256 digests of its raw key and value', () => {
    const [finding] = auditSpec(anycompanyPolicy(), { tags: { contact: EMAIL } }, undefined, 'pii-in-tag');
    expect(finding?.fix).toEqual([
      { op: 'remove', type: 'pii-remove', key: 'contact', expected: 'j***@e*****e.com', digest: { keySha256: sha256('contact'), valueSha256: sha256(EMAIL) } },
    ]);
  });

  it('uses pii.severity, and an explicit rules: entry over it', () => {
    const tags = { contact: EMAIL };
    expect(auditSpec(anycompanyPolicy({ piiSeverity: 'warning' }), { tags }, undefined, 'pii-in-tag')[0]?.severity).toBe('warning');
    expect(auditSpec(anycompanyPolicy({ piiSeverity: 'warning', ruleSeverity: { 'pii-in-tag': 'note' } }), { tags }, undefined, 'pii-in-tag')[0]?.severity).toBe('note');
  });

  it('is disabled when PII detection is off', () => {
    const policy = anycompanyPolicy({ pii: makePiiPolicy({ enabled: false }) });
    expect(createAuditor(policy).rules.map((r) => r.id)).not.toContain('pii-in-tag');
    expect(auditSpec(policy, { tags: { contact: EMAIL } })).toEqual(expect.not.arrayContaining([expect.objectContaining({ ruleId: 'pii-in-tag' })]));
  });

  it('respects the dictionary allow-list', () => {
    const policy = anycompanyPolicy({ pii: makePiiPolicy({ allowPatterns: [/@lists\.anycompany\.com$/u] }) });
    expect(auditSpec(policy, { tags: { contact: 'ml-team@lists.anycompany.com' } }, undefined, 'pii-in-tag')).toEqual([]);
  });
});

describe('pii-in-tag and a layout the dictionary declares', () => {
  const dictionary = (pattern: string) =>
    [
      'version: 1',
      'name: gl',
      'tags:',
      '  - key: gl-code',
      '    category: financial',
      '    purpose: General-ledger code',
      '    mandatory: false',
      '    costAllocation: true',
      `    pattern: '${pattern}'`,
      '',
    ].join('\n');
  const audit = async (pattern: string, value: string) => {
    const { policy } = await parseDictionary(dictionary(pattern), 'gl.yaml');
    return createAuditor(policy).audit({ arn: 'arn:aws:lambda:us-east-1:111122223333:function:f', accountId: '111122223333', region: 'us-east-1', service: 'lambda', resourceType: 'lambda:function', tags: { 'gl-code': value }, source: 'test' });
  };

  it('a value matching its key pattern is not read as a phone number or SSN', async () => {
    expect(await audit('^\\d{3}-\\d{3}-\\d{4}$', '510-200-1000')).toEqual([]);
    expect(await audit('^\\d{3}-\\d{2}-\\d{4}$', '101-10-1000')).toEqual([]);
  });

  it('the same digits under a pattern they do not match are, and are masked', async () => {
    const findings = await audit('^GL-\\d{4}$', '510-200-1000');
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['invalid-tag-value', 'pii-in-tag']);
    expect(JSON.stringify(findings)).not.toContain('510-200-1000');
  });

  it('a free-text or phone-shaped pattern declares no layout: phone numbers and SSNs in it are still found and masked', async () => {
    for (const [pattern, value] of [
      ['^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$', 'SSN: 219-09-9999'],
      ['^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$', '415-555-2671'],
      ['^\\+?[0-9 ()-]{7,20}$', '+1 415 555 2671'],
      ['\\d{3}-\\d{3}-\\d{4}', '415-555-2671'], // unanchored
    ]) {
      const findings = await audit(pattern!, value!);
      expect(findings.map((f) => f.ruleId), `${pattern} ${value}`).toContain('pii-in-tag');
      expect(JSON.stringify(findings)).not.toContain(value!.slice(-4) === '9999' ? '219-09-9999' : value!);
    }
  });

  it('an e-mail address is found even when the pattern lets it through', async () => {
    const findings = await audit('^.+$', 'jane.doe@example.com');
    expect(findings.map((f) => f.ruleId)).toEqual(['pii-in-tag']);
  });
});
