import { describe, expect, it } from 'vitest';
import { detectPii, type PiiHit } from '../../../src/pii/detect.js';
import type { PiiKind } from '../../../src/pii/kinds.js';
import { maskPii } from '../../../src/pii/mask.js';
import { makeRedactor } from '../../../src/pii/redact.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const FIGURE = '\u2007';

const valueHits = (key: string, value: string): PiiHit[] => detectPii(key, value).filter((h) => h.where === 'value');
const kinds = (key: string, value: string): PiiKind[] => valueHits(key, value).map((h) => h.kind);
const digitsOf = (s: string): string => s.replace(/\D/g, '');

describe('numbers grouped by no-break, narrow no-break and figure spaces (text pasted from Word, Outlook, the web)', () => {
  // Each case: the same number grouped with each of the three spaces must be found like its ' ' spelling.
  const cases: [string, string, PiiKind][] = [
    ['phone', '+44 20 7946 0018', 'phone'],
    ['oncall', '+1 206 555 0143', 'phone'],
    ['phone', '020 7946 0018', 'phone'],
    ['notes', 'card 4111 1111 1111 1111', 'credit-card'],
    ['notes', 'Amex 3782 822463 10005', 'credit-card'],
    ['ssn', '078 05 1120', 'ssn'],
    ['notes', 'SSN 078 05 1120', 'ssn'],
  ];
  for (const sp of [NBSP, NNBSP, FIGURE]) {
    const name = `U+${sp.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    it.each(cases)(`${name}: %s = %s is a %s`, (key, plain, kind) => {
      const value = plain.replaceAll(' ', sp);
      const hits = valueHits(key, value).filter((h) => h.kind === kind);
      expect(hits).toHaveLength(1);
      const hit = hits[0] as PiiHit;
      // the whole number is the match, and its mask holds at most the digits the ' ' spelling's mask keeps
      expect(digitsOf(hit.match)).toBe(digitsOf(plain.replace(/^\D+/, '')));
      expect(digitsOf(hit.masked)).toBe(digitsOf(maskPii(kind, plain.slice(plain.length - hit.match.length))));
    });
  }

  it('finds all three in the tags the audit reported, and no output of the redactor holds their digits', () => {
    const tags: Record<string, string> = {
      phone: `+44${NBSP}20${NBSP}7946${NBSP}0018`,
      notes: `card 4111${NBSP}1111${NBSP}1111${NBSP}1111`,
      ssn: `078${NBSP}05${NBSP}1120`,
    };
    const hits = Object.entries(tags).flatMap(([k, v]) => detectPii(k, v));
    expect(hits.map((h) => h.kind).sort()).toEqual(['credit-card', 'phone', 'ssn']);
    const redact = makeRedactor(hits);
    const renderings = [JSON.stringify(tags), JSON.stringify(tags).replace(/\u00a0/g, '\\u00a0'), Object.values(tags).join(' | '), encodeURIComponent(tags.notes as string)];
    for (const r of renderings) {
      const out = redact(r);
      for (const secret of ['79460018', '4111111111111111', '078051120']) expect(digitsOf(out), out).not.toContain(secret);
      expect(out).not.toMatch(/7946|1111.1111|05.1120/);
    }
  });

  it('does not turn thousands separators or dates written with no-break spaces into PII', () => {
    expect(kinds('budget', `12${NBSP}500${NBSP}000 EUR`)).toEqual([]);
    expect(kinds('description', `Batch size 1${NBSP}000${NBSP}000 rows`)).toEqual([]);
    expect(kinds('CreatedDate', `2024${NBSP}01${NBSP}15`)).toEqual([]);
    expect(kinds('cost-center', `4500${NBSP}123${NBSP}456`)).toEqual([]);
  });
});

describe('makeRedactor masks the same value written in another layout', () => {
  const redactorFor = (tags: Record<string, string>): ((t: string) => string) =>
    makeRedactor(Object.entries(tags).flatMap(([k, v]) => detectPii(k, v)));

  it.each(['4155552671', '415.555.2671', '(415) 555-2671', '415 555 2671', '1-415-555-2671', '+1.415.555.2671', `415${NBSP}555${NBSP}2671`, '+14155552671'])(
    'a phone detected as "+1 415-555-2671" also as %s',
    (other) => {
      const redact = redactorFor({ phone: '+1 415-555-2671' });
      const out = redact(`ticket "${other}" differs`);
      expect(digitsOf(out)).not.toContain('5552671');
      expect(out).toMatch(/^ticket ".*671" differs$/);
    },
  );

  it('a phone detected in its national layout also with a country code, and the reverse', () => {
    const national = redactorFor({ oncall: '020 7946 0018' });
    for (const other of ['+44 20 7946 0018', '+44 (0)20 7946 0018', '0044 20 7946 0018', '2079460018']) expect(digitsOf(national(other)), other).not.toContain('79460');
    const intl = redactorFor({ phone: '+44 20 7946 0018' });
    for (const other of ['020 7946 0018', '(020) 7946-0018', '02079460018']) expect(digitsOf(intl(other)), other).not.toContain('79460');
  });

  it('card and SSN digits with any separators', () => {
    const redact = redactorFor({ notes: 'card 4111 1111 1111 1111', ssn: '078-05-1120' });
    for (const other of ['4111111111111111', '4111-1111-1111-1111', '4111.1111.1111.1111', '078 05 1120', '078051120', '078.05.1120'])
      expect(redact(`value ${other} end`), other).toMatch(/^value [*\s.-]*\d{0,4} end$/);
  });

  it('does not mask other numbers that merely share digits', () => {
    const redact = redactorFor({ phone: '+1 415-555-2671' });
    expect(redact('ticket 24155552671')).toBe('ticket 24155552671');
    expect(redact('account 415555267')).toBe('account 415555267');
    expect(redact('cost-center 415-555-2670')).toBe('cost-center 415-555-2670');
  });

  it('a person name also surname first, and the surname-first form also in the natural order', () => {
    const redact = redactorFor({ owner: 'Jane Doe' });
    expect(redact('team: Doe, Jane; notes: JANE DOE; doe,jane; Jane  Doe')).toBe('team: D***, J***; notes: J*** D***; d***,j***; J***  D***');
    expect(redact('Doe, Janet')).toBe('Doe, Janet');
    const reverse = redactorFor({ owner: 'Doe, Jane' });
    expect(reverse('approved by Jane Doe')).toBe('approved by J*** D***');
  });

  it('an e-mail address also with "at" and "dot" spelt out, and the reverse', () => {
    const redact = redactorFor({ contact: 'jane.doe(at)example(dot)com' });
    expect(redact('ref: jane.doe at example dot com')).toBe('ref: j***@e*****e.com');
    expect(redact('mailto:Jane.Doe@Example.com')).toBe('mailto:J***@E*****e.com');
    expect(redact('meet at example dot com')).toBe('meet at example dot com');
    const reverse = redactorFor({ owner: 'jane.doe@example.com' });
    // URL-encoded, it stays URL-encoded: the mask keeps the value's own spelling.
    expect(reverse('jane.doe [at] example [dot] com; jane.doe%40example.com')).toBe('j***@e*****e.com; j***%40e*****e.com');
  });

  it('stays linear on long adversarial text', () => {
    const redact = redactorFor({ phone: '+1 415-555-2671', owner: 'Jane Mary Doe', notes: 'card 4111 1111 1111 1111' });
    // near-misses: every prefix matches, the last digit or word never does
    const text = ['4 1 5 5 5 5 2 6 7 ', '%20%20%2', 'Doe,  Jane  Mar ', '4111-1111-1111-111 '].map((u) => u.repeat(20_000)).join('');
    expect(redact(text)).toBe(text);
  });
});

describe('"Doe, Jane" outside person keys', () => {
  it('is a name as the whole value of a group or free-text key, as "Jane Doe" is', () => {
    expect(kinds('team', 'Jane Doe')).toEqual(['person-name']);
    expect(kinds('team', 'Doe, Jane')).toEqual(['person-name']);
    expect(kinds('notes', 'Rossi, Maria')).toEqual(['person-name']);
    expect(valueHits('team', 'Doe, Jane')[0]?.masked).toBe('D***, J***');
  });

  it.each([
    ['team', 'Platform, Data'],
    ['team', 'Payments, Risk'],
    ['notes', 'Sales, Marketing'],
    ['location', 'Austin, Texas'],
    ['site', 'Victoria, Australia'],
    ['team', 'Security, Grace'],
  ])('not %s = %s', (key, value) => {
    expect(kinds(key, value)).not.toContain('person-name');
  });
});
