import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { maskPii } from '../../../src/pii/mask.js';
import { makeRedactor, redactText } from '../../../src/pii/redact.js';

// Acceptance s12 L1, L2 and L7: an address with a non-ASCII letter in its local part was cut at that letter (the
// name before it printed in clear), one with an internationalised domain was not found at all, and an '@' written
// another way (full-width, an HTML entity, an escape, URL-encoded twice, invisible characters around it) hid the
// address from the detector.
const emails = (key: string, value: string): string[] => detectPii(key, value).filter((h) => h.kind === 'email').map((h) => h.match);
const ENV = 'anycompany:workload:environment';

/** Letters of the names in the cases below that no mask may show (the initial and the public suffix are shown). */
const NAME_PARTS = /ren[ée]e|j[üu]rgen|m[üu]ller|jos[ée]|garc[íi]a|jane\.do|brien|maria|b[üu]cher|m[üu]nchen|例え|иван|петров|пример|用户|例子|zoe|wide|space|stone|example/i;

describe('non-ASCII letters in the local part (L1)', () => {
  it.each([
    ['renée@example.fr', 'r***@e*****e.fr'],
    ['jürgen.müller@example.de', 'j***@e*****e.de'],
    ['JÜRGEN.MÜLLER@EXAMPLE.DE', 'J***@E*****E.DE'],
    ['josé.garcía@example.com', 'j***@e*****e.com'],
    ['jane.do\u0435e@example.com', 'j***@e*****e.com'], // a Cyrillic е typed into an ASCII address
    ["o'brien@example.ie", 'o***@e*****e.ie'],
    ['o\u2019brien@example.ie', 'o***@e*****e.ie'],
    ['j\u0308urgen@example.de', 'j***@e*****e.de'], // a combining diaeresis
  ])('%s is one address, masked whole as %s', (value, masked) => {
    const hits = detectPii(ENV, value);
    expect(hits.map((h) => [h.kind, h.match, h.masked])).toEqual([['email', value, masked]]);
  });

  it('finds the address, not the quotes or text around it', () => {
    expect(emails('notes', "contact 'o'brien@example.ie' today")).toEqual(["o'brien@example.ie"]);
    expect(emails('notes', 'owner: jürgen.müller@example.de, backup')).toEqual(['jürgen.müller@example.de']);
    expect(emails('notes', '«josé.garcía@example.com»')).toEqual(['josé.garcía@example.com']);
    expect(emails('notes', 'jane@example.comは連絡先です')).toEqual(['jane@example.com']);
  });

  it('masks the value the same way in every message that quotes it', () => {
    for (const value of ['jürgen.müller@example.de', 'renée@example.fr', "o'brien@example.ie"]) {
      const show = makeRedactor(detectPii(ENV, value));
      const message = show(`value "${value}" of tag ${ENV} is not allowed`);
      expect(message).toMatch(/value "[a-z]\*\*\*@e\*\*\*\*\*e\.(?:de|fr|ie)" of tag/);
      expect(message).not.toMatch(NAME_PARTS);
      expect(redactText(`owner ${value} left`)).not.toMatch(NAME_PARTS);
    }
  });

  it('cuts a non-ASCII local part run on from text without spaces to 64 characters, and masks it', () => {
    const value = `${'请'.repeat(80)}用户@例子.广告`;
    const hits = detectPii('notes', value);
    expect(hits.map((h) => h.kind)).toEqual(['email']);
    expect([...(hits[0]?.match ?? '')].length).toBe(64 + '@例子.广告'.length);
    expect(hits[0]?.masked).toBe('****@**.广告');
  });
});

describe('internationalised domains and non-Latin addresses (L2)', () => {
  it.each([
    ['maria.garcia@bücher.de', 'm***@b****r.de'],
    ['jane.doe@münchen.de', 'j***@m*****n.de'],
    ['jane@例え.jp', 'j***@**.jp'],
    ['иван.петров@пример.рф', 'и***@п****р.рф'],
    ['用户@例子.广告', '****@**.广告'],
    ['maria.garcia@xn--bcher-kva.de', 'm***@x***********a.de'],
  ])('%s is found and masked as %s', (value, masked) => {
    expect(detectPii(ENV, value).map((h) => [h.kind, h.match, h.masked])).toEqual([['email', value, masked]]);
    expect(makeRedactor(detectPii(ENV, value))(`value "${value}"`)).not.toMatch(NAME_PARTS);
  });

  it('shows no Han, Hangul or kana character of a local part or a domain name', () => {
    expect(maskPii('email', '王伟@北京大学.中国')).toBe('****@****.中国');
    expect(maskPii('email', '김민준@회사.한국')).toBe('****@**.한국');
  });
});

