import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { digitRuns } from '../../../src/pii/digit-runs.js';
import { makeRedactor } from '../../../src/pii/redact.js';
import { profile } from '../../../src/pii/text-context.js';

const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);
const hits = (key: string, value: string): string[] => detectPii(key, value).map((h) => `${h.kind}@${h.where}`).sort();

// A full E.164 number with a word glued to it: a letter, '_' or '-' before the '+', or a letter after the digits.
describe('an international number with a word glued to it', () => {
  const CASES: ReadonlyArray<readonly [string, string]> = [
    ['cell-+14155552671', 'cell-+********671'],
    ['mobile_+447700900123', 'mobile_+*********123'],
    ['oncall_+14155552671', 'oncall_+********671'],
    ['x+14155552671', 'x+********671'],
    ['+14155552671x', '+********671x'],
    ['call+1-415-555-2671', 'call+1-***-***-*671'],
    ['a+14155552671b', 'a+********671b'],
    ['+1-415-555-2671-ext', '+1-***-***-*671-ext'],
    ['pager_+4915123456789_primary', 'pager_+**********789_primary'],
  ];

  it.each(CASES)('%j is masked in a value, under a phone key or not', (value, masked) => {
    for (const key of ['oncall', 'anycompany:workload:environment', 'Name']) {
      expect(hits(key, value), key).toEqual(['phone@value']);
      expect(redacted(key, value), key).toBe(masked);
    }
  });

  it.each([...CASES, ['call-+14155552999', 'call-+********999'] as const])('%j is masked as a tag key', (key, masked) => {
    expect(hits(key, 'x')).toEqual(['phone@key']);
    expect(makeRedactor(detectPii(key, 'x'))(key)).toBe(masked);
  });

  it('needs a phone word (glued or in the text) or a phone key for a number that is only possible, not valid', () => {
    // +44 7700 900… is Ofcom's drama range: possible, not valid
    expect(hits('anycompany:workload:environment', 'mobile_+447700900123')).toEqual(['phone@value']);
    expect(hits('oncall', 'rota-+447700900123')).toEqual(['phone@value']);
    expect(hits('anycompany:workload:environment', 'rota-+447700900123')).toEqual([]);
    expect(hits('anycompany:workload:environment', 'build+447700900123x')).toEqual([]);
  });

  it('reads the run from the + on, and the whole number when a word follows it', () => {
    expect(digitRuns('cell-+14155552671', 7)).toMatchObject([{ start: 5, end: 17, digits: '14155552671', plus: true, glued: true }]);
    expect(digitRuns('+14155552671x', 7)).toMatchObject([{ start: 0, end: 12, glued: true }]);
    // the shorter reading a word after the last group gave before stays, beside the whole one
    const runs = digitRuns('+44 20 7123 4567 24x7', 7);
    expect(runs.map((r) => [r.digits, r.glued])).toEqual([
      ['442071234567', false],
      ['44207123456724', true],
    ]);
    expect(redacted('Notes', 'NOC +44 20 7123 4567 24x7')).toBe('NOC +44 ** **** *567 24x7');
    expect(digitRuns('+14155552671', 7)).toMatchObject([{ glued: false }]);
    expect(profile('+14155552671x').freeRun).toBe(11);
  });

  it.each([
    '1.0.0-beta+20130313144700',
    '2.4.1-rc1+14155552671',
    '1.0.0+14155552671',
    'v3.2.0-beta+exp.sha.5114f85',
    'Etc/GMT+12',
    'build+1700000000000',
    'release-+4412345678',
    'q8Zx+12345678Ab/9',
    'sequence+1234567890',
    'epoch+1712345678',
    'ts+1712345678901',
    'x-amz-meta+20240115T103000Z',
    'app-1.0.0-SNAPSHOT+2024011510300',
    'lot+86123456789012',
    'id_+11111111111',
    'r+1234567890123456',
    'sha-+12125551234567',
  ])('leaves %j alone (not a valid international number, or glued to digits)', (value) => {
    expect(hits('version', value)).toEqual([]);
    expect(hits(value, 'x')).toEqual([]);
  });
});
