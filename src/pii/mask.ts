import { INVISIBLE_G, isAsciiRange, SYLLABIC_CHAR } from './email-chars.js';
import type { PiiKind } from './kinds.js';
import { asciiDigits, isDigitChar } from './script-digits.js';

/** An ASCII digit or a full-width or Arabic-Indic one (see script-digits.ts): each is starred alike. */
const isDigit = isDigitChar;

/** Replaces every character matching `test` with '*', except the last `keep` of them. */
function starAllBut(raw: string, keep: number, test: (c: string) => boolean): string {
  let total = 0;
  for (const c of raw) if (test(c)) total++;
  let seen = 0;
  let out = '';
  for (const c of raw) {
    if (test(c)) {
      seen++;
      out += seen > total - keep ? c : '*';
    } else out += c;
  }
  return out;
}

/** Groups of 4 from the right: "************1111" → "**** **** **** 1111". */
function group4(s: string): string {
  const parts: string[] = [];
  for (let end = s.length; end > 0; end -= 4) parts.unshift(s.slice(Math.max(0, end - 4), end));
  return parts.join(' ');
}

/** Where an address's '@' stands, however it is written (see AT_SIGN_G), "(at)" and " at " included. */
const EMAIL_AT = /\s*(?:[@\uff20\ufe6b]|&#0*64;|&#x0*40;|&commat;|\\u0040|\\x40|%(?:25)?40)\s*|\s*[[({]\s*at\s*[\])}]\s*|\s+at\s+/i;

/** A character a mask may show: never a Han, Hangul or kana one, which is a whole syllable or word. */
const shownChar = (c: string | undefined): string => (c === undefined ? '' : SYLLABIC_CHAR.test(c) ? '*' : c);

const LABEL_DOT = /[.\uff0e]/;
const LABEL_DOT_G = /[.\uff0e]/g;

function maskEmail(address: string): string {
  // "jane@x.com", "jane (at) x (dot) com", "jane at x dot com", "jane%40x.com", "jane&#64;x.com", "jürgen@bücher.de"
  const ascii = isAsciiRange(address);
  const raw = ascii ? address : address.replace(INVISIBLE_G, '');
  const at = EMAIL_AT.exec(raw);
  if (at === null) return '***';
  const local = raw.slice(0, at.index);
  const domain = raw.slice(at.index + at[0].length).replace(/\s*[[({]\s*dot\s*[\])}]\s*|\s+dot\s+/gi, '.');
  // a full-width full stop (U+FF0E) separates labels as '.' does, and stays as written
  const labels = domain.split(LABEL_DOT);
  const dots = domain.match(LABEL_DOT_G) ?? [];
  // Keep the public suffix ("com", "co.uk") and the first and last letter of the name before it; star subdomains.
  const n = labels.length;
  const suffixLen = n >= 3 && (labels[n - 1] as string).length === 2 && /^(?:co|com|ac|gov|org|net|edu|ne|or|go|gob|nic)$/i.test(labels[n - 2] as string) ? 2 : 1;
  const masked = labels.map((l, i) => {
    if (i >= n - suffixLen) return l;
    const chars = ascii ? l : [...l];
    if (i === n - suffixLen - 1 && chars.length > 2) return `${shownChar(chars[0])}${'*'.repeat(chars.length - 2)}${shownChar(chars[chars.length - 1])}`;
    return '*'.repeat(chars.length);
  });
  return `${ascii ? local.slice(0, 1) : shownChar([...local][0])}***@${masked.map((l, i) => (i === 0 ? l : (dots[i - 1] ?? '.') + l)).join('')}`;
}

/** "%2B14155552671" → "%2B********671": a URL-encoded number is masked as decoded and shown encoded again. */
const URL_PHONE = /%2b|%20/i;

function maskPhone(raw: string): string {
  if (raw.includes('%') && URL_PHONE.test(raw)) {
    const plus = /%2b/i.exec(raw)?.[0];
    const masked = maskPhone(raw.replace(/%2b/gi, '+').replace(/%20/g, ' '));
    return (plus === undefined ? masked : masked.replace('+', plus)).replace(/ /g, raw.includes('%20') ? '%20' : ' ');
  }
  // Keep a leading "+cc" (country), the last 3 digits and the punctuation.
  const m = /^(\+|00)(\d{1,3})(?=[\s.(-])/.exec(raw);
  if (m !== null) return `+${m[2] as string}${starAllBut(raw.slice(m[0].length), 3, isDigit)}`;
  return starAllBut(raw, 3, isDigit);
}

function maskCard(raw: string): string {
  const digits = asciiDigits(raw).replace(/\D/g, '');
  if (/[\s-]/.test(raw)) return starAllBut(raw, 4, isDigit);
  return group4('*'.repeat(digits.length - 4) + digits.slice(-4));
}

function maskIban(raw: string): string {
  const compact = raw.replace(/\s/g, '');
  const body = '*'.repeat(Math.max(0, compact.length - 8)) + compact.slice(-4);
  return (compact.slice(0, 2) + '**' + body).replace(/(.{4})(?=.)/g, '$1 ');
}

function maskIp(raw: string): string {
  const v4 = /^(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}(\/32)?$/.exec(raw);
  if (v4 !== null) return `${v4[1] as string}.***.***.***${v4[2] ?? ''}`;
  const first = raw.split(':')[0] ?? '';
  return `${first === '' ? '' : first}:****:****:…`;
}

function maskWords(raw: string): string {
  // Initial of each word, digits starred: "Jane Doe" → "J*** D***"
  return raw.replace(/[\p{L}\p{N}'’-]+/gu, (w) => {
    const first = w[0] as string;
    return isDigit(first) ? w.replace(/\d/g, '*') : `${first}***`;
  });
}

/** Masks a detected value so that it shows its kind and shape but never the value itself. */
export function maskPii(kind: PiiKind, raw: string): string {
  switch (kind) {
    case 'email':
      return maskEmail(raw);
    case 'phone':
      return maskPhone(raw);
    case 'ssn':
      return `***-**-${asciiDigits(raw).replace(/\D/g, '').slice(-4)}`;
    case 'credit-card':
      return maskCard(raw);
    case 'iban':
      return maskIban(raw);
    case 'ip-address':
      return maskIp(raw);
    case 'aws-access-key':
      return raw.slice(0, 4) + '*'.repeat(Math.max(0, raw.length - 8)) + raw.slice(-4);
    case 'aws-secret-key':
      return '*'.repeat(Math.max(0, raw.length - 4)) + raw.slice(-4);
    case 'person-name':
      return maskWords(raw);
    case 'date-of-birth':
      return raw.replace(/\d/g, '*').replace(/\p{L}+/gu, '***');
    case 'street-address':
      return raw.replace(/[\p{L}\p{N}]/gu, '*');
    case 'passport':
      return raw.length <= 9 ? '*'.repeat(raw.length - 2) + raw.slice(-2) : raw.slice(0, 2) + '*'.repeat(Math.min(raw.length - 2, 20));
  }
}

