import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { makeRedactor } from '../../../src/pii/redact.js';
import { profile } from '../../../src/pii/text-context.js';

const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);
const kinds = (key: string, value: string): string[] => detectPii(key, value).map((h) => h.kind).sort();

// A token with digits glued to letters ("24x7", "L2", "B2") followed by a space and a number: the number stands on
// its own, as digitRuns reads it, whether or not it starts with '+' or '('.
describe('a number written after a token with digits glued to letters', () => {
  it.each([
    ['Notes', 'ML Ops 24x7 206-555-0142', 'ML Ops 24x7 ***-***-*142'],
    ['Phone', 'ML Ops 24x7 206-555-0142', 'ML Ops 24x7 ***-***-*142'],
    ['Notes', 'Support 24x7 206-555-0142', 'Support 24x7 ***-***-*142'],
    ['Notes', 'Support 24x7 206 555 0142', 'Support 24x7 *** *** *142'],
    ['oncall', 'NOC L2 020 7946 0958', 'NOC L2 *** **** *958'],
    ['Notes', '24x7 -206-555-0142', '24x7 -***-***-*142'],
    ['Notes', 'Support 24x7\u00a0206-555-0142', 'Support 24x7\u00a0***-***-*142'],
    // the numbers that already stood on their own after '+' or '('
    ['Notes', 'ML Ops 24x7 +1 206 555 0142', 'ML Ops 24x7 +1 *** *** *142'],
    ['Notes', 'Team v2 (206) 555-0100', 'Team v2 (***) ***-*100'],
  ])('%s = %j → %j', (key, value, masked) => {
    expect(redacted(key, value)).toBe(masked);
    expect(kinds(key, value)).toEqual(['phone']);
  });

  it('finds a card number or an SSN there too', () => {
    expect(redacted('Notes', 'PCI L1 4111 1111 1111 1111')).toBe('PCI L1 **** **** **** 1111');
    expect(kinds('Notes', 'PCI L1 4111 1111 1111 1111')).toEqual(['credit-card']);
    expect(redacted('ssn', 'Ref B2 536-22-1987')).toBe('Ref B2 ***-**-1987');
  });

  it('measures the number after the glued token as free-standing', () => {
    expect(profile('ML Ops 24x7 206-555-0142')).toMatchObject({ freeRun: 10, freeGrouped: true });
    // joined by '-' or '.' to the glued digits, the number is still part of the identifier, as digitRuns reads it
    expect(profile('ML Ops 24x7-206-555-0142').freeRun).toBe(0);
    expect(profile('build v1.2024.0115.0930').freeRun).toBe(0);
  });

  it.each([
    ['Notes', 'ISO 27001 2022'],
    ['Notes', 'Build 3x2 1024 768'],
    ['Notes', 'v2 2024 01 01'],
    ['Description', 'Windows 11 23H2 22631 4317'],
    ['Name', 'Sprint S24 2024 03 15'],
    ['Notes', 'Run r5 2024 01 15 0930'],
    ['Notes', 'Tier T2 100 200 300 400'],
    ['ticket', 'Jira ML-123 4567890'],
    ['Notes', 'res 4k 3840 2160'],
    ['Team', 'ML Ops 24x7 rota'],
  ])('%s = %j: nothing', (key, value) => {
    expect(kinds(key, value)).toEqual([]);
  });
});

// The profile now reads "FR78 8680 5405 …" as a word and a number, so the card check runs on the IBAN's digits; an
// IBAN's own check digits must decide what the whole is.
describe('an IBAN whose digits hold a Luhn-valid card number', () => {
  it.each([
    ['iban', 'DE96 5376 5209 2247 9771 45', 'DE** **** **** **** **71 45'],
    ['Notes', 'refund to DE96 5376 5209 2247 9771 45 (vendor dispute)', 'refund to DE** **** **** **** **71 45 (vendor dispute)'],
    ['payout-iban', 'FR53 4197 4030 2719 3161 1506 052', 'FR** **** **** **** **** ***6 052'],
  ])('%s = %j is one IBAN, masked whole', (key, value, masked) => {
    expect(kinds(key, value)).toEqual(['iban']);
    expect(redacted(key, value)).toBe(masked);
  });
});
