import { attachedToIdentifier, isAlnumCode, isDigitCode, isSpaceLikeCode } from './text-context.js';

/**
 * A run of digit groups joined by phone/card style separators, e.g. "+1 (206) 555-0142" or "4111 1111 1111 1111".
 * Runs glued to identifiers ("ORD-884-223-1901", "job-20240115") are not produced.
 */
export interface DigitRun {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
  /** Digit count of each group. */
  readonly groups: readonly number[];
  /**
   * Separator text between groups (length = groups.length - 1), with no-break and other Unicode spaces written as
   * ' ' so that detectors judge "4111\u00a01111" like "4111 1111". Each separator keeps its length in the text.
   */
  readonly seps: readonly string[];
  readonly plus: boolean;
  readonly paren: boolean;
  /**
   * A '+' number touching a word: a letter, '_', '-' or '/' right before the '+' ("cell-+1415…", "ops/+44…") or a
   * letter or '_' right after the last digit ("+14155552671x"). Only the phone detector reads such a run, and only
   * as an international number in full.
   */
  readonly glued: boolean;
}

const SEP = new Set([' ', '-', '.', '/', '(', ')']);

/** The separator character at `j` as detectors see it ('' when there is none): Unicode spaces read as ' '. */
function sepAt(text: string, j: number): string {
  const ch = text[j] as string;
  if (SEP.has(ch)) return ch;
  return isSpaceLikeCode(text.charCodeAt(j)) ? ' ' : '';
}

export function digitRuns(text: string, minDigits: number): DigitRun[] {
  const out: DigitRun[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const startsRun = isDigitCode(c) || ((c === 43 || c === 40) && i + 1 < n && isDigitCode(text.charCodeAt(i + 1)));
    const attached = startsRun && attachedToIdentifier(text, i);
    const gluedBefore = attached && c === 43 && plusAfterWord(text, i);
    if (!startsRun || (attached && !gluedBefore)) {
      i++;
      // skip the rest of an identifier-attached digit block
      if (startsRun) while (i < n && isDigitCode(text.charCodeAt(i))) i++;
      continue;
    }
    const start = i;
    const plus = c === 43;
    let paren = c === 40;
    if (plus || c === 40) i++;
    const groups: number[] = [];
    const seps: string[] = [];
    /** Text offset where each group ends. */
    const ends: number[] = [];
    let digits = '';
    let end = i;
    for (;;) {
      let g = 0;
      while (i < n && isDigitCode(text.charCodeAt(i))) {
        digits += text[i];
        g++;
        i++;
      }
      if (g === 0) break;
      groups.push(g);
      ends.push(i);
      end = i;
      // up to two separator characters ("-", " ", ") ", " - ") followed by a digit or "(digit"
      let j = i;
      let sep = '';
      for (let ch: string; j < n && sep.length < 3 && (ch = sepAt(text, j)) !== ''; j++) sep += ch;
      // "+44_7911_123456": in a '+' number, one '_' between digits is a separator (spaces are not allowed everywhere)
      if (sep === '' && plus && text.charCodeAt(j) === 95 && j + 1 < n && isDigitCode(text.charCodeAt(j + 1))) sep = text[j++] as string;
      if (sep === '' || j >= n) break;
      const nc = text.charCodeAt(j);
      if (!isDigitCode(nc)) break;
      // An opening parenthesis inside a number only wraps a short area/trunk code: "+44 (0)20", "0 (30) 1234".
      // Otherwise it starts an aside after the number: "+44 20 7123 4567 (24x7 NOC)".
      if (sep.endsWith('(') && !closesShortGroup(text, j)) break;
      // " / " lists two numbers ("646-278-3915 / 646-278-3916"); a bare '/' joins area code and number ("030/1234567").
      if (sep.length > 1 && sep.includes('/')) break;
      seps.push(sep);
      i = j;
    }
    // "+14155552671x": the whole '+' number, word and all, is a candidate of its own (beside the shorter reading below,
    // which "+44 20 7123 4567 24x7" needs).
    const whole = plus && gluedAfter(text, end) && wordAfter(text, end) ? { end, digits, groups: [...groups], seps: [...seps] } : undefined;
    // A last group glued to a word ("… 4567 24x7", "… 4567-ext") is not part of the number: drop it and keep the rest.
    while (groups.length > 0 && gluedAfter(text, end)) {
      if (groups.length === 1) break;
      const g = groups.pop() as number;
      seps.pop();
      ends.pop();
      digits = digits.slice(0, digits.length - g);
      end = ends[ends.length - 1] as number;
    }
    if (seps.some((s) => s.includes('('))) paren = true;
    if (!gluedAfter(text, end) && digits.length >= minDigits) out.push({ start, end, digits, groups, seps, plus, paren, glued: gluedBefore });
    if (whole !== undefined && whole.digits.length >= minDigits) out.push({ start, ...whole, plus, paren, glued: true });
    if (plus) slashEnded(out, start, digits, groups, seps, ends, minDigits, gluedBefore);
    i = Math.max(whole?.end ?? end, start + 1);
  }
  return out;
}

