import type { DigitRun } from './digit-runs.js';
import { K_NUMERIC, K_SSN } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

const SSN_CUE = /\b(?:ssn|ss#|social security|social-security|soc\.? ?sec)/;

/** US SSN structure: area 001–665/667–899, group 01–99, serial 0001–9999. */
export function isValidSsnDigits(d: string): boolean {
  if (d.length !== 9) return false;
  const area = +d.slice(0, 3);
  const group = +d.slice(3, 5);
  const serial = +d.slice(5);
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

export function detectSsn(ctx: TextContext, runs: readonly DigitRun[], out: Found[]): void {
  let cue: boolean | undefined;
  for (const r of runs) {
    if (r.digits.length !== 9 || r.plus || r.paren) continue;
    const layout = r.groups.length === 3 && r.groups[0] === 3 && r.groups[1] === 2 && r.groups[2] === 4 && r.seps[0] === r.seps[1];
    const sep = r.seps[0];
    const formatted = layout && (sep === '-' || sep === ' ');
    const bare = r.groups.length === 1;
    // "123.45.6789" is a printed SSN too, but dotted triples are also versions and references: only with a cue.
    const dotted = layout && sep === '.';
    if (!formatted && !bare && !dotted) continue;
    if (!isValidSsnDigits(r.digits)) continue;
    cue ??= ctx.key(K_SSN) || ctx.cue(SSN_CUE);
    if (dotted && !cue) continue;
    // Formatted SSNs are distinctive, 123-45-6789 even under an id / number key (no id scheme prints 3-2-4 with
    // hyphens); bare nine digits are only an SSN when the key or text says so.
    if (bare ? cue : cue || sep === '-' || !ctx.key(K_NUMERIC)) out.push({ kind: 'ssn', start: r.start, end: r.end });
  }
}
