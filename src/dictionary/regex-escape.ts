/**
 * Finds the escape V8 refuses in a u-flag pattern. V8 says only "Invalid escape" (or "Invalid Unicode escape", "Invalid
 * class escape", "Invalid property name"), not which one: `^CC\-\d{4}$` has two escapes and only `\-` is wrong.
 */

/** The first bad escape of a pattern: its text, where it starts (UTF-16 index in the pattern), and what to write. */
export interface BadEscape {
  readonly escape: string;
  readonly offset: number;
  readonly hint: string;
}

const SYNTAX = '^$\\.*+?()[]{}|/';
const SYNTAX_LIST = [...SYNTAX].join(' ');

/**
 * Walks the pattern escape by escape, telling inside a character class from outside, and tries each escape alone
 * (as `(?:\x)` or `[\x]`) with the u flag; back-references are checked against the number of capture groups. The
 * first that fails is the one V8 refused. Undefined when every escape compiles alone (the error is something else).
 */
export function badEscape(pattern: string): BadEscape | undefined {
  const groups = captureGroups(pattern);
  let inClass = false;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c !== '\\') {
      if (inClass && c === ']') inClass = false;
      else if (!inClass && c === '[') inClass = true;
      i += 1;
      continue;
    }
    const escape = escapeAt(pattern, i);
    const problem = escapeProblem(escape, inClass, groups);
    if (problem !== undefined) return { escape, offset: i, hint: problem };
    i += escape.length;
  }
  return undefined;
}

/** The escape starting at `i` (a backslash): as many characters as that kind of escape takes. */
function escapeAt(pattern: string, i: number): string {
  const next = pattern[i + 1];
  if (next === undefined) return '\\';
  const after = pattern.slice(i + 2);
  if ((next === 'p' || next === 'P' || next === 'u') && after.startsWith('{')) {
    const close = pattern.indexOf('}', i + 2);
    return pattern.slice(i, close < 0 ? pattern.length : close + 1);
  }
  if (next === 'u' && /^[0-9a-fA-F]{4}/.test(after)) return pattern.slice(i, i + 6);
  if (next === 'x' && /^[0-9a-fA-F]{2}/.test(after)) return pattern.slice(i, i + 4);
  if (next === 'c' && /^[A-Za-z]/.test(after)) return pattern.slice(i, i + 3);
  if (next === 'k' && after.startsWith('<')) {
    const close = pattern.indexOf('>', i + 3);
    return pattern.slice(i, close < 0 ? pattern.length : close + 1);
  }
  if (/[1-9]/.test(next)) return pattern.slice(i, i + 2 + (/^[0-9]*/.exec(after)?.[0].length ?? 0));
  return pattern.slice(i, i + 2);
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with one escape, in words that say what to write instead; undefined when it is fine. */
function escapeProblem(escape: string, inClass: boolean, groups: number): string | undefined {
  const next = escape[1];
  if (next === undefined) return 'a pattern cannot end with a lone backslash';
  if (next === 'k') return undefined; // a named back-reference: V8 names a missing group itself
  if (/[1-9]/.test(next)) {
    const n = Number(escape.slice(1));
    if (inClass) return `a back-reference cannot stand inside [...]; for the digit write ${escape.slice(1)} without the backslash`;
    if (n <= groups) return undefined;
    return `it refers to capture group ${n}, but the pattern has ${groups === 0 ? 'none' : `only ${groups}`}; for the digit${n > 9 ? 's' : ''} write ${escape.slice(1)} without the backslash`;
  }
  if (compiles(inClass ? `[${escape}]` : `(?:${escape})`)) return undefined;
  if (inClass && compiles(`(?:${escape})`)) return `${escape} has no meaning inside [...]; write it outside the brackets`;
  if (next === 'x') return 'write \\x with two hex digits, e.g. \\x2D';
  if (next === 'u') return 'write \\u with four hex digits or a code point in braces, e.g. \\u00E9 or \\u{1F600}';
  if (next === 'c') return 'write \\c with a letter, e.g. \\cJ';
  if (next === 'p' || next === 'P') return 'name a Unicode property or general category, e.g. \\p{L}, \\p{Lu}, \\p{N}, \\p{Script=Greek}';
  if (/[A-Za-z0-9]/.test(next)) {
    return `with the u flag a backslash before a letter or digit must start an escape such as \\d, \\w, \\s or \\p{L}; for the character itself write ${next}`;
  }
  const allowed = `${SYNTAX_LIST}${inClass ? ' -' : ''}`;
  return `${inClass ? 'inside' : 'outside'} [...], write ${next} without the backslash (with the u flag, a backslash may only come before one of ${allowed} or start an escape such as \\d)`;
}

/** How many capture groups the pattern has: `(` not followed by `?`, or `(?<name>`; not escaped, not inside [...]. */
function captureGroups(pattern: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && (pattern[i + 1] !== '?' || (pattern[i + 2] === '<' && pattern[i + 3] !== '=' && pattern[i + 3] !== '!'))) count++;
  }
  return count;
}
