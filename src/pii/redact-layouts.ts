import { parsePhoneNumberFromString, type PhoneNumber } from '../vendor/phone-numbers.js';
import type { PiiHit } from './detect.js';
import type { PiiKind } from './kinds.js';
import { maskPii } from './mask.js';
import type { SpanFinder } from './pii-span.js';
import { plainSpaces } from './text-context.js';

/**
 * Regular-expression sources that match a detected value in the other layouts people write it in: the same phone
 * number as "4155552671", "415.555.2671", "(415) 555-2671" or "+1 415 555 2671"; the same card or SSN digits with any
 * separators; "Doe, Jane" for "Jane Doe"; "jane.doe at example dot com" for "jane.doe@example.com". Every source is built from the hit's own (escaped) text and is bounded by
 * it (at most MAX_DIGITS digits joined by at most three separator characters, MAX_NAME_TOKENS words, eight domain
 * labels) and the separators never match what they separate, so matching stays linear in the text.
 */

/**
 * One separator between two digits as output may spell it: punctuation, any space (`\s` includes no-break spaces),
 * a JSON `\u` escape of a Unicode space, or a URL-encoded space, bracket, slash or Unicode space.
 */
const SEP = String.raw`(?:[\s().\-/]|\\u(?:00a0|200[0-9a]|202f|205f|3000)|%(?:20|28|29|2f|c2%a0|e2%80%(?:8[0-9a]|af)))`;
const GAP = `${SEP}{0,3}`;
const DIGITS_END = String.raw`(?!\d)`;
const WORD_START = String.raw`(?<![\p{L}\p{N}])`;
const WORD_END = String.raw`(?![\p{L}\p{N}])`;

const MAX_DIGITS = 19;
const MIN_DIGITS = 6;
const MAX_NAME_TOKENS = 6;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "4155552671" → 4 GAP 1 GAP 5 …: the digits in order with any separators between them. */
const spaced = (digits: string): string => digits.split('').join(GAP);

interface PhoneParts {
  /** National significant number: the digits after the country code and trunk prefix. */
  readonly nsn: string;
  /** Country calling code when known ("1", "44"). */
  readonly cc?: string;
}

function phoneParts(raw: string): PhoneParts | undefined {
  const plain = plainSpaces(raw).trim();
  const digits = plain.replace(/\D/g, '');
  if (plain.startsWith('+') || plain.startsWith('00')) {
    let p: PhoneNumber | undefined;
    try {
      p = parsePhoneNumberFromString(plain.startsWith('00') ? `+${plain.slice(2)}` : plain, { extract: false });
    } catch {
      p = undefined;
    }
    if (p !== undefined) return { nsn: p.nationalNumber, cc: p.countryCallingCode };
    return undefined;
  }
  // North American "1-415-555-2671" / "(415) 555-2671"; trunk-prefixed national numbers ("020 7946 0018") lose the 0,
  // which the pattern then allows back, with or without a country code before it.
  if (digits.length === 11 && digits[0] === '1' && digits[1] !== '0' && digits[1] !== '1') return { nsn: digits.slice(1), cc: '1' };
  if (digits.length === 10 && digits[0] !== '0' && digits[0] !== '1') return { nsn: digits, cc: '1' };
  if (digits[0] === '0' && digits[1] !== '0') return { nsn: digits.slice(1) };
  return { nsn: digits };
}

function phonePattern(raw: string): string | undefined {
  const parts = phoneParts(raw);
  if (parts === undefined || parts.nsn.length < MIN_DIGITS || parts.nsn.length > MAX_DIGITS) return undefined;
  // Any international prefix ("+44 ", "0044 ", "+1-"), or this number's country code written bare ("1 415 …").
  const intl = String.raw`(?:\+|00|%2b)${SEP}{0,2}\d{1,3}${GAP}`;
  const cc = parts.cc !== undefined ? `|${spaced(parts.cc)}${GAP}` : '';
  const trunk = parts.nsn.startsWith('0') ? '' : String.raw`(?:\(?0\)?${SEP}{0,2})?`;
  return `(?:${intl}${cc})?${trunk}${spaced(parts.nsn)}`;
}

function digitsPattern(raw: string, min: number): string | undefined {
  const digits = raw.replace(/\D/g, '');
  return digits.length >= min && digits.length <= MAX_DIGITS ? spaced(digits) : undefined;
}

/** "Jane Doe" → "Jane Doe" with any spacing, and "Doe, Jane"; "Doe, Jane" and "jane.doe" → the same two. */
function namePatterns(raw: string): string[] {
  let tokens: string[];
  const comma = raw.indexOf(',');
  if (comma >= 0) {
    // "Doe, Jane A." → "Jane A. Doe"
    const last = raw.slice(0, comma).trim().split(/\s+/);
    tokens = [...raw.slice(comma + 1).trim().split(/\s+/), ...last];
  } else if (!/\s/.test(raw.trim())) tokens = raw.trim().split(/[._]/);
  else tokens = raw.trim().split(/\s+/);
  tokens = tokens.filter((t) => t !== '');
  if (tokens.length < 2 || tokens.length > MAX_NAME_TOKENS) return [];
  const esc = tokens.map(escapeRe);
  const natural = esc.join(String.raw`\s+`);
  const given = esc.slice(0, -1).join(String.raw`\s+`);
  const surname = esc[esc.length - 1] as string;
  return [natural, `${surname}\\s*,\\s*${given}`];
}

