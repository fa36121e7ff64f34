import { digitRuns } from './digit-runs.js';
import { detectPhone } from './phone.js';
import { TextContext, TextProfile, type Found } from './text-context.js';

/**
 * A phone number URL-encoded as it comes out of a query string or a copied link: "%2B14155552671",
 * "+1%20415%20555%202671". Read with "%2B" as "  +" and "%20" as "   " (one code unit for one, so spans stay
 * where they are); a number found starts at its encoded '+'. Only the phone check reads it this way.
 */
const ENCODED = /%2b|%20/gi;
const MAY_HOLD = /%2b|%20/i;

/** Whether a text with a '%' in it may hold such a number. */
export function mayHoldUrlEncodedPhone(text: string): boolean {
  return MAY_HOLD.test(text);
}

const decoded = (m: string): string => (m === '%20' ? '   ' : '  +');

export function detectUrlEncodedPhone(text: string, keyFlags: number, out: Found[]): void {
  const view = text.replace(ENCODED, decoded);
  const p = new TextProfile().measure(view);
  if (p.freeRun < 7) return;
  const runs = digitRuns(view, 7);
  if (runs.length === 0) return;
  const found: Found[] = [];
  detectPhone(new TextContext(view, p, keyFlags), runs, found);
  for (const f of found) {
    const encodedPlus = view[f.start] === '+' && text[f.start] !== '+';
    // only what the encoding changed: a number written plainly is the plain reading's
    if (!encodedPlus && !text.slice(f.start, f.end).includes('%')) continue;
    out.push(encodedPlus ? { kind: 'phone', start: f.start - 2, end: f.end } : f);
  }
}
