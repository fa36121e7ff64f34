import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from '../vendor/phone-numbers.js';
import type { DigitRun } from './digit-runs.js';
import { K_CARD, K_DOB, K_NUMERIC, K_PASSPORT, K_PHONE, K_SSN } from './key-context.js';
import { plainSpaces, type Found, type TextContext } from './text-context.js';

// 'max' metadata: full per-country number patterns. 'min' accepts ~60 % more random digit strings as valid
// (measured on random 8–12 digit strings across 12 countries), which would make national formats too noisy.

/**
 * National formats tried for numbers written without a country code. Validation with 'max' metadata costs
 * ~100 µs per country (the library compiles its patterns on every call), so a number is only tried against the
 * plans its shape fits, most common first, and verdicts are cached.
 */
const NANP: readonly CountryCode[] = ['US', 'CA'];
/** Plans whose national format starts with a trunk 0. */
const TRUNK_ZERO: readonly CountryCode[] = ['GB', 'DE', 'FR', 'AU', 'IN', 'IE', 'NL', 'BE', 'AT', 'CH', 'IT', 'NZ', 'ZA', 'JP', 'BR', 'SE', 'FI', 'TR', 'KR', 'CN'];
/** Plans without a trunk prefix (numbers start with the area/mobile digit); tried only when the context says phone. */
const NO_TRUNK: readonly CountryCode[] = ['ES', 'PT', 'DK', 'NO', 'PL', 'SG', 'MX', 'IT', 'IN', 'CN', 'BR', 'HK', 'AU'];

const PHONE_CUE = /\b(?:tel|phone|call|mobile|mob|cell|fax|whatsapp|sms|ph|oncall|on-call|hotline|dial|pager|telefon)\b/;

/**
 * A request to get in touch right before the number: "ping 4155552671", "reach me at …", "text me on …",
 * "call us: …", "reach Carlos on …". Only the words just before the number count, so "ping interval 3600000" or a
 * "ping" elsewhere in a note never turns an id into a phone number.
 */
const CONTACT_VERB = 'ping|reach|call|text|txt|ring|page|phone|sms|whatsapp|message|msg|contact';
const CONTACT_BEFORE = new RegExp(
  String.raw`(?:^|[^\p{L}\p{N}])(?:ping|reach|(?:${CONTACT_VERB})\s+(?:me|us|him|her|them)|(?:ping|reach|call|text)\s+\p{L}+\s+(?:at|on|via))` +
    String.raw`(?:\s+(?:at|on|via))?\s*[:=>@-]?\s*$`,
  'iu',
);
/** How far before a number the contact words may start. */
const CONTACT_WINDOW = 40;

/** Whether the words right before the number at `start` ask the reader to get in touch. */
function contactCueBefore(text: string, start: number): boolean {
  return CONTACT_BEFORE.test(text.slice(Math.max(0, start - CONTACT_WINDOW), start));
}

/** 192.168.100.200: four dotted groups of at most three digits are an IPv4 address, whatever words come before. */
const dottedQuad = (r: DigitRun): boolean => r.groups.length === 4 && r.seps.every((s) => s === '.') && r.groups.every((g) => g <= 3);

/** Keys whose values are another kind of number. */
const K_OTHER_ID = K_SSN | K_CARD | K_PASSPORT | K_DOB;

/** Whether the digits from `at` start a year-month-day date (1900–2099). */
const ymdAt = (d: string, at: number): boolean => /^(?:19|20)\d\d(?:0?[1-9]|1[0-2])(?:0?[1-9]|[12]\d|3[01])$/.test(d.slice(at, at + 8));

const dateLike = (r: DigitRun): boolean => {
  const g = r.groups;
  const seps = r.seps;
  const d = r.digits;
  if (g.length === 3 && seps[0] === seps[1] && (seps[0] === '-' || seps[0] === '/' || seps[0] === '.')) {
    if ((g[0] === 4 && (g[1] as number) <= 2 && (g[2] as number) <= 2) || ((g[0] as number) <= 2 && (g[1] as number) <= 2 && g[2] === 4)) return true;
  }
  if (g.length === 1 && d.length === 8 && ymdAt(d, 0)) return true;
  // date followed by time or a counter: 2024-01-15-10-30 … (but not "0450 00 12 34", a Belgian mobile)
  return g.length >= 4 && g[0] === 4 && g[1] === 2 && g[2] === 2 && ymdAt(d, 0);
};

