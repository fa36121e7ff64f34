import { detectAccessKey, detectSecretKey } from './aws-keys.js';
import { detectCard } from './card.js';
import { digitRuns } from './digit-runs.js';
import { detectDob } from './dob.js';
import { detectEmail } from './email.js';
import { hasOtherAtSign } from './email-chars.js';
import { detectIban } from './iban.js';
import { detectIpv4, detectIpv6 } from './ip.js';
import { classifyKey, K_BANK, K_DOB, K_EMAIL, K_PASSPORT, K_PERSON, K_PHONE, K_SSN } from './key-context.js';
import type { PiiKind } from './kinds.js';
import { maskPii } from './mask.js';
import { detectPassport } from './passport.js';
import { detectPersonName } from './person-name.js';
import { detectPhone } from './phone.js';
import { compilePolicy, DEFAULT_PII_POLICY, isAllowed, kindBit, type CompiledPolicy, type PiiPolicy } from './policy.js';
import { detectSsn } from './ssn.js';
import { detectStreetAddress } from './street-address.js';
import { asciiDigits, hasScriptDigits } from './script-digits.js';
import { detectUrlEncodedPhone, mayHoldUrlEncodedPhone } from './url-encoded-phone.js';
import { TextContext, TextProfile, type Found, type Profile } from './text-context.js';

export interface PiiHit {
  readonly kind: PiiKind;
  readonly where: 'key' | 'value';
  /** The raw substring that is PII. Internal only: never print it, use `masked`. */
  readonly match: string;
  readonly masked: string;
}

const B = {
  email: kindBit('email'),
  phone: kindBit('phone'),
  ssn: kindBit('ssn'),
  card: kindBit('credit-card'),
  iban: kindBit('iban'),
  ip: kindBit('ip-address'),
  akid: kindBit('aws-access-key'),
  secret: kindBit('aws-secret-key'),
  name: kindBit('person-name'),
  dob: kindBit('date-of-birth'),
  address: kindBit('street-address'),
  passport: kindBit('passport'),
};
/** Kinds looked for inside keys: the self-evident ones. Names, dates, addresses and passports need a key to judge by. */
const KEY_KINDS = B.email | B.phone | B.ssn | B.card | B.iban | B.ip | B.akid | B.secret;
const ALL_KINDS = KEY_KINDS | B.name | B.dob | B.address | B.passport;

/**
 * When two detections overlap, the more specific one wins. An IBAN (country code, the country's length, mod-97 check
 * digits) beats a card (issuer prefix, Luhn): "DE96 5376 5209 2247 9771 45" holds a Luhn-valid 5376 5209 2247 9771.
 */
const PRIORITY: readonly PiiKind[] = [
  'aws-access-key', 'aws-secret-key', 'email', 'iban', 'credit-card', 'ssn', 'ip-address', 'phone', 'passport',
  'date-of-birth', 'street-address', 'person-name',
];
const RANK = new Map(PRIORITY.map((k, i) => [k, i]));

const NONE: readonly Found[] = Object.freeze([]);
/** "1.415.555.2671": a North American number after its country code, dotted like an IPv4 address. */
const NANP_DOTTED = /(?<![\d.])1\.\d{3}\.\d{3}\.\d{4}(?![\d.])/;
const DOB_CUE = /\b(?:dob|d\.o\.b|born|birth|geb)/i;
const PASSPORT_CUE = /passport/i;

/**
 * Which detectors can possibly match, from the character profile alone (a bit set over B). Most tags end here
 * with 0: enum values, slugs, ids, dates and ARNs never reach a detector.
 */
/** "jane.doe at example dot com" */
const SPELLED_DOT = / dot /i;