/**
 * "+14155552671/20240115", "+44 20 7946 0958/2": a '/' may also end a '+' number and start what follows it (a date,
 * a slot, a ticket), so the number up to each '/' is a candidate of its own, beside the reading that joins across
 * it (a '/' between area code and number). Added after that reading, which wins when both are read as phone numbers.
 */
function slashEnded(
  out: DigitRun[],
  start: number,
  digits: string,
  groups: readonly number[],
  seps: readonly string[],
  ends: readonly number[],
  minDigits: number,
  glued: boolean,
): void {
  let count = 0;
  for (let k = 0; k < seps.length; k++) {
    count += groups[k] as number;
    if (seps[k] !== '/' || count < minDigits) continue;
    const before = seps.slice(0, k);
    out.push({ start, end: ends[k] as number, digits: digits.slice(0, count), groups: groups.slice(0, k + 1), seps: before, plus: true, paren: before.some((s) => s.includes('(')), glued });
  }
}

/** Whether the number ending at `end` runs on into a word: "24x7", "2024-01-15T10", "5045-prod". */
function gluedAfter(text: string, end: number): boolean {
  if (end >= text.length) return false;
  const after = text.charCodeAt(end);
  return isAlnumCode(after) || after === 95 || ((after === 45 || after === 46) && end + 1 < text.length && isAlnumCode(text.charCodeAt(end + 1)));
}

/**
 * A letter, '_', '-' or '/' right before the '+' at `i`: "cell-+1…", "mobile_+44…", "x+1…", "ops/+1…", or '.' after
 * a letter ("ops.+1…"); not a digit or a dot after one ("1.0.0+2013…", "2.4.1.+1415…").
 */
function plusAfterWord(text: string, i: number): boolean {
  const p = text.charCodeAt(i - 1);
  if (p === 46) return !isDigitCode(text.charCodeAt(i - 2));
  return p === 95 || p === 45 || p === 47 || (isAlnumCode(p) && !isDigitCode(p));
}

/** A letter or '_' right after the number ending at `end` ("+14155552671x"), or '-' / '.' and a letter ("…2671-ext"). */
function wordAfter(text: string, end: number): boolean {
  const a = text.charCodeAt(end);
  const letter = (c: number): boolean => isAlnumCode(c) && !isDigitCode(c);
  return letter(a) || a === 95 || ((a === 45 || a === 46) && end + 1 < text.length && letter(text.charCodeAt(end + 1)));
}

/** At `j` (just after '('): 1–4 digits and a ')'. */
function closesShortGroup(text: string, j: number): boolean {
  let k = j;
  while (k < text.length && k - j < 5 && isDigitCode(text.charCodeAt(k))) k++;
  return k > j && k - j <= 4 && text.charCodeAt(k) === 41;
}
