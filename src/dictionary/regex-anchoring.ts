import { reconstruct, types, type Token, type Tokens } from '../vendor/regex-syntax.js';
import { analysisTokens } from './regex-backtracking.js';
import { compileDictionaryRegex } from './dictionary-regex.js';
import { show } from './pending-problem.js';
import { maskPattern } from './pattern-pii.js';

type Root = Extract<Tokens, { type: types.ROOT }>;
type Group = Extract<Token, { type: types.GROUP }>;

const isLookaround = (t: Token): boolean => t.type === types.GROUP && (t.followedBy === true || t.notFollowedBy === true || t.lookBehind === true);
/** Zero-width tokens that may stand outside an anchor without un-anchoring it: lookarounds, \b and \B. */
const isZeroWidth = (t: Token): boolean => isLookaround(t) || (t.type === types.POSITION && (t.value === 'b' || t.value === 'B'));

const alternatives = (t: Root | Group): Token[][] => t.options ?? [t.stack ?? []];

/**
 * Whether every match of `seq` starts (`edge` '^') or ends ('$') at that end of the value: the sequence's outermost
 * token there (past zero-width ones) is the anchor, or a group every alternative of which is anchored there.
 */
function anchoredAt(seq: readonly Token[], edge: '^' | '$'): boolean {
  const outer = (edge === '^' ? seq : [...seq].reverse()).find((t) => !isZeroWidth(t));
  if (outer === undefined) return false;
  if (outer.type === types.POSITION) return outer.value === edge;
  if (outer.type === types.GROUP) return alternatives(outer).every((alt) => anchoredAt(alt, edge));
  return false;
}

/** The legacy test, for the rare pattern ret cannot read: starts with ^ and ends with an unescaped $. */
const textuallyAnchored = (source: string): boolean => source.startsWith('^') && /(?<!\\)\$$/.test(source);

/**
 * Whether a pattern judges whole values: every top-level alternative is anchored at both ends. `|` binds loosest,
 * so `^prod|dev$` is `(^prod)|(dev$)` and accepts `production-old` and `undev`; `^(?:prod|dev)$` is anchored.
 */
export function isAnchored(source: string): boolean {
  const root = analysisTokens(source);
  if (root === undefined || root.type !== types.ROOT) return textuallyAnchored(source);
  return alternatives(root).every((alt) => anchoredAt(alt, '^') && anchoredAt(alt, '$'));
}

/**
 * `^(?:a|b)$` for a top-level alternation `^a|b$`, each alternative's own outer anchors dropped; undefined when
 * ret cannot write the pattern back exactly as the author did (`\p{…}`, a lookbehind), so nothing is misquoted.
 */
function wrappedAlternation(source: string): string | undefined {
  const root = analysisTokens(source);
  if (root?.type !== types.ROOT || root.options === undefined) return undefined;
  try {
    if (reconstruct(root) !== source) return undefined;
    const bare = root.options.map((alt) => {
      const from = alt[0]?.type === types.POSITION && alt[0].value === '^' ? 1 : 0;
      const last = alt[alt.length - 1];
      const to = alt.length > from && last?.type === types.POSITION && last.value === '$' ? alt.length - 1 : alt.length;
      return reconstruct({ type: types.ROOT, stack: alt.slice(from, to) });
    });
    const wrapped = `^(?:${bare.join('|')})$`;
    compileDictionaryRegex(wrapped);
    return wrapped;
  } catch {
    return undefined;
  }
}

/**
 * Why a tag pattern or allow pattern does not judge whole values (a warning), or undefined when it is anchored. The
 * pattern and the rewrite proposed are quoted with what they spell out masked (maskPattern), whatever the dictionary's
 * `pii:` says: an allow pattern may well spell out an address (`jane\.doe@example\.com`). `key`: the tag's key.
 */
export function unanchoredProblem(source: string, key = ''): string | undefined {
  if (isAnchored(source)) return undefined;
  const shown = show(maskPattern(source, key));
  const root = analysisTokens(source);
  if (root?.type === types.ROOT && root.options !== undefined) {
    const wrapped = wrappedAlternation(source);
    const fix = wrapped === undefined ? '^(?:…|…)$' : maskPattern(wrapped, key);
    return `${shown} is not anchored: | splits the whole pattern, so each ^ or $ anchors only the alternative it is written in; write ${fix} so it judges whole values (tagaudit adds nothing)`;
  }
  return `${shown} is not anchored; write ^...$ so it judges whole values (tagaudit adds nothing)`;
}