/** The text of a run as the library reads it: plain spaces, and '_' (only ever inside a '+' number) as a space. */
function phoneText(text: string): string {
  const plain = plainSpaces(text);
  return plain.includes('_') ? plain.replace(/_/g, ' ') : plain;
}

/**
 * Separators a printed phone number uses; rules out versions (10.0.19045.3693), IPs and fractions. One '/' may join
 * more than two groups ("+49 30/123 4567", "030 123/4567") when `slashInside`: a '+' number, or a phone key or word.
 */
function phoneLikeSeparators(r: DigitRun, slashInside: boolean): boolean {
  let dots = 0;
  let slashes = 0;
  for (const s of r.seps) {
    if (s.includes('.')) dots++;
    if (s.includes('/')) slashes++;
  }
  // "+44/7911/123456": a '+' number may use '/' as its only separator
  const slashOnly = r.plus && slashes === r.seps.length;
  if ((slashes > 1 && !slashOnly) || (slashes === 1 && r.groups.length > 2 && !slashInside)) return false;
  if (dots > 0) {
    if (dots !== r.seps.length) return false;
    // 206.555.0148, 01.23.45.67.89, +1.312.555.0166
    const inner = r.plus ? r.groups.slice(1) : r.groups;
    if (inner.some((x) => x < 2 || x > 4) && !nanpAfterOne(r)) return false;
  }
  return true;
}

/** Grouped like a printed phone number: every group after the first has 2–8 digits. */
function phoneLikeGrouping(r: DigitRun): boolean {
  if (r.groups.length < 2) return false;
  for (let i = 1; i < r.groups.length; i++) {
    const g = r.groups[i] as number;
    if (g < 2 || g > 8) return false;
  }
  return true;
}

/** "(415) 555-0199", "415-555-0199", "1-415-555-0199": ten NANP digits in 3-3-4 groups, hyphens between them. */
function nanpPrinted(r: DigitRun): boolean {
  const g = r.groups;
  const local = g.length >= 3 && g[g.length - 3] === 3 && g[g.length - 2] === 3 && g[g.length - 1] === 4;
  if (!local || g.length > 4 || (g.length === 4 && (g[0] !== 1 || r.digits[0] !== '1'))) return false;
  const last = r.seps[r.seps.length - 1];
  if (last !== '-') return false;
  return r.paren || r.seps.every((s) => s === '-');
}

/**
 * "1-415-555-2671", "1.415.555.2671", "1 415 555 2671": a North American number after its country code 1 written
 * without a '+', in 1-3-3-4 groups with one separator throughout (the most common US layout in free text).
 */
function nanpAfterOne(r: DigitRun): boolean {
  const g = r.groups;
  if (g.length !== 4 || g[0] !== 1 || g[1] !== 3 || g[2] !== 3 || g[3] !== 4 || r.digits[0] !== '1' || r.paren) return false;
  const s = r.seps[0];
  return (s === '-' || s === '.' || s === ' ') && r.seps.every((x) => x === s);
}

/** Digit group sizes of a formatted string. */
function groupsOf(s: string): number[] {
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
    else if (n > 0) {
      out.push(n);
      n = 0;
    }
  }
  if (n > 0) out.push(n);
  return out;
}

const sameGroups = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

interface Verdict {
  readonly valid: boolean;
  readonly possible: boolean;
  /** The text's digit grouping is the library's national format for the number. */
  readonly nationalGrouping: boolean;
  /** International numbers: the country calling code the library read. */
  readonly callingCode?: string;
}

function parse(text: string, country?: CountryCode): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, country === undefined ? { extract: false } : { defaultCountry: country, extract: false });
  } catch {
    return undefined;
  }
}

