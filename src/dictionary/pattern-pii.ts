import { detectPii } from '../pii/detect.js';
import { PII_KIND_LABEL } from '../pii/kinds.js';
import { DEFAULT_PII_POLICY, type PiiPolicy } from '../pii/policy.js';
import { patternSpellings, type PatternSpellings } from './pattern-literal.js';
import { parsePattern, type PatternNode, type PatternTree } from './pattern-syntax.js';

/**
 * Personal data a dictionary pattern spells out (pattern-literal.ts), and the pattern with it masked for messages.
 * Where the data lies within the pattern as written (`^(ml|jane\.doe@example\.com)$`), that stretch is replaced by
 * the detector's mask, `^(ml|j***@e*****e.com)$`. Where it is made of pieces from different alternatives
 * (`^(jane|john)\.doe@example\.com$`), the group's syntax is kept and every letter or digit of those pieces masked
 * (`^(j***|j***).d***@e***.c***$`), so no alternative shows a name the others hide.
 */

/** Where one finding lies in the pattern: [from, to), its mask, and whether it crosses a written-out group's syntax. */
interface Located {
  readonly from: number;
  readonly to: number;
  readonly masked: string;
  readonly crosses: boolean;
}

interface Found {
  readonly kinds: readonly string[];
  readonly located: Located[];
}

function find(key: string, spelled: PatternSpellings, groupSyntax: ReadonlySet<number>, policy: PiiPolicy): Found {
  const kinds = new Set<string>();
  const located = new Map<string, Located>();
  for (const spelling of spelled.spellings) {
    for (const hit of detectPii(key, spelling.text, policy)) {
      if (hit.where !== 'value') continue;
      kinds.add(PII_KIND_LABEL[hit.kind]);
      for (const start of occurrences(spelling.text, hit.match)) {
        const from = spelling.sourceStart[start]!;
        const to = spelling.sourceEnd[start + hit.match.length - 1]!;
        let crosses = false;
        for (let i = from; i < to && !crosses; i += 1) crosses = groupSyntax.has(i);
        const id = `${from}:${to}`;
        if (!located.has(id)) located.set(id, { from, to, masked: hit.masked, crosses });
      }
    }
  }
  return { kinds: [...kinds], located: [...located.values()] };
}

function occurrences(text: string, match: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(match); i >= 0 && match.length > 0; i = text.indexOf(match, i + match.length)) out.push(i);
  return out;
}

/** Where the syntax of each group the spellings write out one alternative at a time is: `(`, `|`, `)`. */
function syntaxOf(spelled: PatternSpellings): Set<number> {
  const out = new Set<number>();
  for (const g of spelled.expanded) {
    for (let i = 0; i < g.head.length; i += 1) out.add(g.head.at + i);
    for (const s of g.separators) out.add(s);
    if (g.close !== undefined) out.add(g.close);
  }
  return out;
}

/** What starts at each position of the pattern: a character of the value (with what it stands for) or syntax. */
function leaves(tree: PatternTree): Map<number, { length: number; char?: string }> {
  const out = new Map<number, { length: number; char?: string }>();
  const sequence = (nodes: readonly PatternNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'char') out.set(node.at, { length: node.length, char: node.char });
      else if (node.type !== 'group') out.set(node.at, { length: node.length });
      else {
        out.set(node.head.at, { length: node.head.length });
        node.separators.forEach((s) => out.set(s, { length: 1 }));
        if (node.close !== undefined) out.set(node.close, { length: 1 });
        node.alternatives.forEach(sequence);
      }
    }
  };
  tree.alternatives.forEach(sequence);
  tree.separators.forEach((s) => out.set(s, { length: 1 }));
  return out;
}

/** A piece of personal data cut by a group: each letter or digit run masked, `jane` as `j***`, `0958` as `****`. */
function maskPiece(text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (run) => {
    const chars = [...run];
    if (chars.length === 1 || /^\p{N}+$/u.test(run)) return '*'.repeat(chars.length);
    return `${chars[0]!}***`;
  });
}

/** The pattern with what `located` covers masked (see the file comment). */
function masked(pattern: string, located: readonly Located[]): string {
  if (located.length === 0) return pattern;
  const piece = new Array<boolean>(pattern.length).fill(false);
  const mark = (l: Located): void => {
    for (let i = l.from; i < l.to; i += 1) piece[i] = true;
  };
  // Whole stretches, unless one crosses a group's syntax or only partly overlaps another: then masked piece by piece.
  let whole = located.filter((l) => !l.crosses);
  located.filter((l) => l.crosses).forEach(mark);
  for (let changed = true; changed; ) {
    changed = false;
    for (const l of whole) {
      const partly = whole.some((o) => o !== l && o.from < l.to && l.from < o.to && !(o.from <= l.from && l.to <= o.to) && !(l.from <= o.from && o.to <= l.to));
      if (partly || piece.slice(l.from, l.to).some(Boolean)) {
        mark(l);
        whole = whole.filter((o) => o !== l);
        changed = true;
        break;
      }
    }
  }
  whole.sort((a, b) => a.from - b.from || b.to - a.to);
  const at = leaves(parsePattern(pattern));
  let out = '';
  let text = '';
  const flush = (): void => {
    out += maskPiece(text);
    text = '';
  };
  for (let i = 0, w = 0; i < pattern.length; ) {
    while (w < whole.length && whole[w]!.to <= i) w += 1;
    const stretch = whole[w];
    if (stretch !== undefined && stretch.from === i) {
      flush();
      out += stretch.masked;
      i = stretch.to;
      continue;
    }
    const leaf = at.get(i) ?? { length: 1 };
    if (piece[i] && leaf.char !== undefined) text += leaf.char;
    else {
      flush();
      out += pattern.slice(i, i + leaf.length);
    }
    i += leaf.length;
  }
  flush();
  return out;
}

/** The pattern as a message may quote it: whatever the dictionary's `pii:` says, every detector runs, nothing allowed. */
export function maskPattern(pattern: string, key = ''): string {
  const spelled = patternSpellings(pattern);
  return masked(pattern, find(key, spelled, syntaxOf(spelled), DEFAULT_PII_POLICY).located);
}

/** Personal data a tag's `pattern` spells out under the dictionary's policy: what kinds, where it starts, the pattern masked. */
export interface PatternPiiFound {
  readonly kinds: readonly string[];
  readonly offset: number;
  readonly masked: string;
}

export function findPatternPii(key: string, pattern: string, policy: PiiPolicy): PatternPiiFound | undefined {
  const spelled = patternSpellings(pattern);
  const syntax = syntaxOf(spelled);
  const found = find(key, spelled, syntax, policy);
  if (found.kinds.length === 0) return undefined;
  const shown = policy === DEFAULT_PII_POLICY ? found : find(key, spelled, syntax, DEFAULT_PII_POLICY);
  return {
    kinds: found.kinds,
    offset: found.located.reduce((min, l) => Math.min(min, l.from), found.located[0]?.from ?? 0),
    masked: masked(pattern, shown.located),
  };
}
