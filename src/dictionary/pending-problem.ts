import { redactText } from '../pii/redact.js';
import type { PathSegment } from './path.js';

/** A problem found in the data, before it is given a line:col from the YAML source. */
export interface PendingProblem {
  /** The path printed with the message, e.g. ['tags', 3, 'values'] → `tags[3].values`. */
  readonly path: readonly PathSegment[];
  /** Where to point in the source, when it differs from `path` (e.g. the offending key inside the mapping). */
  readonly locate?: readonly PathSegment[];
  /** Point at the mapping key rather than its value. */
  readonly at?: 'key' | 'value';
  /**
   * Point at this character (UTF-16 index) of the string value, e.g. the bad escape in a pattern, when the source
   * shows it as it is (otherwise, at the value).
   */
  readonly offset?: number;
  readonly message: string;
}

/**
 * Whether a path holds an AWS account id: `suppressions[].accounts[]`. (`accountDefaults` ids are mapping keys, which
 * are always text and never go through shownNumber.)
 */
function isAccountIdPath(path: readonly PathSegment[]): boolean {
  return path.length === 4 && path[0] === 'suppressions' && typeof path[1] === 'number' && path[2] === 'accounts' && typeof path[3] === 'number';
}

/**
 * Whether a number written as `text` at `path` is an AWS account id, which is shown in full: 12 digits where the
 * dictionary expects an account id. An account id is not personal data, and a masked one cannot be copied back.
 */
export function isAccountIdNumber(text: string, path: readonly PathSegment[]): boolean {
  return isAccountIdPath(path) && /^[0-9]{12}$/.test(text);
}

/**
 * Quotes a value for a message, personal data masked, shortened so a runaway string cannot flood the terminal.
 * Masked before it is shortened: a cut e-mail address or phone number is no longer recognised, but still says too much.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const chars = [...redactText(value)];
    const short = chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : chars.join('');
    return `'${short}'`;
  }
  if (typeof value === 'number') return shownNumber(String(value));
  return JSON.stringify(value) ?? String(value);
}

/**
 * A number as a message may quote it: with 7 digits or more it may be a phone number, a social security or card
 * number written without quotes, and only its last 3 digits are shown (the line and column say which value it is).
 */
export function shownNumber(text: string): string {
  const digits = text.replace(/\D/g, '').length;
  if (digits < 7) return text;
  let keep = 3;
  return [...text]
    .reverse()
    .map((c) => (/\d/.test(c) && keep-- <= 0 ? '*' : c))
    .reverse()
    .join('');
}

/**
 * What YAML produced, in YAML words: "a list", "a mapping", "the number 5045"... At an account-id path a 12-digit
 * number is shown in full (see isAccountIdNumber); `written` is the number as the source has it (`012345678901`).
 */
export function describeKind(value: unknown, path: readonly PathSegment[] = [], written?: string): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  // YAML 1.1 (`%YAML 1.1`) and an explicit `!!timestamp` tag read 2024-01-31 as a date, not as text.
  if (value instanceof Date) return 'a date (YAML read it as a timestamp)';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') {
    const text = String(value);
    return `the number ${isAccountIdNumber(written ?? text, path) ? text : shownNumber(text)}`;
  }
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}