describe("an '@' written another way (L7)", () => {
  it.each([
    ['zoe.zero\u200b@example.com', 'z***@e*****e.com'],
    ['zoe\u200d.zero@exam\u200bple.com', 'z***@e*****e.com'],
    ['zoe.wide\uff20example.com', 'z***@e*****e.com'],
    ['zoe.small\ufe6bexample.com', 'z***@e*****e.com'],
    ['jane.doe&#64;example.com', 'j***@e*****e.com'],
    ['jane.doe&#x40;example.com', 'j***@e*****e.com'],
    ['jane.doe&commat;example.com', 'j***@e*****e.com'],
    ['jane.doe\\u0040example.com', 'j***@e*****e.com'],
    ['jane.doe\\x40example.com', 'j***@e*****e.com'],
    ['jane.doe%2540example.com', 'j***@e*****e.com'],
    ['bob.stone%40example.net', 'b***@e*****e.net'],
  ])('%j is found and masked as %s', (value, masked) => {
    expect(detectPii(ENV, value).map((h) => [h.kind, h.match, h.masked])).toEqual([['email', value, masked]]);
  });

  it('leaves an invisible character before the address out of it', () => {
    expect(emails(ENV, '\u200bzoe.zero@example.com')).toEqual(['zoe.zero@example.com']);
  });

  it('finds an encoded address inside a URL or after mailto:', () => {
    expect(emails('notes', 'mailto:jane.doe%40example.com')).toEqual(['jane.doe%40example.com']);
    expect(emails('link', 'https://app.example.com/invite?to=jane.doe%40example.com&x=1')).toEqual(['jane.doe%40example.com']);
    // the address after an encoded one goes on over it: one span, not two
    expect(emails('feed', 'https://jane.doe%40example.com@feeds.example.org/x')).toEqual(['jane.doe%40example.com@feeds.example.org']);
  });

  it('finds "name @ domain" with spaces around the @ when it is the whole value or the key is about a person', () => {
    expect(emails(ENV, 'zoe.space @ example.com')).toEqual(['zoe.space @ example.com']);
    expect(emails('contact', 'ask zoe.space @ example.com first')).toEqual(['zoe.space @ example.com']);
    expect(maskPii('email', 'zoe.space @ example.com')).toBe('z***@e*****e.com');
  });
});

describe('stays quiet on text that is not an address', () => {
  it.each([
    ['notes', 'café@home'],
    ['notes', '@用户 请确认'],
    ['notes', 'cc @jürgen.müller on this'],
    ['notes', 'Größe@Lager'],
    ['notes', 'チーム@東京'],
    ['notes', 'naïve@v1.2'],
    ['deps', '@scope/paquet@1.2.3'],
    ['deps', '%40aws-sdk%2Fclient-s3%403.400.0'],
    ['url', 'https://registry.npmjs.org/%40scope%2Fpkg'],
    ['notes', '&#64;mention and &commat;handle'],
    ['notes', '\\u0040scope/pkg'],
    ['notes', 'jane%40home'],
    ['repo', 'git%40github.com:org/repo.git'],
    ['url', 'ssh://deploy%40bastion.example.com'],
    ['notes', 'svc%40bastion.example.com:2222'],
    ['notes', 'README.md @ github.com'],
    ['notes', 'pandas @ pypi.org'],
    ['notes', 'deploy.sh @ build.example.com'],
    ['notes', 'see zoe.space @ example.com for details'],
    ['notes', 'zoe.space @ example.com-x'],
    ['bastion', 'jane.doe @ jump.example.com'],
  ])('not %s = %s', (key, value) => {
    expect(emails(key, value)).toEqual([]);
  });
});

describe('the encoded-@ scan stays linear', () => {
  it('reads a long run of "%40" signs quickly enough to finish', () => {
    // Not a timing assertion: reading the whole run back from every sign would take minutes here.
    const long = `${'a%40'.repeat(100_000)} jane.doe%40example.com`;
    expect(emails('notes', long)).toEqual(['jane.doe%40example.com']);
    expect(emails('notes', `${'a%2540'.repeat(100_000)} jane.doe%2540example.com`)).toEqual(['jane.doe%2540example.com']);
    expect(emails('notes', `${'%40'.repeat(100_000)}jane.doe%40example.com`)).toEqual(['jane.doe%40example.com']);
  });
});
