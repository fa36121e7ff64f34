import type { Found, TextContext } from './text-context.js';

/** IBAN length per country (ISO 13616 registry). */
const IBAN_LENGTH: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27,
  MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33,
  SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

export function ibanChecksumValid(iban: string): boolean {
  // mod 97 of the rearranged string with letters as 10..35, computed piecewise to stay in safe integers
  const s = iban.slice(4) + iban.slice(0, 4);
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) m = (m * 10 + (c - 48)) % 97;
    else m = (m * 100 + (c - 55)) % 97;
  }
  return m === 1;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => isLetter(c) || isDigit(c);

/** Finds "CCkk BBAN…" grouped or not, any case; the country's length decides where the IBAN ends. */
export function detectIban(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  const n = t.length;
  for (let i = 0; i + 15 <= n; i++) {
    const a = t.charCodeAt(i);
    if (!isLetter(a) || !isLetter(t.charCodeAt(i + 1)) || !isDigit(t.charCodeAt(i + 2)) || !isDigit(t.charCodeAt(i + 3))) continue;
    if (i > 0 && isAlnum(t.charCodeAt(i - 1))) continue;
    const want = IBAN_LENGTH[t.slice(i, i + 2).toUpperCase()];
    if (want === undefined) continue;
    let compact = '';
    let j = i;
    // Groups are separated by single spaces (the printed form) or, less often, dashes; one kind per IBAN.
    let sep = 0;
    while (j < n && compact.length < want) {
      const c = t.charCodeAt(j);
      if (isLetter(c) || isDigit(c)) compact += t[j];
      else if ((c === 32 || c === 45 || c === 0xa0) && (sep === 0 || sep === c) && compact.length >= 4 && j + 1 < n && isAlnum(t.charCodeAt(j + 1))) {
        sep = c;
      } else break;
      j++;
    }
    if (compact.length !== want) continue;
    if (j < n && isAlnum(t.charCodeAt(j))) continue;
    if (!ibanChecksumValid(compact.toUpperCase())) continue;
    out.push({ kind: 'iban', start: i, end: j });
    i = j;
  }
}