const AT = String.raw`(?:\s*@\s*|%40|\s*[[({]\s*at\s*[\])}]\s*|\s+at\s+)`;
const DOT = String.raw`(?:\.|\s*[[({]\s*dot\s*[\])}]\s*|\s+dot\s+)`;

/** "jane.doe@example.com" also as "jane.doe (at) example (dot) com" or "jane.doe at example dot com", and the reverse. */
function emailPattern(raw: string): string | undefined {
  const at = raw.search(/@|\s*[[({]\s*at\s*[\])}]\s*/i);
  if (at <= 0) return undefined;
  const local = raw.slice(0, at);
  const domain = raw
    .slice(at)
    .replace(/^(?:@|\s*[[({]\s*at\s*[\])}]\s*)/i, '')
    .replace(/\s*[[({]\s*dot\s*[\])}]\s*/gi, '.');
  const labels = domain.split('.');
  if (labels.length < 2 || labels.length > 8 || labels.some((l) => l === '')) return undefined;
  return `${escapeRe(local)}${AT}${labels.map(escapeRe).join(DOT)}`;
}

const DIGIT_KINDS: readonly PiiKind[] = ['phone', 'credit-card', 'ssn'];
const GROUP: Partial<Record<PiiKind, string>> = { phone: 'phone', 'credit-card': 'card', ssn: 'ssn', 'person-name': 'name', email: 'email' };

/** At most this many distinct layout patterns per redactor (a resource has at most 50 user tags). */
const MAX_PATTERNS = 64;

function sourcesFor(h: PiiHit): readonly string[] {
  const one = (s: string | undefined): readonly string[] => (s === undefined ? [] : [s]);
  switch (h.kind) {
    case 'phone':
      return one(phonePattern(h.match));
    case 'credit-card':
      return one(digitsPattern(h.match, 12));
    case 'ssn':
      return one(digitsPattern(h.match, 9));
    case 'person-name':
      return namePatterns(h.match);
    case 'email':
      return one(emailPattern(h.match));
    default:
      return [];
  }
}

/** Whether the digits matched at `at` continue a longer number ("2" + "4155552671"), not an escape ("%20", "\u00a0"). */
export function continuesNumber(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  if (!(c >= 48 && c <= 57)) return false;
  if (at >= 3 && text[at - 3] === '%') return false;
  return !(at >= 6 && text[at - 6] === '\\' && text[at - 5] === 'u');
}

/**
 * Finders of every hit's value written in its other layouts, each match masked as its kind in its own layout: the
 * digit kinds (phone, card, SSN) first, then words (e-mail, person name). Run them in that order, each on the text
 * with what the earlier ones found blanked out (blankSpans). Empty when no hit has other layouts.
 */
export function layoutFinders(hits: readonly PiiHit[]): readonly SpanFinder[] {
  const byKind = new Map<PiiKind, Set<string>>();
  let count = 0;
  for (const h of hits)
    for (const s of sourcesFor(h)) {
      let set = byKind.get(h.kind);
      if (set === undefined) byKind.set(h.kind, (set = new Set()));
      if (!set.has(s) && count < MAX_PATTERNS) {
        set.add(s);
        count++;
      }
    }
  if (count === 0) return [];
  const group = (k: PiiKind): string | undefined => {
    const set = byKind.get(k);
    return set === undefined ? undefined : `(?<${GROUP[k] as string}>${[...set].join('|')})`;
  };
  const finders: SpanFinder[] = [];
  const digitGroups = DIGIT_KINDS.map(group).filter((g): g is string => g !== undefined);
  // The start of a number is checked after the match, not by a lookbehind: a pattern that starts with a lookbehind
  // is tried at every position of the text, ten times slower on a typical message.
  if (digitGroups.length > 0) {
    const re = new RegExp(`(?:${digitGroups.join('|')})${DIGITS_END}`, 'gi');
    finders.push((text, out) => {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (continuesNumber(text, m.index)) continue;
        const g = m.groups ?? {};
        const kind: PiiKind = g.phone !== undefined ? 'phone' : g.card !== undefined ? 'credit-card' : 'ssn';
        out.push({ kind, start: m.index, end: m.index + m[0].length, masked: maskPii(kind, m[0]) });
      }
    });
  }
  const wordGroups = (['email', 'person-name'] as const).map(group).filter((g): g is string => g !== undefined);
  if (wordGroups.length > 0) {
    const re = new RegExp(`${WORD_START}(?:${wordGroups.join('|')})${WORD_END}`, 'giu');
    finders.push((text, out) => {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const kind: PiiKind = m.groups?.email !== undefined ? 'email' : 'person-name';
        out.push({ kind, start: m.index, end: m.index + m[0].length, masked: maskPii(kind, m[0]) });
      }
    });
  }
  return finders;
}
