import { K_DOB } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
// Numeric: 1985-03-12, 1985/03/12, 12/03/1985, 12.03.1985, 12-03-1985, 19850312, 03/12/85;
// textual: 12 March 1985, 12-Mar-1985, March 12, 1985.
const DATE = new RegExp(
  String.raw`(?<![\d/.-])(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})|(\d{4})(\d{2})(\d{2})|(\d{1,2})(?:st|nd|rd|th)?\.?[\s-](?:${MONTHS})\.?,?[\s-](\d{4})|(?:${MONTHS})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))(?![\d/.-]?\d)`,
  'gi',
);
const DOB_CUE = /\b(?:dob|d\.o\.b\.?|born(?: on)?|birth ?date|date of birth|birthday|geb\.?|née?)\b\s*[:=]?\s*/gi;

const THIS_YEAR = new Date().getUTCFullYear();

/** True when the parts form a real calendar date in a plausible birth year. */
function plausible(y: number, a: number, b: number): boolean {
  if (y < 1900 || y > THIS_YEAR) return false;
  // a/b may be month/day or day/month
  const ok = (m: number, d: number): boolean => m >= 1 && m <= 12 && d >= 1 && d <= 31;
  return ok(a, b) || ok(b, a);
}

interface DateSpan {
  readonly start: number;
  readonly end: number;
}

function datesIn(t: string, from: number, to: number): DateSpan[] {
  const out: DateSpan[] = [];
  DATE.lastIndex = from;
  for (let m = DATE.exec(t); m !== null && m.index < to; m = DATE.exec(t)) {
    const g = (i: number): number => +(m?.[i] ?? 0);
    let ok: boolean;
    if (m[1] !== undefined) ok = plausible(g(1), g(2), g(3));
    else if (m[4] !== undefined) ok = plausible((m[6] as string).length === 2 ? 1900 + g(6) : g(6), g(4), g(5));
    else if (m[7] !== undefined) ok = plausible(g(7), g(8), g(9));
    else if (m[10] !== undefined) ok = plausible(g(11), 1, g(10));
    else ok = plausible(g(13), 1, g(12));
    if (ok) out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// A birthday without the year: "March 12", "12 Mar" (only under a birth-date key).
const DAY_MONTH = new RegExp(String.raw`^\s*(?:(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:${MONTHS})\.?)\s*$`, 'i');

export function detectDob(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  if (ctx.key(K_DOB)) {
    const dates = datesIn(t, 0, t.length);
    for (const d of dates) out.push({ kind: 'date-of-birth', ...d });
    if (dates.length === 0 && DAY_MONTH.test(t)) out.push({ kind: 'date-of-birth', start: t.search(/\S/), end: t.trimEnd().length });
    return;
  }
  DOB_CUE.lastIndex = 0;
  for (let m = DOB_CUE.exec(t); m !== null; m = DOB_CUE.exec(t)) {
    const from = m.index + m[0].length;
    const [d] = datesIn(t, from, from + 1);
    if (d !== undefined) out.push({ kind: 'date-of-birth', ...d });
    DOB_CUE.lastIndex = Math.max(from, DOB_CUE.lastIndex);
  }
}