function plan(text: string, p: Profile, keyFlags: number, where: 'key' | 'value', kinds: number): number {
  const letters = p.upper + p.lower + p.nonAscii;
  let want = 0;
  if (p.at > 0 || p.brackets > 0 || (p.spaces >= 4 && p.len >= 14 && SPELLED_DOT.test(text)) || hasOtherAtSign(text, p)) want |= B.email;
  // ARNs are identifiers except for a session or user name, which only the e-mail check looks at. (Text that starts
  // with an ARN and goes on after a space, as AWS error messages do, is prose.)
  if (p.spaces === 0 && text.startsWith('arn:')) return want & kinds;
  // Digit-run kinds: cards may be bare; bare SSNs and phone numbers need a key or a cue word (so letters).
  if (
    p.freeRun >= 7 &&
    (p.freeGrouped || p.freeRun >= 13 || letters > 0 || p.plus > 0 || (keyFlags & (K_PHONE | K_SSN)) !== 0) &&
    // a dotted quad or CIDR, not a North American number after its country code ("1.415.555.2671")
    !(p.dots === 3 && letters === 0 && p.spaces === 0 && p.plus === 0 && p.freeRun <= 12 && !NANP_DOTTED.test(text)) &&
    !isPlainDate(text)
  ) {
    want |= B.phone;
    if (p.freeRun >= 9) want |= B.ssn;
    if (p.freeRun >= 13) want |= B.card;
  }
  // Printed IBANs are upper case; a lower-case one is only looked for under a bank key.
  if (p.digits >= 8 && p.len >= 15 && (p.upper >= 2 || ((keyFlags & K_BANK) !== 0 && p.lower >= 2))) want |= B.iban;
  if ((p.dots >= 3 && p.digits >= 4) || (p.colons >= 2 && (p.colons >= 7 || text.includes('::')))) want |= B.ip;
  if (p.upper >= 4 && p.len >= 20) want |= B.akid;
  if (p.len >= 40 && p.upper > 0 && p.lower > 0) want |= B.secret;
  if (where === 'value') {
    // Cue words ("DOB: …", "passport no. …") come in prose, with spaces.
    const prose = p.spaces > 0;
    if ((keyFlags & K_DOB) !== 0 ? p.digits >= 1 : p.digits >= 4 && prose && letters >= 3 && DOB_CUE.test(text)) want |= B.dob;
    if ((keyFlags & K_PASSPORT) !== 0 || p.lt >= 4 || (prose && p.digits >= 5 && PASSPORT_CUE.test(text))) want |= B.passport;
    if (p.digits >= 1 && p.spaces >= 1 && letters >= 5) want |= B.address;
    // (under an e-mail key only a bare mailbox, "jane.doe", is read as a name)
    if (letters >= 4 && ((keyFlags & (K_PERSON | K_EMAIL)) !== 0 || (p.upper >= 2 && p.spaces >= 1))) want |= B.name;
  }
  return want & kinds;
}

const scratch = new TextProfile();

/** Finds PII spans in `text` (a key when keyFlags is 0 and where is 'key'). */
function find(text: string, keyFlags: number, where: 'key' | 'value', kinds: number): readonly Found[] {
  if (text.length < 6) return NONE;
  if (text.startsWith('arn:')) {
    // One pass for the common clean ARN: no white space (prose), '@', '+' or SSN layout in it.
    if (!ARN_INTEREST.test(text)) return NONE;
    if (!/\s/.test(text)) return findInArn(text, keyFlags, kinds);
  }
  // One profile object reused for every text: nothing below keeps it once find() returns.
  const p = scratch.measure(text);
  if (p.nonAscii > 0 && hasScriptDigits(text)) return findWithScriptDigits(text, keyFlags, where, kinds);
  if (p.percent > 0 && p.digits >= 7 && (kinds & B.phone) !== 0 && mayHoldUrlEncodedPhone(text)) {
    const found = [...findPlain(text, p, keyFlags, where, kinds)];
    detectUrlEncodedPhone(text, keyFlags, found);
    return found.length === 0 ? NONE : resolveOverlaps(found);
  }
  return findPlain(text, p, keyFlags, where, kinds);
}

function findPlain(text: string, p: Profile, keyFlags: number, where: 'key' | 'value', kinds: number): readonly Found[] {
  const want = plan(text, p, keyFlags, where, kinds);
  if (want === 0) return NONE;
  // Word-shaped values (team names, purposes, people) repeat across resources and cost the most: memoise them.
  if ((want & (B.name | B.address)) === 0 || p.freeRun >= 7 || p.at > 0 || text.length > 80) return scan(text, p, keyFlags, want);
  const ctxId = keyFlags * 4096 + want;
  let m = wordMemo.get(ctxId);
  if (m === undefined) wordMemo.set(ctxId, (m = new Map()));
  let found = m.get(text);
  if (found === undefined) {
    found = scan(text, p, keyFlags, want);
    if (m.size >= WORD_MEMO_MAX) m.clear();
    m.set(text, found);
  }
  return found;
}

