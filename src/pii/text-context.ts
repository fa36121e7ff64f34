import type { PiiKind } from './kinds.js';

/** Character counts from one pass over the text; the cheap prefilter every detector starts from. */
export interface Profile {
  readonly len: number;
  readonly digits: number;
  readonly upper: number;
  readonly lower: number;
  readonly spaces: number;
  readonly at: number;
  readonly colons: number;
  readonly dots: number;
  readonly plus: number;
  readonly lt: number;
  /** '%' (URL-encoded text: "%2B1415…"). */
  readonly percent: number;
  /** '(', '[' and '{' (obfuscated e-mail: jane[at]example.com). */
  readonly brackets: number;
  /** Letters outside ASCII (names with diacritics). */
  readonly nonAscii: number;
  /**
   * Most digits in one free-standing number: digits joined by phone/card separators, not glued to a word
   * ("Sales-5045", "job-20240115", "2024-01-15T10:30"). Cards, SSNs and phone numbers need 7 or more.
   */
  readonly freeRun: number;
  /** Whether a free-standing number of 7+ digits has separators inside ("206-555-0100" but not "4500012345"). */
  readonly freeGrouped: boolean;
}

const enum Prev {
  Other,
  Alnum,
  /** '-', '_', '.', '/' right after a letter or digit */
  Joiner,
  Digit,
}

/** A reusable profile: `measure` overwrites it, so the hot path allocates nothing per tag. */
export class TextProfile implements Profile {
  len = 0;
  digits = 0;
  upper = 0;
  lower = 0;
  spaces = 0;
  at = 0;
  colons = 0;
  dots = 0;
  plus = 0;
  lt = 0;
  percent = 0;
  brackets = 0;
  nonAscii = 0;
  freeRun = 0;
  freeGrouped = false;

  measure(text: string): this {
    let digits = 0, upper = 0, lower = 0, spaces = 0, at = 0, colons = 0, dots = 0, plus = 0, lt = 0, percent = 0, brackets = 0, nonAscii = 0;
    let freeRun = 0, freeGrouped = false;
    // The digit run being read: digit count, glued to a word at its start, separators inside, separator pending.
    let run = 0, attached = false, seps = false, sepPending = false;
    // The run started right after a '+': an international number stands on its own even with a word glued after it
    // ("+14155552671x"), as digitRuns reads it.
    let plusRun = false;
    // The run as it stood at its last separator: when the last group is glued to a word ("4567 24x7"), the number
    // before that separator still stands on its own.
    let runAtSep = 0, sepsAtSep = false;
    let prev = Prev.Other as Prev;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        digits++;
        if (run > 0 && sepPending && attached && !attachedToIdentifier(text, i)) {
          // A space, '+' or '(' ends digits glued to a word, as digitRuns reads them, and what follows is a number
          // of its own: "24x7 206-555-0142", "24x7 +1 206 555 0142", "PCI L1 4111 1111 1111 1111". An IBAN's
          // "DE96 5376 5209 …" reads the same way; detect.ts lets the IBAN, checksum and all, win over a card in it.
          run = 0;
          prev = Prev.Other;
        }
        if (run === 0) {
          attached = prev === Prev.Alnum || prev === Prev.Joiner;
          plusRun = i > 0 && text.charCodeAt(i - 1) === 43;
          seps = false;
          runAtSep = 0;
        } else if (sepPending) {
          runAtSep = run;
          sepsAtSep = seps;
          seps = true;
        }
        sepPending = false;
        run++;
        prev = Prev.Digit;
        continue;
      }
      let letter = false;
      let sep = false;
      if (c >= 97) {
        if (c <= 122) {
          lower++;
          letter = true;
        } else if (c === 123) brackets++;
        else if (isSpaceLikeCode(c)) {
          // no-break, narrow no-break and figure spaces group digits in text pasted from Word, Outlook or the web
          spaces++;
          sep = true;
        } else if (c >= 0xc0) {
          nonAscii++;
          letter = true;
        }
      } else if (c >= 65) {
        if (c <= 90) {
          upper++;
          letter = true;
        } else if (c === 91) brackets++;
        // "+44_7911_123456": one '_' between the digits of a '+' number separates them, as digitRuns reads it
        else if (c === 95 && run > 0 && plusRun && !sepPending && i + 1 < n && isDigitCode(text.charCodeAt(i + 1))) sep = true;
      } else if (c === 32) {
        spaces++;
        sep = true;
      } else if (c === 45 || c === 47 || c === 41) sep = true;
      else if (c === 46) {
        dots++;
        sep = true;
      } else if (c === 40) {
        brackets++;
        sep = true;
      } else if (c === 43) {
        plus++;
        sep = true;
      } else if (c === 58) colons++;
      else if (c === 64) at++;
      else if (c === 60) lt++;
      else if (c === 37) percent++;
      if (run > 0) {
        if (sep) sepPending = true;
        else {
          // A letter or '_' right after the digits glues them to a word ("6pm", "2024-01-15T10").
          const glued = (letter || c === 95) && !sepPending;
          if (!attached) {
            const cut = glued && !plusRun;
            const r = cut ? runAtSep : run;
            if (r > freeRun) freeRun = r;
            if (r >= 7 && (cut ? sepsAtSep : seps)) freeGrouped = true;
          }
          run = 0;
        }
      }
      if (letter) prev = Prev.Alnum;
      else if (c === 45 || c === 95 || c === 46 || c === 47) prev = prev === Prev.Alnum || prev === Prev.Digit ? Prev.Joiner : Prev.Other;
      else if (!sep || prev !== Prev.Digit) prev = Prev.Other;
    }
    if (run > 0 && !attached) {
      if (run > freeRun) freeRun = run;
      if (run >= 7 && seps) freeGrouped = true;
    }
    this.len = n;
    this.digits = digits;
    this.upper = upper;
    this.lower = lower;
    this.spaces = spaces;
    this.at = at;
    this.colons = colons;
    this.dots = dots;
    this.plus = plus;
    this.lt = lt;
    this.percent = percent;
    this.brackets = brackets;
    this.nonAscii = nonAscii;
    this.freeRun = freeRun;
    this.freeGrouped = freeGrouped;
    return this;
  }
}

