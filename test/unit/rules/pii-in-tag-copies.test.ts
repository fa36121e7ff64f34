import { describe, expect, it } from 'vitest';
import { piiInTag } from '../../../src/rules/pii-in-tag.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { COMPLIANT_TAGS, anycompanyPolicy } from '../../support/policies.js';
import { makeResource, ruleTester } from '../../support/rule-tester.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';

// A tag that repeats PII another tag of the resource holds, in a spelling no detector flags on its own, is masked in
// every finding (the resource's redactor knows the value); it gets its own pii-in-tag finding and removal, or
// `fix --fix-pii remove` leaves it behind and the next scan, which no longer knows the value, prints it raw.
const EMAIL = 'jane.doe@example.com';
const EMAIL_URL = 'jane.doe%40example.com';
const PHONE = '+1 415-555-2671';

ruleTester(piiInTag, {
  policy: anycompanyPolicy(),
  valid: [{ name: 'no PII anywhere, digits and words that share nothing with a value', tags: { ...COMPLIANT_TAGS, build: '4155', notes: 'example.com budget' } }],
  invalid: [
    {
      // The e-mail detector finds a URL-encoded address on its own (acceptance s12 L7): no copy, a hit of its own.
      name: 'an e-mail address URL-encoded beside the address: a finding of its own, the value masked in its own encoding',
      tags: { ...COMPLIANT_TAGS, contact: EMAIL, ref: EMAIL_URL },
      findings: [
        { tag: { key: 'contact', value: 'j***@e*****e.com' }, fixable: true },
        {
          messageIncludes: ['value of tag "ref" contains personal data: e-mail address "j***@e*****e.com"', '--fix-pii'],
          tag: { key: 'ref', value: 'j***%40e*****e.com' },
          severity: 'error',
          fixable: true,
          data: { piiKind: 'email', where: 'value', hits: [{ kind: 'email', where: 'value', masked: 'j***@e*****e.com' }], redactTo: 'j***%40e*****e.com' },
        },
      ],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'a phone number repeated as bare digits under an id-like key, where alone it is not PII',
      tags: { ...COMPLIANT_TAGS, oncall: PHONE, ticket: '4155552671' },
      findings: [
        { tag: { key: 'oncall', value: '+1 ***-***-*671' }, fixable: true },
        { tag: { key: 'ticket', value: '*******671' }, fixable: true, data: { piiKind: 'phone', where: 'value', redactTo: '*******671' } },
      ],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'another number that merely holds the same digits is no copy: neither masked nor removed',
      tags: { ...COMPLIANT_TAGS, oncall: PHONE, alt: 'call 415.555.2671', build: '24155552671', serial: '41555526710' },
      findings: [{ tag: { key: 'oncall', value: '+1 ***-***-*671' } }, { tag: { key: 'alt', value: 'call ***.***.*671' } }],
      fixed: { ...COMPLIANT_TAGS, build: '24155552671', serial: '41555526710' },
    },
    {
      name: 'the copy in a key',
      tags: { ...COMPLIANT_TAGS, contact: EMAIL, [`approver:${EMAIL_URL}`]: 'yes' },
      findings: [
        { tag: { key: 'contact', value: 'j***@e*****e.com' }, fixable: true },
        { tag: { key: 'approver:j***%40e*****e.com', value: 'yes' }, fixable: true, data: { where: 'key', redactKeyTo: 'approver:j***%40e*****e.com' } },
      ],
      fixed: { ...COMPLIANT_TAGS },
    },
    {
      name: 'a copy in an aws: tag is reported, with no fix',
      tags: { ...COMPLIANT_TAGS, oncall: PHONE, 'aws:createdBy': 'AssumedRole:AROAEXAMPLE:4155552671' },
      findings: [
        { tag: { key: 'oncall', value: '+1 ***-***-*671' }, fixable: true },
        { messageIncludes: ['the same as another tag', 'only AWS can change'], tag: { key: 'aws:createdBy', value: 'AssumedRole:AROAEXAMPLE:*******671' }, fixable: false },
      ],
      fixed: { ...COMPLIANT_TAGS, 'aws:createdBy': 'AssumedRole:AROAEXAMPLE:4155552671' },
    },
  ],
});

describe('pii-in-tag: every tag the resource masks has a finding', () => {
  it('the tags whose key or value the report masks are exactly the tags with a pii-in-tag finding', () => {
    const policy = anycompanyPolicy();
    const tags = {
      ...COMPLIANT_TAGS,
      oncall: PHONE,
      notes: 'escalate to 415.555.2671',
      ticket: '4155552671',
      alt: 'ping 415.555.2671 or jane.doe at example dot com',
      mail: EMAIL,
      enc: EMAIL_URL,
      shouty: 'JANE.DOE@EXAMPLE.COM',
      clean: 'nightly-batch',
    };
    const findings = createAuditor(policy).audit(makeResource({ tags }));
    const masked = new Set(findings.filter((f) => f.ruleId === 'unknown-tag-key' && f.tag?.value !== (tags as Record<string, string>)[f.tag!.key]).map((f) => f.tag!.key));
    const flagged = new Set(findings.filter((f) => f.ruleId === 'pii-in-tag').map((f) => f.tag!.key));
    expect([...masked].sort()).toEqual(['alt', 'enc', 'mail', 'notes', 'oncall', 'shouty', 'ticket']);
    expect([...flagged].sort()).toEqual([...masked].sort());
    for (const f of findings.filter((x) => x.ruleId === 'pii-in-tag')) expect(f.fix?.[0]).toMatchObject({ op: 'remove', type: 'pii-remove' });
  });
});

// pii.allow: "a matching value is never reported", also when another tag holds the same address in a spelling the
// allow-list does not cover (acceptance s13 dictionary D4): only that other tag is PII; removing the allowed team
// mailbox as its copy would delete what the dictionary explicitly allows.
ruleTester(piiInTag, {
  policy: anycompanyPolicy({ pii: { ...DEFAULT_PII_POLICY, allowPatterns: [/^[a-z0-9-]+@lists\.acme\.com$/] } }),
  valid: [{ name: 'the allowed mailbox alone', tags: { ...COMPLIANT_TAGS, list: 'data-eng@lists.acme.com' } }],
  invalid: [
    {
      name: 'the allowed mailbox beside the same address in capitals: only the capitals are reported',
      tags: { ...COMPLIANT_TAGS, list: 'data-eng@lists.acme.com', list2: 'DATA-ENG@LISTS.ACME.COM' },
      findings: [{ tag: { key: 'list2', value: 'D***@*****.A**E.COM' }, fixable: true }],
      fixed: { ...COMPLIANT_TAGS, list: 'data-eng@lists.acme.com' },
    },
  ],
});
