import { maskedExcerpt } from '../pii/excerpt.js';
import { exponentialBacktracking, polynomialBacktracking } from './regex-backtracking.js';
import { badEscape } from './regex-escape.js';
import { maskPattern } from './pattern-pii.js';

/**
 * Dictionary regular expressions (tag `pattern`, `pii.allow.patterns`) are JavaScript syntax compiled with the `u`
 * flag: tag values are Unicode (\p{L} works), and `u` rejects sloppy syntax such as an unclosed `{4` that would
 * otherwise silently match literally. Nothing is anchored for the author: write ^...$.
 */
export const DICTIONARY_REGEX_FLAGS = 'u';

export function compileDictionaryRegex(source: string): RegExp {
  return new RegExp(source, DICTIONARY_REGEX_FLAGS);
}

/** `(?i)`, `(?i:`, `(?-i:`: inline modifiers, which Node 20 does not have. */
const INLINE_FLAGS = /\(\?(?:[imsx]+(?:-[imsx]*)?|-[imsx]+)[:)]/;

/** `/…/flags` with at least one flag, or `/^…$/`: nobody means the slashes to be part of the tag value. */
const REGEX_LITERAL = /^\/(?:.*\/[dgimsuvy]+|\^.*\$\/)$/s;

/** Why a pattern cannot be used, and where in it when one place is to blame (see regexIssue). */
export interface RegexIssue {
  readonly message: string;
  /** Index (UTF-16) in the pattern of what is wrong, e.g. the backslash of a bad escape. */
  readonly offset?: number;
}

/** As regexIssue, the message alone. */
export function regexProblem(source: string): string | undefined {
  return regexIssue(source)?.message;
}

/**
 * Why a pattern cannot be used: it does not compile (without V8's "Invalid regular expression: /.../u: " preamble;
 * a bad escape named, with where it is), or it could take exponential time on a crafted tag value (see
 * exponentialBacktracking).
 */
export function regexIssue(source: string): RegexIssue | undefined {
  // `/^prod$/i` pasted from JavaScript compiles, as a pattern that wants the slashes and the flag letters in the value.
  if (REGEX_LITERAL.test(source)) {
    return {
      message: `${maskedExcerpt(maskPattern(source), 60)} is written as a JavaScript regex literal; write the pattern alone, without the slashes and flags (it is compiled with the u flag; for other cases list them, e.g. [Pp]rod)`,
    };
  }
  try {
    compileDictionaryRegex(source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    // V8 says "Invalid escape" (or "Invalid Unicode escape", "Invalid property name"...) without saying which one.
    const bad = /escape|property name/i.test(reason) ? badEscape(source) : undefined;
    if (bad) return { message: `invalid regular expression: ${reason} ${bad.escape} at pattern offset ${bad.offset}: ${bad.hint}`, offset: bad.offset };
    const inline = reason === 'Invalid group' ? INLINE_FLAGS.exec(source) : null;
    if (inline) {
      return {
        message: `invalid regular expression: ${reason} ${inline[0]} at pattern offset ${inline.index}: inline flags are not supported, and patterns are case-sensitive (for either case write a class such as [Pp]rod)`,
        offset: inline.index,
      };
    }
    return { message: `invalid regular expression: ${reason}` };
  }
  const nested = exponentialBacktracking(source);
  if (nested === undefined) {
    const slow = polynomialBacktracking(source);
    if (slow === undefined) return undefined;
    return {
      message: `regular expression can take seconds on a long value: in ${slow}, several parts of variable length in a row can each match what the next one matches (make the classes exclude the separators between them, e.g. ^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$ rather than ^[a-z0-9-]+-[a-z0-9-]+-[a-z0-9-]+$)`,
    };
  }
  return {
    message: `regular expression can take exponential time: the repeated group ${nested} can match the same text in more than one way, so a long value that does not match makes it try them all (make each repetition end in something the next part cannot match, e.g. ([a-z]+-)* rather than ([a-z]+-?)*)`,
  };
}
