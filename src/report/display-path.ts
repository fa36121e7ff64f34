import { detectPii } from '../pii/detect.js';
import type { PiiKind } from '../pii/kinds.js';
import { redactText } from '../pii/redact.js';
import { sanitize } from './visible-text.js';

/*
 * File names are text the user chose, and people name exports after whoever asked for them
 * ("inv/jane.doe@example.com.jsonl", "y/078-05-1120.yaml"). Every report and message shows a user-given path through
 * displayPath, so personal data in a name is masked like personal data anywhere else. The one exception is the
 * journal path in `fix --apply`'s resume and undo hints, which must stay copy-pasteable (see docs/pii.md).
 */

/**
 * A digit group in a name, with the separators inside it: "4111111111111111" in "nope-4111111111111111.yaml",
 * "078-05-1120" in "y/078-05-1120.yaml". Glued to a word ("nope-", "y/"), redactText reads such digits as part of an
 * identifier and leaves them; a name is not prose, so each group is judged on its own.
 */
const DIGIT_GROUP = /\+?\d(?:\d|[ .-](?=\d))*/g;
/** Shorter groups (dates' parts, versions, counters) are never a card, SSN or phone number. */
const MIN_GROUP_DIGITS = 7;
const WINDOW_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>(['credit-card', 'ssn']);

let lastPath: string | undefined;
let lastShown = '';

/**
 * `path` as reports and messages show it: an e-mail address, card, SSN, phone number, IBAN or AWS key in it masked
 * as redactText masks it ("inv/j***@*******.c*m.jsonl", "y/***-**-1120.yaml"), control characters made visible;
 * other paths unchanged.
 */
export function displayPath(path: string): string {
  // Bad-line messages name the same file again and again.
  if (path === lastPath) return lastShown;
  // A name can hold terminal escapes too (`x\x1b]0;…`): shown as \xNN, as the table shows tag text.
  const shown = sanitize(maskNameText(path));
  lastPath = path;
  lastShown = shown;
  return shown;
}

/**
 * A name or identifier the user gave (a file name, a SARIF category) with its personal data masked: redactText, and
 * then each digit group judged on its own.
 */
export function maskNameText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  return redactText(text).replace(DIGIT_GROUP, maskDigitGroup);
}

/**
 * A digit group masked as a whole when redactText masks it, else its longest run of parts that holds a card or SSN: a
 * version, date or counter glued on keeps the whole from reading as one number ("16-078-05-1120" in
 * "utf16-078-05-1120", "2024-06-01-4111111111111111"). Only those two, which carry their own proof (a checksum, a
 * fixed layout): a slice of a date and time ("06-01 10-15-30") can read as a phone number.
 */
function maskDigitGroup(group: string): string {
  if (countDigits(group) < MIN_GROUP_DIGITS) return group;
  const whole = redactText(group);
  if (whole !== group) return whole;
  // Numbers and the single separators between them: ['2024', '-', '06', '-', '01', '-', '4111111111111111'].
  const parts = group.split(/([ .-])/);
  const numbers = (parts.length + 1) / 2;
  for (let count = numbers - 1; count >= 1; count--) {
    for (let first = 0; first + count <= numbers; first++) {
      const start = 2 * first;
      const end = 2 * (first + count) - 1;
      const window = parts.slice(start, end).join('');
      if (countDigits(window) < MIN_GROUP_DIGITS) continue;
      if (!detectPii('', window).some((h) => WINDOW_KINDS.has(h.kind))) continue;
      const masked = redactText(window);
      return parts.slice(0, start).join('') + masked + (end < parts.length ? parts[end]! + maskDigitGroup(parts.slice(end + 1).join('')) : '');
    }
  }
  return group;
}

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) n++;
  return n;
}
