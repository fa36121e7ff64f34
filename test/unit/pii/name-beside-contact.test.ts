import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { makeRedactor } from '../../../src/pii/redact.js';

const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);
const kinds = (key: string, value: string): string[] => detectPii(key, value).map((h) => h.kind).sort();

describe('a person name written beside a phone number or e-mail address', () => {
  // "Major" is an everyday word and no listed surname: alone in free text it would not count, beside a number it does.
  it.each([
    ['Owner', 'Mary Major +1 (206) 555-0142', 'M*** M*** +1 (***) ***-*142'],
    ['Owner', 'Mary Major <mary@example.com>', 'M*** M*** <m***@e*****e.com>'],
    ['Owner', 'Mary Major mary@example.com', 'M*** M*** m***@e*****e.com'],
    ['Owner', '+1 206 555 0142 Mary Major', '+1 *** *** *142 M*** M***'],
    ['Owner', 'Owner: Mary Major (206) 555-0142', 'Owner: M*** M*** (***) ***-*142'],
    ['Owner', 'Mary Major +1 (206) 555-0142, John Smith', 'M*** M*** +1 (***) ***-*142, J*** S***'],
    ['Owner', 'Major, Mary +1 206 555 0142', 'M***, M*** +1 *** *** *142'],
    ['Owner', 'james.wilson +1 206 555 0142', 'j***.w*** +1 *** *** *142'],
    ['Notes', 'Mary Major +1 (206) 555-0142', 'M*** M*** +1 (***) ***-*142'],
    ['Team', 'Mary Major +1 (206) 555-0142', 'M*** M*** +1 (***) ***-*142'],
    ['notes', '+1 206 555 0142 Mary Major.', '+1 *** *** *142 M*** M***.'],
    ['notes', 'Call Mary Major on +1 206 555 0142', 'Call M*** M*** on +1 *** *** *142'],
    ['notes', 'Mary Major tel. +1 206 555 0142', 'M*** M*** tel. +1 *** *** *142'],
    ['notes', 'Mary Major at mary@example.com', 'M*** M*** at m***@e*****e.com'],
    ['notes', '(206) 555-0142 (Mary Major)', '(***) ***-*142 (M*** M***)'],
    ['notes', '<mary@example.com> Mary Major', '<m***@e*****e.com> M*** M***'],
    ['notes', 'MARY MAJOR +1 206 555 0142', 'M*** M*** +1 *** *** *142'],
    ['notes', 'Jane Doe +1 206 555 0142 / Mary Major +1 206 555 0199', 'J*** D*** +1 *** *** *142 / M*** M*** +1 *** *** *199'],
  ])('%s = %j → %j', (key, value, masked) => {
    expect(redacted(key, value)).toBe(masked);
  });

  it('reports the name and the contact detail as two hits of their own kinds', () => {
    expect(kinds('Owner', 'Mary Major +1 (206) 555-0142')).toEqual(['person-name', 'phone']);
    expect(kinds('Notes', 'Mary Major mary@example.com')).toEqual(['email', 'person-name']);
    expect(kinds('Notes', '+1 206 555 0142 Mary Major')).toEqual(['person-name', 'phone']);
  });

  // Team, product, place and desk names keep their words; only the number or address is masked.
  it.each([
    ['Team', 'Data Platform +1 (206) 555-0100', 'Data Platform +1 (***) ***-*100'],
    ['Notes', 'Data Platform on +1 206 555 0142', 'Data Platform on +1 *** *** *142'],
    ['Notes', 'ML Ops 24x7 +1 206 555 0142', 'ML Ops 24x7 +1 *** *** *142'],
    ['Notes', 'Service Desk +1 (206) 555-0100', 'Service Desk +1 (***) ***-*100'],
    ['support', 'Service Desk servicedesk@example.com', 'Service Desk s***@e*****e.com'],
    ['Notes', 'London Office +44 20 7946 0018', 'London Office +44 ** **** *018'],
    ['Description', 'Victoria Station office +44 20 7946 0018', 'Victoria Station office +44 ** **** *018'],
    ['notes', 'Georgia Tech lab (404) 555-0123', 'Georgia Tech lab (***) ***-*123'],
    ['Owner', 'Grace Period +1 206 555 0142', 'Grace Period +1 *** *** *142'],
    ['Contact', 'Support Team support@example.com', 'Support Team s***@e*****e.com'],
  ])('%s = %j → %j (no name)', (key, value, masked) => {
    expect(redacted(key, value)).toBe(masked);
    expect(kinds(key, value)).not.toContain('person-name');
  });

  it.each([
    ['Team', 'Data Platform'],
    ['Owner', 'Data Platform'],
    ['Team', 'ML Ops 24x7'],
    ['on-call', 'ML Ops 24x7 rota'],
    ['Name', 'Spark 3.5.1'],
    ['Description', 'Spark 3.5.1 on EMR 7.1.0, see runbook'],
    ['Notes', 'Model v2 2024-01-01'],
    ['Product', 'Falcon Search v2 2024-03-15'],
    ['payout-iban', 'FR78 8680 5405 1982 4671 5389 611'],
  ])('%s = %j: no name, no phone number', (key, value) => {
    expect(kinds(key, value).filter((k) => k === 'person-name' || k === 'phone')).toEqual([]);
  });

  it('reads a number that starts with "+" or "(" after a word glued to digits as a number of its own', () => {
    expect(kinds('Phone', 'ML Ops 24x7 +1 206 555 0142')).toEqual(['phone']);
    expect(kinds('Notes', 'Team v2 (206) 555-0100')).toEqual(['phone']);
  });
});
