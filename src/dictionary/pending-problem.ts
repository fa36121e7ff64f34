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
  readonly message: string;
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

/** What YAML produced, in YAML words: "a list", "a mapping", "the number 5045"... */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return `the number ${shownNumber(String(value))}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}
