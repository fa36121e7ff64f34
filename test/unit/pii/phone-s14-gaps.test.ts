import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { makeRedactor } from '../../../src/pii/redact.js';

// Acceptance s14 D5 and D6, and the lead's '/' cases: phone numbers written in layouts the phone check missed or
// read only in part (the rest of the digits then shown raw).
const hits = (key: string, value: string): string[] => detectPii(key, value).map((h) => `${h.kind}:${h.match}`);
const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);

describe('a North American number after its country code, without a + (D5)', () => {
  it.each([
    ['1-415-555-2671', '*-***-***-*671'],
    ['1.415.555.2671', '*.***.***.*671'],
    ['1-212-736-5000', '*-***-***-*000'],
    ['1 415 555 2671', '* *** *** *671'],
  ])('notes = %j is masked as %j', (value, masked) => {
    expect(hits('notes', value)).toEqual([`phone:${value}`]);
    expect(redacted('notes', value)).toBe(masked);
  });

  it.each([
    ['version', '1.415.555.2671'],
    ['notes', 'v1.415.555.2671'],
    ['notes', '1.123.456.7890'],
    ['notes', '1-123-456-7890'],
    ['build', '1.100.200.3000'],
    ['cidr', '1.100.200.0/24'],
  ])('%s = %j stays quiet', (key, value) => {
    expect(hits(key, value)).toEqual([]);
  });
});

describe("a '/' inside a phone number", () => {
  it.each([
    ['c2', '+4930/1234567', '+****/****567'],
    ['c2', '+49 30/123 4567', '+49 **/*** *567'],
    ['c2', '+4930123/4567', '+*******/*567'],
    ['c2', '+49 30 123/4567', '+49 ** ***/*567'],
    ['phone', '030 123/4567', '*** ***/*567'],
    ['notes', '+44/7911/123456', '+**/****/***456'],
  ])('%s = %j is read whole and masked as %j', (key, value, masked) => {
    expect(hits(key, value)).toEqual([`phone:${value}`]);
    expect(redacted(key, value)).toBe(masked);
  });

  it('still ends a + number at a / that starts a date', () => {
    expect(hits('c2', '+14155552671/20240115')).toEqual(['phone:+14155552671']);
    expect(hits('c2', '+44 20 7946 0958/2')).toEqual(['phone:+44 20 7946 0958']);
  });

  it.each([
    ['c2', '+2024/01/15'],
    ['c2', '+12/25/2024'],
    ['c2', '+20240115 103000'],
    ['c2', '+1 2024 0115'],
    ['c2', '+100 200 300'],
    ['notes', 'ratio 100 200/3000'],
    ['notes', 'build 1.2.3+4567 890/1234'],
    ['path', '/data/2024/01/15/123/4567'],
    ['s3-prefix', 's3://bucket/exports/030/123/4567/'],
    ['url', 'https://example.com/api/v2/items/4930/1234567'],
    ['c2', '030 123/4567'],
  ])('%s = %j stays quiet', (key, value) => {
    expect(hits(key, value)).toEqual([]);
  });
});

describe('other phone spellings (D6)', () => {
  it.each([
    ['notes', '＋447911123456', '＋*********456'],
    ['notes', '+４４７９１１１２３４５６', '+*********４５６'],
    ['mobile', '+1 ٤١٥ ٥٥٥ ٢٦٧١', '+1 *** *** *٦٧١'],
    ['contact', '00447911123456', '***********456'],
    ['notes', '+4420 7946 0958', '+**** **** *958'],
    ['notes', '+44_7911_123456', '+**_****_***456'],
    ['notes', '%2B14155552671', '%2B********671'],
    ['notes', '+1%20415%20555%202671', '+1%20***%20***%20*671'],
    ['notes', '+44%207911%20123456', '+44%20****%20***456'],
    ['notes', 'tel=%2B447911123456&x=1', 'tel=%2B*********456&x=1'],
  ])('%s = %j is masked as %j', (key, value, masked) => {
    expect(detectPii(key, value).map((h) => h.kind)).toEqual(['phone']);
    expect(redacted(key, value)).toBe(masked);
  });

  it('masks an SSN and a card written in full-width digits', () => {
    expect(redacted('notes', 'SSN ０７８-０５-１１２０')).toBe('SSN ***-**-1120');
    expect(redacted('notes', 'card ４１１１ １１１１ １１１１ １１１１')).toBe('card **** **** **** １１１１');
  });

  it.each([
    ['notes', 'build ２０２４'],
    ['notes', '00447911123456'],
    ['version', '1.0.0%2B20130313144700'],
    ['notes', 'https://example.com/search?q=c%2B%2B&page=2'],
    ['notes', 'q=a%2B1234567'],
    ['notes', '100%20200%203000'],
    ['notes', 'run_+2024_01_15'],
    ['notes', 'v+1_2_3_4567890'],
  ])('%s = %j stays quiet', (key, value) => {
    expect(hits(key, value)).toEqual([]);
  });
});