function judgeInternational(raw: string): Verdict {
  const p = parse(raw.startsWith('00') ? '+' + raw.slice(2) : raw);
  if (p === undefined) return { valid: false, possible: false, nationalGrouping: false };
  return { valid: p.isValid(), possible: p.isPossible(), nationalGrouping: false, callingCode: p.countryCallingCode };
}

function judgeNational(raw: string, countries: readonly CountryCode[], groups: readonly number[]): Verdict {
  let possible = false;
  let valid = false;
  for (const c of countries) {
    const p = parse(raw, c);
    if (p === undefined) continue;
    if (p.isValid()) {
      valid = true;
      if (sameGroups(groupsOf(p.formatNational()), groups)) return { valid, possible: true, nationalGrouping: true };
    } else if (p.isPossible()) possible = true;
  }
  return { valid, possible: possible || valid, nationalGrouping: false };
}

/** Which national plans a number without a country code can belong to, judged from its digits alone. */
function plansFor(r: DigitRun, cue: boolean): readonly CountryCode[] {
  const d = r.digits;
  const nanp = (d.length === 10 && d[0] !== '0' && d[0] !== '1') || (d.length === 11 && d[0] === '1' && d[1] !== '0' && d[1] !== '1');
  const trunk = d[0] === '0' && d[1] !== '0' && d.length >= 9 && d.length <= 12;
  // With a phone key or cue word, "123-456-7890"-style placeholders still count as NANP-shaped.
  if (cue) return [...(nanp || (d.length === 10 && d[0] !== '0') ? NANP : []), ...(trunk ? TRUNK_ZERO : []), ...(d[0] !== '0' ? NO_TRUNK : [])];
  return nanp ? NANP : trunk ? TRUNK_ZERO : [];
}

/** The digits written where an international number's country code goes: "+44 20…" → 44, "0044 20…" → 44, "00 44…" → 44. */
function callingCodeGroup(r: DigitRun): string {
  const g0 = r.groups[0] as number;
  if (r.plus) return r.digits.slice(0, g0);
  if (g0 === 2) return r.digits.slice(2, 2 + (r.groups[1] as number));
  return r.digits.slice(2, g0);
}

/**
 * Whether the country code the library read is written apart: "+44 20 …", "0044 20 …", "00 44 …". With a '+', a valid
 * number may also run the country code into its area code ("+4930/1234567", "+4420 7946 0958").
 */
function countryCodeApart(r: DigitRun, v: Verdict): boolean {
  if (r.groups.length <= 1 || v.callingCode === undefined) return true;
  const written = callingCodeGroup(r);
  return written === v.callingCode || (r.plus && v.valid && written.startsWith(v.callingCode));
}

/** The word right before a glued '+' names a phone: "mobile_+44…", "oncall_+1…", "cell-+1…". */
function cueWordBefore(text: string, start: number): boolean {
  const m = /(\p{L}+)[_-]*$/u.exec(text.slice(Math.max(0, start - 24), start));
  return m !== null && PHONE_CUE.test((m[1] as string).toLowerCase());
}

/**
 * A '+' number with a word glued to it ("cell-+14155552671", "x+14155552671", "+14155552671x"): read only as an
 * international number in full, valid in its country's plan, or possible there when a phone key, a cue word in the
 * text or the glued word itself says phone. Anything shorter or looser is as likely a build tag or an id.
 */
function gluedInternational(ctx: TextContext, r: DigitRun, textCue: boolean): boolean {
  const n = r.digits.length;
  if (!r.plus || n < 8 || n > 15 || r.digits[0] === '0' || !phoneLikeSeparators(r, true)) return false;
  const raw = phoneText(ctx.text.slice(r.start, r.end));
  const v = cached(raw, () => judgeInternational(raw));
  if (!countryCodeApart(r, v)) return false;
  return v.valid || (v.possible && (textCue || cueWordBefore(ctx.text, r.start)));
}