/**
 * An ARN held in a tag ("created-by" = "arn:aws:iam::…:user/+14155552671"): an identifier, except for the names in
 * its resource part. As in a resource's own ARN (arn-mask.ts), an e-mail address there counts, and of numbers a '+'
 * phone number; so does an SSN written 123-45-6789, which counts under any key. Bare digits (account ids, instance
 * ids, timestamps in job names) never do.
 */
function findInArn(text: string, keyFlags: number, kinds: number): readonly Found[] {
  const emails = (kinds & B.email) !== 0 && text.includes('@') ? scan(text, scratch.measure(text), keyFlags, B.email) : NONE;
  const numbers = (kinds & (B.phone | B.ssn)) !== 0 ? arnNumbers(text, keyFlags, kinds) : NONE;
  if (numbers.length === 0) return emails;
  return emails.length === 0 ? numbers : resolveOverlaps([...emails, ...numbers]);
}

/** What may make an ARN more than an identifier: white space (then it is prose), an '@', a '+', an SSN's layout. */
const ARN_INTEREST = /[\s@+]|[/:]\d{3}-\d\d-\d{4}/;
/** "/078-05-1120", ":123-45-6789": an SSN's layout right after an ARN separator. */
const ARN_SSN = /[/:]\d{3}-\d\d-\d{4}(?!\d)/;
const ARN_PREFIX = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:/;

function arnNumbers(text: string, keyFlags: number, kinds: number): readonly Found[] {
  if (!text.includes('+') && !ARN_SSN.test(text)) return NONE;
  // The resource part, '/' and ':' read as ';' (a word before a '/' would glue what follows to it, and '/' would join
  // two numbers into one); the prefix (service, region, account) blanked. One character for one: spans stay in place.
  const prefix = ARN_PREFIX.exec(text)?.[0].length ?? 0;
  const t = ';'.repeat(prefix) + text.slice(prefix).replace(/[/:]/g, ';');
  const p = scratch.measure(t);
  if (p.freeRun < 7) return NONE;
  const runs = digitRuns(t, 7);
  if (runs.length === 0) return NONE;
  const ctx = new TextContext(t, p, keyFlags);
  const found: Found[] = [];
  if ((kinds & B.ssn) !== 0) detectSsn(ctx, runs, found);
  if ((kinds & B.phone) !== 0) detectPhone(ctx, runs, found);
  const kept = found.filter((f) => (f.kind === 'phone' ? t[f.start] === '+' : t.slice(f.start, f.end).includes('-')));
  return kept.length === 0 ? NONE : resolveOverlaps(kept);
}

/** Per (key context, planned detectors): value → spans. */
const wordMemo = new Map<number, Map<string, readonly Found[]>>();
const WORD_MEMO_MAX = 20_000;

const DIGIT_RUN_KINDS = B.card | B.ssn | B.phone;

/**
 * "＋４４ ７９１１ １２３４５６", "+1 ٤١٥ ٥٥٥ ٢٦٧١": the card, SSN and phone checks read the digits in ASCII (same length,
 * so spans stay where they are); every other check reads the text as it is.
 */
function findWithScriptDigits(text: string, keyFlags: number, where: 'key' | 'value', kinds: number): readonly Found[] {
  const p = new TextProfile().measure(text);
  const want = plan(text, p, keyFlags, where, kinds) & ~DIGIT_RUN_KINDS;
  const found = want === 0 ? [] : [...scan(text, p, keyFlags, want)];
  const ascii = asciiDigits(text);
  const ap = scratch.measure(ascii);
  const digitWant = plan(ascii, ap, keyFlags, where, kinds) & DIGIT_RUN_KINDS;
  if (digitWant !== 0) scanDigitRuns(new TextContext(ascii, ap, keyFlags), digitWant, found);
  return found.length === 0 ? NONE : resolveOverlaps(found);
}

function scanDigitRuns(ctx: TextContext, want: number, out: Found[]): void {
  const runs = digitRuns(ctx.text, 7);
  if (runs.length === 0) return;
  if ((want & B.card) !== 0) detectCard(ctx, runs, out);
  if ((want & B.ssn) !== 0) detectSsn(ctx, runs, out);
  if ((want & B.phone) !== 0) detectPhone(ctx, runs, out);
}

