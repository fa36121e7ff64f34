/**
 * A dictionary pattern read as a tree of what it spells out (pattern-literal.ts): literal characters, breaks (what
 * matches more than one character, anchors, back-references), quantifiers, and groups with their alternatives. Every
 * character of the pattern belongs to exactly one node, so a masked copy can be written back node by node. Works on
 * patterns that do not compile too: an unclosed group runs to the end, a stray `)` is a break.
 */

/** A span of the pattern: where it starts (UTF-16 index) and how many units it takes. */
export interface Span {
  readonly at: number;
  readonly length: number;
}

export type PatternNode =
  /** A character of the value, written plainly or as an escape (`\.`, `\x40`, `[@]`). */
  | (Span & { readonly type: 'char'; readonly char: string })
  /** What matches more than one character (a class, `\d`, a wildcard with a quantifier), an anchor or a `\1`. */
  | (Span & { readonly type: 'break' })
  | (Span & { readonly type: 'quantifier' })
  | PatternGroup;

export interface PatternGroup {
  readonly type: 'group';
  /** `(`, `(?:`, `(?<name>`, `(?=`, `(?!`, `(?<=`, `(?<!`. */
  readonly head: Span;
  readonly lookaround: boolean;
  readonly alternatives: readonly (readonly PatternNode[])[];
  /** Where each `|` between the alternatives is. */
  readonly separators: readonly number[];
  /** Where its `)` is; undefined when the group is not closed. */
  readonly close?: number;
}

/** The whole pattern: its top-level alternatives. */
export interface PatternTree {
  readonly alternatives: readonly (readonly PatternNode[])[];
  readonly separators: readonly number[];
}

/** The length of a quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), 0 when none. */
export function quantifierAt(p: string, i: number): number {
  const c = p[i];
  let n = 0;
  if (c === '*' || c === '+' || c === '?') n = 1;
  else if (c === '{') n = /^\{[0-9]+(?:,[0-9]*)?\}/.exec(p.slice(i))?.[0].length ?? 0;
  return n > 0 && p[i + n] === '?' ? n + 1 : n;
}

/** The escape at `i` (a backslash): how many characters it takes and the literal character it stands for, if one. */
export function escapeAt(p: string, i: number): { length: number; char?: string } {
  const next = p[i + 1];
  if (next === undefined) return { length: 1 };
  const after = p.slice(i + 2);
  const hex = (digits: string, length: number): { length: number; char?: string } => {
    const code = Number.parseInt(digits, 16);
    return code <= 0x10ffff ? { length, char: String.fromCodePoint(code) } : { length };
  };
  if (next === 'u') {
    const braced = /^\{([0-9a-fA-F]+)\}/.exec(after);
    if (braced) return hex(braced[1]!, 2 + braced[0].length);
    const four = /^[0-9a-fA-F]{4}/.exec(after);
    if (four) return hex(four[0], 6);
  }
  if (next === 'x' && /^[0-9a-fA-F]{2}/.test(after)) return hex(after.slice(0, 2), 4);
  if ((next === 'p' || next === 'P') && after.startsWith('{')) {
    const close = p.indexOf('}', i + 2);
    return { length: (close < 0 ? p.length : close + 1) - i };
  }
  if (next === 'k' && after.startsWith('<')) {
    const close = p.indexOf('>', i + 2);
    return { length: (close < 0 ? p.length : close + 1) - i };
  }
  if (next === 'c' && /^[A-Za-z]/.test(after)) return { length: 3 };
  if (/[1-9]/.test(next)) return { length: 2 + (/^[0-9]*/.exec(after)?.[0].length ?? 0) };
  // \d \w \s \b \n \t \0...: classes, positions and control characters, none of which is part of a written value.
  if (/[A-Za-z0-9]/.test(next)) return { length: 2 };
  const length = next.length === 1 && /[\uD800-\uDBFF]/.test(next) ? 3 : 2;
  return { length, char: p.slice(i + 1, i + length) };
}

/** The class at `i` (a `[`): its length, and the character it stands for when it holds only one (`[.]`, `[\.]`). */
export function classAt(p: string, i: number): { length: number; char?: string } {
  let j = i + 1;
  const chars: Array<string | undefined> = [];
  if (p[j] === '^') {
    chars.push(undefined);
    j += 1;
  }
  while (j < p.length && p[j] !== ']') {
    if (p[j] === '\\') {
      const e = escapeAt(p, j);
      chars.push(e.char);
      j += e.length;
    } else {
      const cp = String.fromCodePoint(p.codePointAt(j)!);
      chars.push(cp === '-' && chars.length > 0 ? undefined : cp);
      j += cp.length;
    }
  }
  const length = Math.min(j + 1, p.length) - i;
  return chars.length === 1 && chars[0] !== undefined ? { length, char: chars[0] } : { length };
}

interface Open {
  readonly head: Span;
  readonly lookaround: boolean;
  readonly alternatives: PatternNode[][];
  readonly separators: number[];
}

/** The tree of a pattern (see the file comment). */
export function parsePattern(p: string): PatternTree {
  const root: Open = { head: { at: 0, length: 0 }, lookaround: false, alternatives: [[]], separators: [] };
  const stack: Open[] = [root];
  const top = (): Open => stack[stack.length - 1]!;
  const add = (node: PatternNode): void => {
    const alts = top().alternatives;
    alts[alts.length - 1]!.push(node);
  };
  const closeGroup = (open: Open, close?: number): PatternGroup => ({
    type: 'group',
    head: open.head,
    lookaround: open.lookaround,
    alternatives: open.alternatives,
    separators: open.separators,
    ...(close !== undefined ? { close } : {}),
  });
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    const q = quantifierAt(p, i);
    if (q > 0) {
      add({ type: 'quantifier', at: i, length: q });
      i += q;
    } else if (c === '\\') {
      const e = escapeAt(p, i);
      add(e.char === undefined ? { type: 'break', at: i, length: e.length } : { type: 'char', at: i, length: e.length, char: e.char });
      i += e.length;
    } else if (c === '[') {
      const cls = classAt(p, i);
      add(cls.char === undefined ? { type: 'break', at: i, length: cls.length } : { type: 'char', at: i, length: cls.length, char: cls.char });
      i += cls.length;
    } else if (c === '(') {
      const head = /^\(\?(?:<[=!]|<[^>]*>|[:=!])?/.exec(p.slice(i))?.[0] ?? '(';
      stack.push({ head: { at: i, length: head.length }, lookaround: /^\(\?(?:<[=!]|[=!])/.test(head), alternatives: [[]], separators: [] });
      i += head.length;
    } else if (c === ')') {
      if (stack.length > 1) {
        const open = stack.pop()!;
        add(closeGroup(open, i));
      } else add({ type: 'break', at: i, length: 1 });
      i += 1;
    } else if (c === '|') {
      top().separators.push(i);
      top().alternatives.push([]);
      i += 1;
    } else if (c === '^' || c === '$' || (c === '.' && quantifierAt(p, i + 1) > 0)) {
      add({ type: 'break', at: i, length: 1 });
      i += 1;
    } else {
      // A lone `.` is kept: people write pia.pat@example.com unescaped, meaning the dot.
      const cp = String.fromCodePoint(p.codePointAt(i)!);
      add({ type: 'char', at: i, length: cp.length, char: cp });
      i += cp.length;
    }
  }
  while (stack.length > 1) {
    const open = stack.pop()!;
    add(closeGroup(open));
  }
  return { alternatives: root.alternatives, separators: root.separators };
}
