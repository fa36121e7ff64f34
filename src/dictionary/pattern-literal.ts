/**
 * The text a dictionary `pattern` spells out, to look for personal data in it: `^(?!paul\.p@example\.com$)[a-z]+$`
 * holds an e-mail address that PII detectors do not see for the backslashes. Escapes of literal characters (`\.`,
 * `\+`, `\x40`, `\u0040`, `[@]`) are written as the character; what matches more than one character (a class, `\d`,
 * the syntax of a group with alternatives or of a lookaround, an anchor, `|`, a wildcard with a quantifier) becomes a
 * break, so no address or number is made up of pieces the pattern keeps apart; quantifiers vanish, so `\+44 ?20`
 * reads `+44 20`, and so does the syntax of a group with one alternative, which only joins its text to what is around
 * it: `jane(?:\.)doe@example\.com` reads `jane.doe@example.com`, found and masked whole.
 *
 * A group with alternatives is one of them in a value, joined to what is around it: `^jane\.doe@example\.(com|org)$`
 * spells `jane.doe@example.com` and `jane.doe@example.org`. patternSpellings writes each such choice out, as many
 * as a bound allows (see SPELLING_LIMIT); the groups past it stay breaks, as in patternLiteral.
 */
import { parsePattern, type PatternGroup, type PatternNode, type PatternTree } from './pattern-syntax.js';

/** A break: none of the detectors reads across it. */
const BREAK = '|';

/**
 * At most this many spellings of one pattern, and at most SPELLED_UNITS units of text in all (a long pattern gets
 * fewer). The alternatives of a group are written out one at a time only while the product of the counts of the
 * groups so written stays within the bound; `^(dev|staging|prod)-(us|eu)-(a|b|c)$` makes 18.
 */
export const SPELLING_LIMIT = 64;
const SPELLED_UNITS = 16_384;

export interface PatternLiteral {
  readonly text: string;
  /** For each UTF-16 unit of `text`, where in the pattern what it came from starts and ends (exclusive). */
  readonly sourceStart: readonly number[];
  readonly sourceEnd: readonly number[];
}

/** The literal text of a dictionary pattern, every group with alternatives a break (see the file comment). */
export function patternLiteral(p: string): PatternLiteral {
  return render(parsePattern(p), new Map());
}

/** The spellings of a pattern and the groups whose alternatives they write out one at a time. */
export interface PatternSpellings {
  readonly spellings: readonly PatternLiteral[];
  readonly expanded: readonly PatternGroup[];
}

/** Each text a pattern spells out, one per choice of alternatives in its groups (see the file comment), deduplicated. */
export function patternSpellings(p: string): PatternSpellings {
  const limit = Math.max(1, Math.min(SPELLING_LIMIT, Math.floor(SPELLED_UNITS / Math.max(1, p.length))));
  const tree = parsePattern(p);
  const expanded: PatternGroup[] = [];
  let count = 1;
  const visit = (nodes: readonly PatternNode[]): void => {
    for (const node of nodes) {
      if (node.type !== 'group') continue;
      if (!node.lookaround && node.alternatives.length > 1 && count * node.alternatives.length <= limit) {
        expanded.push(node);
        count *= node.alternatives.length;
      }
      node.alternatives.forEach(visit);
    }
  };
  tree.alternatives.forEach(visit);
  const seen = new Map<string, PatternLiteral>();
  const choice = expanded.map(() => 0);
  for (let n = 0; n < count; n += 1) {
    let rest = n;
    expanded.forEach((g, k) => {
      choice[k] = rest % g.alternatives.length;
      rest = Math.floor(rest / g.alternatives.length);
    });
    const spelling = render(tree, new Map(expanded.map((g, k) => [g, choice[k]!])));
    if (!seen.has(spelling.text)) seen.set(spelling.text, spelling);
  }
  return { spellings: [...seen.values()], expanded };
}

/** Writes the tree out, each group in `chosen` as its chosen alternative alone, joined to what is around it. */
function render(tree: PatternTree, chosen: ReadonlyMap<PatternGroup, number>): PatternLiteral {
  let text = '';
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  const emit = (s: string, at: number, length: number): void => {
    text += s;
    for (let k = 0; k < s.length; k += 1) {
      sourceStart.push(at);
      sourceEnd.push(at + length);
    }
  };
  const alternatives = (alts: readonly (readonly PatternNode[])[], separators: readonly number[]): void => {
    alts.forEach((alt, k) => {
      if (k > 0) emit(BREAK, separators[k - 1]!, 1);
      sequence(alt);
    });
  };
  const sequence = (nodes: readonly PatternNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'char') emit(node.char, node.at, node.length);
      else if (node.type === 'break') emit(BREAK, node.at, node.length);
      else if (node.type === 'group') group(node);
    }
  };
  const group = (g: PatternGroup): void => {
    const pick = chosen.get(g);
    if (pick !== undefined) sequence(g.alternatives[pick]!);
    else if (!g.lookaround && g.alternatives.length === 1 && g.close !== undefined) sequence(g.alternatives[0]!);
    else {
      emit(BREAK, g.head.at, g.head.length);
      alternatives(g.alternatives, g.separators);
      if (g.close !== undefined) emit(BREAK, g.close, 1);
    }
  };
  alternatives(tree.alternatives, tree.separators);
  return { text, sourceStart, sourceEnd };
}
