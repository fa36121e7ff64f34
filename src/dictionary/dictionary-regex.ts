/**
 * Dictionary regular expressions (tag `pattern`, `pii.allow.patterns`) are JavaScript syntax compiled with the `u`
 * flag: tag values are Unicode (\p{L} works), and `u` rejects sloppy syntax such as an unclosed `{4` that would
 * otherwise silently match literally. Nothing is anchored for the author: write ^...$.
 */
export const DICTIONARY_REGEX_FLAGS = 'u';

export function compileDictionaryRegex(source: string): RegExp {
  return new RegExp(source, DICTIONARY_REGEX_FLAGS);
}

/** The reason a pattern does not compile, without V8's "Invalid regular expression: /.../u: " preamble. */
export function regexProblem(source: string): string | undefined {
  try {
    compileDictionaryRegex(source);
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return `invalid regular expression: ${reason}`;
  }
}

/** Whether a pattern is anchored at both ends, so it judges whole values rather than substrings. */
export function isAnchored(source: string): boolean {
  return source.startsWith('^') && /(?<!\\)\$$/.test(source);
}
