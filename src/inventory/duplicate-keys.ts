import { maskedExcerpt } from '../pii/excerpt.js';
import { skipValue, skipWhitespace } from './json-scan.js';

/**
 * JSON.parse keeps the last of two members with the same name without a word: a record with "arn" twice would lose a
 * resource, a tag given twice one of its values. Readers call mayHaveDuplicateKeys on every record (cheap) and
 * duplicateKeys only when it says so.
 */

// Where a member name ends: a quote, maybe blanks, a colon. Also matches an escaped quote followed by a colon inside
// a string (`"a\":b"`), which only makes the cheap test send a record to the full walk.
const KEY_END = /"[ \t\n\r]*:/g;

/**
 * False when `text` (the JSON that `value` was parsed from) surely repeats no member name; true when it may.
 *
 * Two cheap tests, each of which can only prove there is no repetition. First, lengths: the shortest JSON text of
 * `value` (no blanks, no escapes) is as long as `text` exactly when every character of `text` is in `value`, and a
 * member JSON.parse dropped would have left characters out. That settles compact lines with plain strings, as
 * --save-inventory and `jq -c` write them, with one pass over the parsed value. Otherwise (blanks, escapes), counts:
 * the ends of member names in `text` against the members of `value`.
 */
export function mayHaveDuplicateKeys(text: string, value: unknown): boolean {
  if (shortestJsonLength(value, 0) === text.length) return false;
  const members = membersIn(value, 0);
  let written = 0;
  // Compact JSON has no blank before a colon: indexOf finds every name's end, and an escaped quote before a colon.
  for (let i = text.indexOf('":'); i >= 0; i = text.indexOf('":', i + 2)) written++;
  if (written > members) return true;
  if (written === members && !mayHaveBlankBeforeColon(text)) return false;
  KEY_END.lastIndex = 0;
  written = 0;
  while (KEY_END.test(text)) written++;
  return written !== members;
}

/** Whether some quote is followed by a blank, as the end of a name is in `"env" : "prod"`, not counted by indexOf. */
function mayHaveBlankBeforeColon(text: string): boolean {
  return text.indexOf('" ') >= 0 || text.indexOf('"\n') >= 0 || text.indexOf('"\t') >= 0 || text.indexOf('"\r') >= 0;
}

// Deeper than any record of an inventory: past it nothing is counted (NaN, Infinity: the record then gets the full
// walk, which does not look deeper either), so that a line of 100,000 nested lists cannot overflow the stack.
const MAX_DEPTH = 64;

/** The length of the shortest JSON text of a parsed value; a number counts as one character (at least). */
function shortestJsonLength(v: unknown, depth: number): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v !== 'object') return v === true ? 4 : v === false ? 5 : 1;
  if (v === null) return 4;
  if (depth > MAX_DEPTH) return Number.NaN;
  if (Array.isArray(v)) {
    let n = v.length > 0 ? v.length + 1 : 2;
    for (let i = 0; i < v.length; i++) n += shortestJsonLength(v[i], depth + 1);
    return n;
  }
  // {"k":v,…}: 1 for the brace, and per member the name, 2 quotes, a colon and a comma (the last one's: the brace).
  let n = 1;
  for (const k in v) n += k.length + 4 + shortestJsonLength((v as Record<string, unknown>)[k], depth + 1);
  return n === 1 ? 2 : n;
}

function membersIn(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MAX_DEPTH) return Number.POSITIVE_INFINITY;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'object' && v !== null) n += membersIn(v, depth + 1);
    return n;
  }
  for (const k in value) {
    n++;
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null) n += membersIn(v, depth + 1);
  }
  return n;
}

export interface DuplicateKey {
  /** The repeated name. */
  readonly key: string;
  /** Where the object holding it is: member names and list indexes from the top ([] for the top-level object). */
  readonly path: readonly (string | number)[];
  /** Offset in the text of the second occurrence's opening quote. */
  readonly offset: number;
}

/**
 * Every member name repeated in an object of the well-formed JSON value starting at `start` of `text` (the first
 * repetition of each name in each object), in text order.
 */
export function duplicateKeys(text: string, start = 0): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  walk(text, skipWhitespace(text, start), [], found);
  return found;
}

function walk(text: string, pos: number, path: (string | number)[], found: DuplicateKey[]): number {
  const c = text.charCodeAt(pos);
  if (path.length > MAX_DEPTH) return skipValue(text, pos);
  if (c === 0x7b /* { */) {
    const seen = new Set<string>();
    const reported = new Set<string>();
    pos = skipWhitespace(text, pos + 1);
    while (text.charCodeAt(pos) === 0x22 /* " */) {
      const keyStart = pos;
      const keyEnd = skipValue(text, pos);
      const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
      if (!seen.has(key)) seen.add(key);
      else if (!reported.has(key)) {
        reported.add(key);
        found.push({ key, path: [...path], offset: keyStart });
      }
      pos = skipWhitespace(text, keyEnd);
      pos = skipWhitespace(text, pos + 1); // the colon
      path.push(key);
      pos = skipWhitespace(text, walk(text, pos, path, found));
      path.pop();
      if (text.charCodeAt(pos) === 0x2c /* , */) pos = skipWhitespace(text, pos + 1);
    }
    return pos + 1; // the closing brace
  }
  if (c === 0x5b /* [ */) {
    pos = skipWhitespace(text, pos + 1);
    for (let i = 0; pos < text.length && text.charCodeAt(pos) !== 0x5d; /* ] */ i++) {
      path.push(i);
      pos = skipWhitespace(text, walk(text, pos, path, found));
      path.pop();
      if (text.charCodeAt(pos) === 0x2c) pos = skipWhitespace(text, pos + 1);
    }
    return pos + 1;
  }
  return skipValue(text, pos);
}

/**
 * How a message names a repeated member: `key "env" appears twice in "tags"` (names masked: a tag key may be an
 * e-mail address). `from` leaves out the first path segments, which the caller names itself.
 */
export function describeDuplicate(dup: DuplicateKey, from = 0): string {
  const where = dup.path.slice(from);
  const place = where.length === 0 ? '' : ` in ${where.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${quote(p)}`)).join('')}`;
  return `key ${quote(dup.key)} appears twice${place} (JSON would keep only the last)`;
}

function quote(name: string): string {
  return JSON.stringify(maskedExcerpt(name, 60));
}
