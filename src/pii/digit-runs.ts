import { isAlnumCode, isDigitCode } from './text-context.js';

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
  /** Separator text between groups (length = groups.length - 1). */
  readonly seps: readonly string[];
  readonly plus: boolean;
  readonly paren: boolean;
}

const SEP = new Set([' ', '-', '.', '/', '(', ')', '\u00a0']);

function attachedToIdentifier(text: string, i: number): boolean {
  if (i === 0) return false;
  const p = text.charCodeAt(i - 1);
  if (isAlnumCode(p)) return true;
  // "Sales-5045", "job_2024", "v1.2": a joiner right after a word character.
  if ((p === 45 || p === 95 || p === 46 || p === 47) && i >= 2 && isAlnumCode(text.charCodeAt(i - 2))) return true;
  return false;
}

export function digitRuns(text: string, minDigits: number): DigitRun[] {
  const out: DigitRun[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const startsRun = isDigitCode(c) || ((c === 43 || c === 40) && i + 1 < n && isDigitCode(text.charCodeAt(i + 1)));
    if (!startsRun || attachedToIdentifier(text, i)) {
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
      end = i;
      // up to two separator characters ("-", " ", ") ", " - ") followed by a digit or "(digit"
      let j = i;
      let sep = '';
      while (j < n && sep.length < 3 && SEP.has(text[j] as string)) sep += text[j++];
      if (sep === '' || j >= n) break;
      const nc = text.charCodeAt(j);
      if (!isDigitCode(nc)) break;
      if (sep.includes('(')) paren = true;
      seps.push(sep);
      i = j;
    }
    // a closing parenthesis right after the first group belongs to the run: "(02) 9876 5432"
    const after = end < n ? text.charCodeAt(end) : 0;
    const glued = after !== 0 && (isAlnumCode(after) || after === 95 || ((after === 45 || after === 46) && end + 1 < n && isAlnumCode(text.charCodeAt(end + 1))));
    if (!glued && digits.length >= minDigits) out.push({ start, end, digits, groups, seps, plus, paren });
    i = Math.max(end, start + 1);
  }
  return out;
}
