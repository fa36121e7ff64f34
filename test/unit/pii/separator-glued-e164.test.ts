import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { digitRuns } from '../../../src/pii/digit-runs.js';
import { makeRedactor } from '../../../src/pii/redact.js';

const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);
const hits = (key: string, value: string): string[] => detectPii(key, value).map((h) => `${h.kind}@${h.where}`).sort();

// A full E.164 number glued to a word before it by a separator ('/', ':', '=', '|', ',', ';', '.'), and ended by a
// separator or a non-digit after it: a '/' and a date after the number are not part of it.
describe('an international number glued to a word by a separator', () => {
  const CASES: ReadonlyArray<readonly [string, string]> = [
    ['ops/+14155552671', 'ops/+********671'],
    ['team:+14155552671', 'team:+********671'],
    ['oncall=+14155552671', 'oncall=+********671'],
    ['pager|+44 20 7946 0958', 'pager|+44 ** **** *958'],
    ['escalation,+14155552671', 'escalation,+********671'],
    ['escalation;+14155552671', 'escalation;+********671'],
    ['ops.+14155552671', 'ops.+********671'],
    ['ops/+1-415-555-2671', 'ops/+1-***-***-*671'],
    ['https://wa.me/+14155552671', 'https://wa.me/+********671'],
    ['+14155552671/20240115', '+********671/20240115'],
    ['+14155552671/2024-01-15', '+********671/2024-01-15'],
    ['ops/+14155552671/20240115', 'ops/+********671/20240115'],
    ['team:+14155552671/20240115', 'team:+********671/20240115'],
    ['pager|+44 20 7946 0958/2', 'pager|+44 ** **** *958/2'],
  ];

  it.each(CASES)('%j is masked in a value, under a phone key or not', (value, masked) => {
    for (const key of ['oncall', 'anycompany:workload:environment', 'Name']) {
      expect(hits(key, value), key).toEqual(['phone@value']);
      expect(redacted(key, value), key).toBe(masked);
    }
  });

  it.each([
    ['oncall/+14155552999', 'oncall/+********999'],
    ['+14155552999/20240115', '+********999/20240115'],
  ])('%j is masked as a tag key', (key, masked) => {
    expect(hits(key, 'x')).toEqual(['phone@key']);
    expect(makeRedactor(detectPii(key, 'x'))(key)).toBe(masked);
  });

  it('needs a phone word or key for a number that is only possible, not valid', () => {
    // +44 7700 900… is Ofcom's drama range: possible, not valid
    expect(hits('anycompany:workload:environment', 'rota/+447700900123')).toEqual([]);
    expect(hits('anycompany:workload:environment', 'mobile/+447700900123')).toEqual(['phone@value']);
    expect(hits('oncall', 'rota/+447700900123')).toEqual(['phone@value']);
  });

  it('reads the number up to a "/" beside the reading that joins across it', () => {
    const runs = digitRuns('ops/+14155552671/20240115', 7);
    expect(runs.map((r) => [r.start, r.end, r.digits, r.glued])).toEqual([
      [4, 25, '1415555267120240115', true],
      [4, 16, '14155552671', true],
    ]);
    // a '/' inside the first digits reads no shorter run
    expect(digitRuns('+49 89/1234567', 7)).toHaveLength(1);
    // only '+' numbers: "030/1234567" and "4111/1111 …" keep their single reading
    expect(digitRuns('0301234567/20240115', 7)).toHaveLength(1);
  });

  it.each([
    'build/+1700000000000',
    'v1.2/+20130313144700',
    'ts/+20240115103000',
    '1.0.0.+14155552671',
    '2.4.1.+14155552671',
    'logs/+1712345678',
    'events/+1712345678901',
    'acct/+123456789012',
    'card/+4111111111111111',
    'https://example.com/search?q=c++/+2024-01-15',
    '1.0.0+20130313144700/20240115',
    'x/+0014155552671',
    '+1234567/20240115',
  ])('leaves %j alone (no valid international number, or a version before the +)', (value) => {
    expect(hits('version', value)).toEqual([]);
    expect(hits(value, 'x')).toEqual([]);
  });
});