const verdicts = new Map<string, Verdict>();
function cached(key: string, judge: () => Verdict): Verdict {
  let v = verdicts.get(key);
  if (v === undefined) {
    v = judge();
    if (verdicts.size >= 10_000) verdicts.clear();
    verdicts.set(key, v);
  }
  return v;
}

export function detectPhone(ctx: TextContext, runs: readonly DigitRun[], out: Found[]): void {
  let textCue: boolean | undefined;
  for (const r of runs) {
    const n = r.digits.length;
    if (n < 7 || n > 15) continue;
    if (dateLike(r)) continue;
    textCue ??= ctx.key(K_PHONE) || ctx.cue(PHONE_CUE);
    if (!phoneLikeSeparators(r, r.plus || textCue)) continue;
    if (r.glued) {
      if (gluedInternational(ctx, r, textCue)) out.push({ kind: 'phone', start: r.start, end: r.end });
      continue;
    }
    // libphonenumber reads "+44\u00a020\u00a07946\u00a00018" as no number at all: give it plain spaces.
    const raw = phoneText(ctx.text.slice(r.start, r.end));
    // "0044 7911 123456"; written without groups ("00447911123456") only under a phone key or word: bare, 00 starts
    // as many padded ids
    const international = r.plus || (r.digits.startsWith('00') && r.digits[2] !== '0' && (r.groups.length > 1 || textCue));
    const grouped = phoneLikeGrouping(r);
    // A contact request just before the number is a cue for this number only, and a weaker one: it lets a bare
    // number be read in the national plans, but the number must then be valid there (not merely possible) and be
    // written bare or grouped as phone numbers are, not "1234-5678-90".
    const cue = textCue || (!dottedQuad(r) && contactCueBefore(ctx.text, r.start));
    // 123-45-6789 is the SSN layout, not a phone one
    if (!cue && !international && r.groups.length === 3 && r.groups[0] === 3 && r.groups[1] === 2 && r.groups[2] === 4) continue;
    if (!cue && !international && ctx.key(K_OTHER_ID)) continue;
    // Bare digits need context. Under an id / code / number key they are usually an id, but not when printed the
    // way North America prints phone numbers, "(415) 555-0199" or "415-555-0199": no id scheme looks like that.
    if (!cue && !international && ((ctx.key(K_NUMERIC) && !nanpPrinted(r)) || !grouped)) continue;
    let fire = false;
    if (international) {
      const v = cached(raw, () => judgeInternational(raw));
      // A printed international number sets its country code apart: "+44 20 …", "0044 20 …", "00 44 20 …".
      // "006 322 9572" (read as +63 …) or "0035 8973 8796" are padded ids, not dialling strings.
      if (!countryCodeApart(r, v)) continue;
      // "+44 …" announces a phone number; "00 44 …" is also how ZIP codes, serials and padded ids start.
      fire = v.valid || (v.possible && (r.plus || textCue) && (grouped || textCue) && n >= 8);
    } else {
      const plans = plansFor(r, cue);
      if (plans.length === 0) continue;
      const v = cached(`${cue ? 1 : 0}${raw}`, () => judgeNational(raw, plans, r.groups));
      // Without a cue the number must be printed the way its country prints it ("020 7123 4567"), with the area
      // code in parentheses ("(555) 123-4567", a range reserved for fiction but phone-shaped all the same), or be a
      // valid trunk-prefixed number in groups ("0800 0260 160"). A merely possible one in any other grouping is as
      // likely a ZIP+4, an EIN or a batch id.
      if (textCue) fire = v.valid || (v.possible && (grouped || r.paren));
      else if (cue) fire = v.valid && (r.groups.length === 1 || v.nationalGrouping || r.paren || nanpPrinted(r));
      else
        fire =
          v.nationalGrouping ||
          (v.possible && r.paren) ||
          (v.valid && nanpAfterOne(r)) ||
          (v.valid && r.digits[0] === '0' && r.groups.length >= 2 && (r.groups[0] as number) >= 3);
    }
    if (fire) out.push({ kind: 'phone', start: r.start, end: r.end });
  }
}