export function profile(text: string): Profile {
  return new TextProfile().measure(text);
}

/** A detected span of `text`. */
export interface Found {
  readonly kind: PiiKind;
  readonly start: number;
  readonly end: number;
}

/** What a detector sees: the text, its profile, and the key's context flags (0 when scanning a key itself). */
export class TextContext {
  private lowerCache: string | undefined;

  constructor(
    readonly text: string,
    readonly p: Profile,
    readonly keyFlags: number,
  ) {}

  get lower(): string {
    return (this.lowerCache ??= this.text.toLowerCase());
  }

  /** True when the lower-cased text matches `re` (cue words such as "ssn", "tel", "passport"). */
  cue(re: RegExp): boolean {
    return re.test(this.lower);
  }

  key(flag: number): boolean {
    return (this.keyFlags & flag) !== 0;
  }
}

/**
 * Whether the digit at `i` continues a word or identifier instead of starting a number: right after a letter or
 * digit, or after a joiner that follows one ("Sales-5045", "job_2024", "v1.2").
 */
export function attachedToIdentifier(text: string, i: number): boolean {
  if (i === 0) return false;
  const p = text.charCodeAt(i - 1);
  if (isAlnumCode(p)) return true;
  return (p === 45 || p === 95 || p === 46 || p === 47) && i >= 2 && isAlnumCode(text.charCodeAt(i - 2));
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && !isSpaceLikeCode(c));
}

/**
 * A Unicode space other than U+0020 (no-break U+00A0, figure U+2007, narrow no-break U+202F, the other U+2000–U+200A
 * spaces, U+205F, U+3000). AWS accepts them in tag values; they separate digit groups just as a space does.
 */
export function isSpaceLikeCode(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Replaces every space-like character (see isSpaceLikeCode) with U+0020; the length stays the same. */
export function plainSpaces(s: string): string {
  return SPACE_LIKE.test(s) ? s.replace(SPACE_LIKE_G, ' ') : s;
}
const SPACE_LIKE = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const SPACE_LIKE_G = new RegExp(SPACE_LIKE.source, 'g');
