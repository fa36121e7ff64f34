import type { Profile } from './text-context.js';

/**
 * Characters of an e-mail address beyond ASCII (RFC 6531): letters, marks and digits of any script in the local part
 * and the domain, invisible characters inside it, and the ways an '@' is written when it is not typed as one.
 */

/** Zero-width space / non-joiner / joiner, word joiner, BOM and soft hyphen: invisible, and no end to a word. */
export const isInvisibleCode = (c: number): boolean =>
  c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff || c === 0xad;
export const INVISIBLE_G = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

/** Whether t[from, end) is all ASCII: the common case, where nothing below needs to run. */
export function isAsciiRange(t: string, from = 0, end = t.length): boolean {
  for (let i = from; i < end; i++) if (t.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Code units (0, 1 or 2) of a non-ASCII letter, mark, digit or invisible character ending just before `i`
 * (`before`) or starting at `i` (not `before`); 0 for anything else, ASCII included.
 */
export function unicodeWordUnits(t: string, i: number, before: boolean): number {
  const at = before ? i - 1 : i;
  const c = t.charCodeAt(at);
  if (c < 0x80 || Number.isNaN(c)) return 0;
  if (isInvisibleCode(c)) return 1;
  if (before && c >= 0xdc00 && c <= 0xdfff && at > 0) {
    const hi = t.charCodeAt(at - 1);
    if (hi >= 0xd800 && hi <= 0xdbff) return WORD_CHAR.test(t.slice(at - 1, at + 1)) ? 2 : 0;
  }
  if (!before && c >= 0xd800 && c <= 0xdbff) return WORD_CHAR.test(t.slice(at, at + 2)) ? 2 : 0;
  return WORD_CHAR.test(t[at] as string) ? 1 : 0;
}

/** A top-level name in a script other than Latin (`рф`, `广告`, `中国`): letters only, none of them ASCII. */
export const UNICODE_TLD = /^(?:(?!\p{ASCII})[\p{L}\p{M}]){2,24}$/u;

/**
 * An '@' written another way: full-width or small (U+FF20, U+FE6B), an HTML entity (`&#64;`, `&#x40;`,
 * `&commat;`), a literal escape (`\u0040`, `\x40`), URL-encoded once or twice (`%40`, `%2540`).
 */
const ENCODED_AT_SOURCE = String.raw`&#0*64;|&#x0*40;|&commat;|\\u0040|\\x40|%(?:25)?40`;
export const AT_SIGN_G = new RegExp(`[@\\uff20\\ufe6b]|${ENCODED_AT_SOURCE}`, 'gi');
const ENCODED_AT = new RegExp(ENCODED_AT_SOURCE, 'i');

/**
 * Whether a text may hold an '@' written in one of the other ways, from its profile and a few substring checks
 * (a domain has a dot; every encoded form starts with '%', '&' or '\\'): the prefilter before AT_SIGN_G, run on every tag.
 */
export function hasOtherAtSign(text: string, p: Profile): boolean {
  // (a full-width address has full-width dots, U+FF0E, which the profile does not count)
  if (p.nonAscii > 0 && (text.includes('\uff20') || text.includes('\ufe6b'))) return p.dots > 0 || text.includes('\uff0e');
  if (p.dots === 0) return false; // no domain
  if (!(text.includes('%') || text.includes('&') || text.includes('\\'))) return false;
  return ENCODED_AT.test(text);
}

/**
 * Scripts in which one character is a syllable or a word (Han, Hangul, kana): a mask shows none of them, where it
 * shows the initial of a Latin or Cyrillic name.
 */
export const SYLLABIC_CHAR = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Yi}]$/u;