function scan(text: string, p: Profile, keyFlags: number, want: number): readonly Found[] {
  const ctx = new TextContext(text, p, keyFlags);
  const out: Found[] = [];
  if ((want & B.email) !== 0) detectEmail(ctx, out);
  if ((want & DIGIT_RUN_KINDS) !== 0) scanDigitRuns(ctx, want, out);
  if ((want & B.iban) !== 0) detectIban(ctx, out);
  if ((want & B.ip) !== 0) {
    if (p.dots >= 3) detectIpv4(ctx, out);
    if (p.colons >= 2) detectIpv6(ctx, out);
  }
  let akid = false;
  if ((want & B.akid) !== 0) {
    const n = out.length;
    detectAccessKey(ctx, out);
    akid = out.length > n;
  }
  if ((want & B.secret) !== 0) detectSecretKey(ctx, out, akid);
  if ((want & B.dob) !== 0) detectDob(ctx, out);
  if ((want & B.passport) !== 0) detectPassport(ctx, out);
  if ((want & B.address) !== 0) detectStreetAddress(ctx, out);
  if ((want & B.name) !== 0) detectPersonName(ctx, out);
  return out.length === 0 ? NONE : resolveOverlaps(out);
}

/** "2024-01-15", "15/01/2024", "15.01.2024": the most common numeric tag value, never a card, SSN or phone. */
function isPlainDate(t: string): boolean {
  if (t.length !== 10) return false;
  const a = t.charCodeAt(4), b = t.charCodeAt(7), c = t.charCodeAt(2), d = t.charCodeAt(5);
  return (a === b && (a === 45 || a === 47 || a === 46)) || (c === d && (c === 45 || c === 47 || c === 46));
}

function resolveOverlaps(found: Found[]): readonly Found[] {
  if (found.length <= 1) return found;
  const byRank = [...found].sort((a, b) => (RANK.get(a.kind) ?? 99) - (RANK.get(b.kind) ?? 99) || a.start - b.start);
  const kept: Found[] = [];
  for (const f of byRank) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept.sort((a, b) => a.start - b.start);
}

interface KeyInfo {
  readonly flags: number;
  readonly finds: readonly Found[];
}

const keyCache = new Map<string, KeyInfo>();
const KEY_CACHE_MAX = 50_000;

/** Keys repeat across resources: classify and scan each distinct key once. */
function keyInfo(key: string): KeyInfo {
  let ki = keyCache.get(key);
  if (ki === undefined) {
    ki = { flags: classifyKey(key), finds: find(key, 0, 'key', KEY_KINDS) };
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(key, ki);
  }
  return ki;
}

function toHits(text: string, where: 'key' | 'value', finds: readonly Found[], kinds: number, policy: CompiledPolicy, out: PiiHit[]): void {
  if (finds.length === 0 || isAllowed(policy, text)) return;
  for (const f of finds) {
    if ((kinds & kindBit(f.kind)) === 0) continue;
    const match = text.slice(f.start, f.end);
    if (isAllowed(policy, match)) continue;
    out.push({ kind: f.kind, where, match, masked: maskPii(f.kind, match) });
  }
}

let lastPolicy: PiiPolicy = DEFAULT_PII_POLICY;
let lastCompiled = compilePolicy(DEFAULT_PII_POLICY);

/**
 * PII found in a tag's key and value. Cheap for the common clean tag: one pass over the value's characters decides
 * which detectors can possibly match; expensive validation (phone metadata, checksums) runs only on candidates.
 */
export function detectPii(key: string, value: string, policy: PiiPolicy = DEFAULT_PII_POLICY): PiiHit[] {
  if (!policy.enabled) return [];
  const c = policy === lastPolicy ? lastCompiled : compilePolicy(policy);
  if (c !== lastCompiled) {
    lastPolicy = policy;
    lastCompiled = c;
  }
  const kinds = c.kindMask & ALL_KINDS;
  if (kinds === 0) return [];
  const ki = keyInfo(key);
  const hits: PiiHit[] = [];
  toHits(key, 'key', ki.finds, kinds, c, hits);
  toHits(value, 'value', find(value, ki.flags, 'value', kinds), kinds, c, hits);
  return hits;
}
