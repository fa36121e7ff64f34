import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { makeRedactor } from '../../../src/pii/redact.js';

const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);
const kinds = (key: string, value: string): string[] => detectPii(key, value).map((h) => h.kind).sort();

// "Field", "West" and "North" are on the team word list ("Field Operations", "EMEA West") and family names too.
describe('a surname that is also a team word, beside a phone number or e-mail address', () => {
  it.each([
    ['Owner', 'Laura Field +44 20 7946 0958', 'L*** F*** +44 ** **** *958'],
    ['Notes', 'Laura Field +44 20 7946 0958', 'L*** F*** +44 ** **** *958'],
    ['notes', 'Call Laura Field on +44 20 7946 0958', 'Call L*** F*** on +44 ** **** *958'],
    ['notes', '+44 20 7946 0958 Laura Field', '+44 ** **** *958 L*** F***'],
    ['Owner', 'LAURA FIELD +44 20 7946 0958', 'L*** F*** +44 ** **** *958'],
    ['Contact', 'Laura Field <laura.field@example.com>', 'L*** F*** <l***@e*****e.com>'],
    ['Owner', 'Laura J. Field (206) 555-0142', 'L*** J***. F*** (***) ***-*142'],
    ['notes', 'Call Emma West on +44 20 7946 0321', 'Call E*** W*** on +44 ** **** *321'],
  ])('%s = %j → %j', (key, value, masked) => {
    expect(redacted(key, value)).toBe(masked);
    expect(kinds(key, value)).toContain('person-name');
  });

  // A given name that is also a word or a place, a first word that is no given name, a team name that starts with
  // the word, or a company named with a given name and another team word: only the number or address is masked.
  it.each([
    ['Owner', 'Grace Period +1 206 555 0142', 'Grace Period +1 *** *** *142'],
    ['Notes', 'Grace Field +1 206 555 0142', 'Grace Field +1 *** *** *142'],
    ['Notes', 'Data Field +1 206 555 0142', 'Data Field +1 *** *** *142'],
    ['Description', 'Victoria Station office +44 20 7946 0018', 'Victoria Station office +44 ** **** *018'],
    ['Notes', 'Victoria West +61 3 9123 4567', 'Victoria West +61 * **** *567'],
    ['Notes', 'Field Operations +1 206 555 0142', 'Field Operations +1 *** *** *142'],
    ['Notes', 'Laura Field Operations +1 206 555 0142', 'Laura Field Operations +1 *** *** *142'],
    ['Notes', 'EMEA West +44 20 7946 0018', 'EMEA West +44 ** **** *018'],
    ['Notes', 'North America +1 206 555 0142', 'North America +1 *** *** *142'],
    ['Notes', 'Oscar Health +1 855 672 2755', 'Oscar Health +1 *** *** *755'],
    ['Contact', 'Clara Labs support@example.com', 'Clara Labs s***@e*****e.com'],
    ['Notes', 'Ava Assistant +1 206 555 0142', 'Ava Assistant +1 *** *** *142'],
  ])('%s = %j → %j (no name)', (key, value, masked) => {
    expect(redacted(key, value)).toBe(masked);
    expect(kinds(key, value)).not.toContain('person-name');
  });

  it('needs the contact detail: without one the team reading stands', () => {
    expect(kinds('Notes', 'Laura Field, on call')).toEqual([]);
    expect(kinds('Notes', 'Field Operations')).toEqual([]);
  });
});
