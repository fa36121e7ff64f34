import { K_PASSPORT } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

// Passport numbers are 6–9 alphanumerics, mostly digits: 533380006, X12345678, C01X00T47, 12AB34567, L898902C3.
const NUMBER = /(?<![A-Za-z0-9])[A-Z0-9]{6,9}(?![A-Za-z0-9])/g;
const NUMBER_ANY_CASE = /(?<![A-Za-z0-9])[A-Za-z0-9]{6,9}(?![A-Za-z0-9])/g;
const CUE = /passport\s*(?:no\.?|nr\.?|num(?:ber)?|#|id)?\s*[:=#]?\s*/gi;
// Machine-readable zone, first line: P<ISSUER SURNAME<<GIVEN<NAMES<<<…
const MRZ = /P[<A-Z][A-Z<]{3}[A-Z]+<<[A-Z<]{10,}/g;

function looksLikeNumber(s: string): boolean {
  let digits = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) <= 57) digits++;
  return digits >= 5;
}

export function detectPassport(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  if (ctx.p.lt >= 4) {
    MRZ.lastIndex = 0;
    for (let m = MRZ.exec(t); m !== null; m = MRZ.exec(t)) out.push({ kind: 'passport', start: m.index, end: m.index + m[0].length });
  }
  if (ctx.key(K_PASSPORT)) {
    // Under a passport key a typed-in lower-case number ("x1234567") counts too.
    const re = ctx.p.lower > 0 ? NUMBER_ANY_CASE : NUMBER;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      if (looksLikeNumber(m[0])) out.push({ kind: 'passport', start: m.index, end: m.index + m[0].length });
    }
    return;
  }
  if (!ctx.lower.includes('passport')) return;
  CUE.lastIndex = 0;
  for (let m = CUE.exec(t); m !== null; m = CUE.exec(t)) {
    const from = m.index + m[0].length;
    NUMBER.lastIndex = from;
    const n = NUMBER.exec(t);
    if (n !== null && n.index === from && looksLikeNumber(n[0])) out.push({ kind: 'passport', start: n.index, end: n.index + n[0].length });
    CUE.lastIndex = Math.max(from, CUE.lastIndex);
  }
}
