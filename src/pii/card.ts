import type { DigitRun } from './digit-runs.js';
import { K_CARD, K_HASH, K_NUMERIC } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

const CARD_CUE = /\b(?:card|visa|master ?card|amex|american express|discover|jcb|diners|unionpay|maestro|cc#|pan)\b/;

export function luhnValid(d: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = d.length - 1; i >= 0; i--) {
    let n = d.charCodeAt(i) - 48;
    if (dbl) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

const between = (d: string, len: number, lo: number, hi: number): boolean => {
  const v = +d.slice(0, len);
  return v >= lo && v <= hi;
};

/** Issuer identification ranges (first digits) with their card lengths. */
export function hasIssuerPrefix(d: string): boolean {
  const n = d.length;
  switch (d.charCodeAt(0) - 48) {
    case 2: // Mastercard 2-series, Mir
      return (n === 16 && between(d, 4, 2221, 2720)) || (n >= 16 && between(d, 4, 2200, 2204));
    case 3:
      if (n === 15) return between(d, 2, 34, 34) || between(d, 2, 37, 37); // Amex
      if (n >= 16 && between(d, 4, 3528, 3589)) return true; // JCB
      return n >= 14 && (between(d, 3, 300, 305) || between(d, 4, 3095, 3095) || between(d, 2, 36, 36) || between(d, 2, 38, 39)); // Diners
    case 4: // Visa
      return n === 13 || n === 16 || n === 19;
    case 5:
      if (n === 16 && between(d, 2, 51, 55)) return true; // Mastercard
      return n >= 13 && (between(d, 4, 5018, 5018) || between(d, 4, 5020, 5020) || between(d, 4, 5038, 5038) || between(d, 4, 5893, 5893)); // Maestro
    case 6:
      if (n < 16) return n >= 13 && (between(d, 4, 6304, 6304) || between(d, 4, 6759, 6759) || between(d, 4, 6761, 6763)); // Maestro
      return (
        between(d, 4, 6011, 6011) ||
        between(d, 3, 644, 649) ||
        between(d, 2, 65, 65) ||
        between(d, 2, 62, 62) || // UnionPay and Discover's 622126–622925
        between(d, 2, 60, 60) || // RuPay
        between(d, 4, 6304, 6304) ||
        between(d, 4, 6759, 6759) ||
        between(d, 4, 6761, 6763)
      );
    default:
      return false;
  }
}

/** Printed groupings: contiguous, 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4. */
function plausibleGrouping(groups: readonly number[], seps: readonly string[], cardContext: boolean): boolean {
  if (groups.length === 1) return true;
  const s0 = seps[0];
  if (s0 !== ' ' && s0 !== '-' && !(cardContext && s0 === '.')) return false;
  if (seps.some((s) => s !== s0)) return false;
  // Under a card key or cue, any even printing of 3–6 digit groups: 13-digit Visa "4929 1234 56789", "4111.1111.…".
  if (cardContext && groups.every((g) => g >= 3 && g <= 6)) return true;
  if (groups.length === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)) return true;
  for (let i = 0; i < groups.length - 1; i++) if (groups[i] !== 4) return false;
  const last = groups[groups.length - 1] as number;
  return last >= 1 && last <= 4;
}

function check(ctx: TextContext, cardContext: boolean, r: DigitRun, gFrom: number, gTo: number, out: Found[]): boolean {
  const groups = r.groups.slice(gFrom, gTo);
  const seps = r.seps.slice(gFrom, gTo - 1);
  let off = 0;
  for (let i = 0; i < gFrom; i++) off += r.groups[i] as number;
  let len = 0;
  for (const g of groups) len += g;
  if (len < 13 || len > 19) return false;
  const d = r.digits.slice(off, off + len);
  if (!hasIssuerPrefix(d) || !luhnValid(d)) return false;
  if (!plausibleGrouping(groups, seps, cardContext)) return false;
  // A bare digit string under an id/order/hash key is far more likely an identifier that happens to pass Luhn;
  // so is a bare 13- or 14-digit one anywhere (EAN-13, GTIN-14, timestamps): only old Visa and Diners cards are that short.
  if (groups.length === 1 && !cardContext && (ctx.key(K_NUMERIC) || ctx.key(K_HASH) || len < 15)) return false;
  // Map the group range back to text offsets.
  let start = r.start + (r.plus || r.paren ? 1 : 0);
  for (let i = 0; i < gFrom; i++) start += (r.groups[i] as number) + (r.seps[i] as string).length;
  let end = start;
  for (let i = gFrom; i < gTo; i++) end += (r.groups[i] as number) + (i < gTo - 1 ? (r.seps[i] as string).length : 0);
  out.push({ kind: 'credit-card', start, end });
  return true;
}

export function detectCard(ctx: TextContext, runs: readonly DigitRun[], out: Found[]): void {
  let cardContext: boolean | undefined;
  for (const r of runs) {
    if (r.digits.length < 13 || r.plus || r.paren) continue;
    cardContext ??= ctx.key(K_CARD) || ctx.cue(CARD_CUE);
    if (check(ctx, cardContext, r, 0, r.groups.length, out)) continue;
    // A card followed or preceded by other numbers in the same run ("… 4111 1111 1111 1111 12 29").
    const g = r.groups.length;
    // Printed cards have at most 5 groups, so windows are short and the search stays linear.
    outer: for (let a = 0; a < g; a++)
      for (let b = Math.min(g, a + 5); b > a + 1; b--) if ((a !== 0 || b !== g) && check(ctx, cardContext, r, a, b, out)) break outer;
  }
}
