import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { maskPii } from '../../../src/pii/mask.js';
import { loadCorpus } from './corpus.js';

// "%2B…" and "%20" are a URL-encoded '+' and space: their digits are the encoding's, not the value's
const digitsOf = (s: string): string => s.replace(/%2b|%20/gi, ' ').replace(/\D/g, '');

describe('maskPii', () => {
  it('masks the documented shapes', () => {
    expect(maskPii('email', 'john@example.com')).toBe('j***@e*****e.com');
    expect(maskPii('email', 'wei.zhang@ml.research.anycompany.co.uk')).toBe('w***@**.********.a********y.co.uk');
    expect(maskPii('credit-card', '4111 1111 1111 1111')).toBe('**** **** **** 1111');
    expect(maskPii('credit-card', '4111111111111111')).toBe('**** **** **** 1111');
    expect(maskPii('credit-card', '378282246310005')).toBe('*** **** **** 0005');
    expect(maskPii('ssn', '123-45-6789')).toBe('***-**-6789');
    expect(maskPii('ssn', '123456789')).toBe('***-**-6789');
    expect(maskPii('phone', '+44 20 7946 0018')).toBe('+44 ** **** *018');
    expect(maskPii('phone', '(206) 555-0100')).toBe('(***) ***-*100');
    expect(maskPii('iban', 'GB82 WEST 1234 5698 7654 32')).toBe('GB** **** **** **** **54 32');
    expect(maskPii('ip-address', '10.0.3.17')).toBe('10.***.***.***');
    expect(maskPii('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')).toBe('AKIA************MPLE');
    expect(maskPii('aws-secret-key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(`${'*'.repeat(36)}EKEY`);
    expect(maskPii('person-name', 'Jane Doe')).toBe('J*** D***');
    expect(maskPii('date-of-birth', '1985-03-12')).toBe('****-**-**');
    expect(maskPii('street-address', '221B Baker Street, London')).toBe('**** ***** ******, ******');
    expect(maskPii('passport', 'C01X00T47')).toBe('*******47');
  });

  describe('on every positive of the corpus', () => {
    const hits = loadCorpus()
      .filter((e) => e.expect.length > 0)
      .flatMap((e) => detectPii(e.key, e.value).map((h) => ({ h, line: e.line })));

    it('has hits to check', () => expect(hits.length).toBeGreaterThan(150));

    it('never contains the raw match', () => {
      for (const { h, line } of hits) {
        expect(h.masked, `line ${line} ${h.kind}`).not.toContain(h.match);
        expect(h.masked.toLowerCase(), `line ${line} ${h.kind}`).not.toContain(h.match.toLowerCase());
        expect(h.masked).toBe(maskPii(h.kind, h.match));
      }
    });

    it('shows at most the last 4 digits of cards and SSNs, and at most 3 digits of phone numbers beyond the country code', () => {
      for (const { h, line } of hits) {
        const shown = digitsOf(h.masked);
        if (h.kind === 'credit-card' || h.kind === 'ssn') {
          expect(shown.length, `line ${line}`).toBeLessThanOrEqual(4);
          expect(digitsOf(h.match).endsWith(shown), `line ${line}`).toBe(true);
        }
        if (h.kind === 'phone') {
          const cc = /^(?:\+|%2b)(\d{1,3})/i.exec(h.masked)?.[1] ?? '';
          expect(shown.length - cc.length, `line ${line}`).toBeLessThanOrEqual(3);
        }
      }
    });

    it('hides most of every value', () => {
      for (const { h, line } of hits) {
        const raw = h.match.replace(/%2b|%20/gi, ' ').replace(/[^\p{L}\p{N}]/gu, '');
        const visible = h.masked.replace(/%2b|%20/gi, ' ').replace(/[^\p{L}\p{N}]/gu, '');
        // e-mail keeps its top-level domain; everything else reveals at most a few characters
        const dotted = h.match.replace(/\s+dot\s+|\uff0e/gi, '.'); // "jane at example dot com", a full-width full stop
        const suffix = /\.((?:co|com|ac|gov|org|net|edu)\.[a-z]{2}|\p{L}+)$/iu.exec(dotted)?.[1] ?? ''; // "рф", "广告" too
        // access key ids keep their AKIA/ASIA type prefix and last 4, as the IAM console shows them
        const allowance = h.kind === 'email' ? 3 + suffix.replace(/\./g, '').length : h.kind === 'aws-access-key' ? 8 : 6;
        expect(visible.length, `line ${line} ${h.kind}`).toBeLessThanOrEqual(Math.min(allowance, Math.ceil(raw.length / 2) + 2));
      }
    });
  });
});
