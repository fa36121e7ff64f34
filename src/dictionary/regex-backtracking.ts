import { reconstruct, ret, types, type Token, type Tokens, type tokenizer as Tokenizer } from '../vendor/regex-syntax.js';
import { maskPattern } from './pattern-pii.js';

// ret is CommonJS whose module.exports is the tokenizer itself; its typings describe an ES default export instead.
const tokenize = ret as unknown as typeof Tokenizer;

/**
 * Whether a pattern can take exponential time on a value it does not match, the way `^(a+)+$` does on
 * "aaaa…a!": a group repeated many times whose iterations can match the same text in more than one way — a part of
 * variable length (a+, a*, a?, a{1,5}) followed, inside the iteration or at the start of the next one, by something
 * that can match the same characters; or alternatives that can start alike (`(\w|\d)+`). JavaScript's backtracking
 * engine then tries every way on a value that fails. A dictionary pattern runs against every tag value in the
 * estate, and one crafted value must not stall the audit. Iterations delimited by something their variable part
 * cannot match (`([a-z]+-)*`, `(\.[0-9]+)*`, `(-[a-z0-9]+)*`) split one way only and pass. The analysis is
 * conservative where it cannot tell (a back-reference, two broad classes): it may reject a safe pattern of an unusual
 * shape, e.g. `(team-[a-z]+)+`, whose iterations start with the letters their end can match. Returns the offending
 * group as written, or undefined.
 */
export function exponentialBacktracking(source: string): string | undefined {
  const root = analysisTokens(source);
  return root && findNested(root);
}

/**
 * A dictionary pattern as ret's tokens, `\p{…}` classes replaced by stand-ins and lookbehinds dropped (see
 * forAnalysis); undefined for syntax ret does not know (V8 compiled it): nothing more to say about it.
 */
export function analysisTokens(source: string): Tokens | undefined {
  try {
    return tokenize(forAnalysis(source));
  } catch {
    return undefined;
  }
}

/**
 * A group repeated at most 3 times with ambiguous iterations costs the value's length to that power, not an
 * exponential: polynomialBacktracking weighs it. 4 or more iterations are many (`^(a+){2,15}$` took 2 minutes on 255
 * a's and a "!").
 */
const FEW_ITERATIONS = 4;

/**
 * Whether a pattern can take polynomial time of a high degree: several variable parts in a row, each able to match
 * what the next one matches (`^[a-z0-9-]+-[a-z0-9-]+-[a-z0-9-]+-[a-z0-9-]+$` took 1.5 s on 255 hyphens and a "!").
 * Each such part, and each iteration of a group repeated 2 or 3 times whose iterations are ambiguous, raises the
 * degree by one; from MAX_DEGREE on, a crafted 256-character value takes seconds. Returns the pattern as written
 * (shortened), or undefined.
 */
export function polynomialBacktracking(source: string): string | undefined {
  const root = analysisTokens(source);
  return root && findSlowSequence(root) ? describe(root) : undefined;
}

/** Ambiguous steps in one sequence from which a failing 256-character value costs seconds (3: tens of ms). */
const MAX_DEGREE = 3;

function findSlowSequence(token: Tokens): boolean {
  if (token.type === types.REPETITION) return findSlowSequence(token.value);
  if (token.type !== types.ROOT && token.type !== types.GROUP) return false;
  for (const seq of sequences(token)) {
    let degree = 0;
    for (let k = 0; k < seq.length; k++) {
      const t = seq[k]!;
      if (t.type === types.REPETITION && t.max >= 2 && t.max < FEW_ITERATIONS && ambiguousIterations(t.value)) degree += t.max;
      else if (isVariable(t) && overlap(charsOf(t), following(seq, k + 1, []))) degree += 1;
      if (findSlowSequence(t)) return true;
    }
    if (degree >= MAX_DEGREE) return true;
  }
  return false;
}

function findNested(token: Tokens): string | undefined {
  switch (token.type) {
    case types.REPETITION:
      if (token.max >= FEW_ITERATIONS && ambiguousIterations(token.value)) return describe(token); // unbounded: Infinity
      return findNested(token.value);
    case types.ROOT:
    case types.GROUP:
      for (const seq of sequences(token)) {
        for (const t of seq) {
          const found = findNested(t);
          if (found) return found;
        }
      }
      return undefined;
    default:
      return undefined;
  }
}

function ambiguousIterations(body: Token): boolean {
  const seqs = body.type === types.GROUP && !isLookaround(body) ? sequences(body) : [[body]];
  // (\w|\d)+: each iteration can take either alternative, and a failing value makes the engine try them all.
  if (seqs.length > 1) {
    const heads = seqs.map(firstOfSequence);
    for (let i = 0; i < heads.length; i++) for (let j = i + 1; j < heads.length; j++) if (overlap(heads[i], heads[j])) return true;
  }
  const head = union(seqs.map(firstOfSequence));
  for (const seq of seqs) {
    // (a?b?)*: an iteration may match nothing or something.
    if (seq.every(canBeEmpty) && seq.some(isVariable)) return true;
    for (let k = 0; k < seq.length; k++) {
      const t = seq[k]!;
      if (!isVariable(t)) continue;
      // What may come right after this variable part: the rest of the iteration, or the next iteration.
      if (overlap(charsOf(t), following(seq, k + 1, head))) return true;
    }
  }
  return false;
}

/** Characters a token may consume (a superset), as atoms; undefined when unknown. */
type Chars = Atom[] | undefined;
type Atom = Extract<Token, { type: types.CHAR | types.SET }>;

function charsOf(token: Token): Chars {
  switch (token.type) {
    case types.CHAR:
    case types.SET:
      return [token];
    case types.REPETITION:
      return charsOf(token.value);
    case types.GROUP:
      if (isLookaround(token)) return [];
      return union(sequences(token).flatMap((seq) => seq.map(charsOf)));
    case types.POSITION:
      return [];
    default:
      return undefined;
  }
}

/** Characters a match of the token may start with. */
function firstOf(token: Token): Chars {
  switch (token.type) {
    case types.CHAR:
    case types.SET:
      return [token];
    case types.REPETITION:
      return firstOf(token.value);
    case types.GROUP:
      if (isLookaround(token)) return [];
      return union(sequences(token).map(firstOfSequence));
    case types.POSITION:
      return [];
    default:
      return undefined;
  }
}

function firstOfSequence(seq: readonly Token[]): Chars {
  return following(seq, 0, []);
}

/** Characters that may come first from seq[from…], continuing with `after` when the rest can match nothing. */
function following(seq: readonly Token[], from: number, after: Chars): Chars {
  const parts: Chars[] = [];
  for (let i = from; i < seq.length; i++) {
    const t = seq[i]!;
    parts.push(firstOf(t));
    if (!canBeEmpty(t)) return union(parts);
  }
  parts.push(after);
  return union(parts);
}

function union(parts: readonly Chars[]): Chars {
  const out: Atom[] = [];
  for (const p of parts) {
    if (p === undefined) return undefined;
    out.push(...p);
  }
  return out;
}

function isVariable(token: Token): boolean {
  if (token.type === types.REPETITION) return token.max > token.min || isVariable(token.value);
  if (token.type !== types.GROUP || isLookaround(token)) return false;
  const seqs = sequences(token);
  return seqs.length > 1 || seqs.some((seq) => seq.some(isVariable));
}

function canBeEmpty(token: Token): boolean {
  if (token.type === types.POSITION) return true;
  if (token.type === types.REPETITION) return token.min === 0 || canBeEmpty(token.value);
  if (token.type === types.GROUP) return isLookaround(token) || sequences(token).some((seq) => seq.every(canBeEmpty));
  return false;
}

function isLookaround(group: Extract<Token, { type: types.GROUP }>): boolean {
  return group.followedBy === true || group.notFollowedBy === true || group.lookBehind === true;
}

function sequences(token: Extract<Tokens, { type: types.ROOT | types.GROUP }>): Token[][] {
  return token.options ?? [token.stack ?? []];
}

// --- Character sets as code-point ranges ---------------------------------------------------------------------

type Range = readonly [number, number];
const MAX_CODE_POINT = 0x10ffff;

function overlap(a: Chars, b: Chars): boolean {
  if (a === undefined || b === undefined) return true;
  return a.some((x) => b.some((y) => intersects(rangesOf(x), rangesOf(y))));
}

/**
 * Letters, digits and marks: the ASCII ones, and everything past ASCII but the spaces and punctuation delimiters are
 * made of (Latin-1 symbols, U+2000–U+206F general punctuation with its spaces and curly quotes, U+3000): a superset of
 * \p{L}, \p{N}, \p{M} and scripts that shares no character with a space or an ASCII delimiter.
 */
const WORD_LIKE: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0xaa, 0xaa],
  [0xb2, 0xb3],
  [0xb5, 0xb5],
  [0xb9, 0xba],
  [0xbc, 0xbe],
  [0xc0, 0x167f],
  [0x1681, 0x1fff],
  [0x2070, 0x2fff],
  [0x3001, 0xfefe], // U+FEFF: \s counts the byte-order mark as white space
  [0xff00, MAX_CODE_POINT],
];
/** Space separators and white space (\p{Z}, \p{Zs}, \p{White_Space}). */
const SPACE_LIKE: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

function rangesOf(atom: Atom | Extract<Token, { type: types.SET }>['set'][number]): Range[] {
  if (atom.type === types.CHAR) {
    if (atom.value === WORD_LIKE_PROPERTY) return WORD_LIKE;
    if (atom.value === SPACE_LIKE_PROPERTY) return SPACE_LIKE;
    if (atom.value === ANY_PROPERTY) return [[0, MAX_CODE_POINT]];
    if (atom.value === NO_PROPERTY) return [];
    return [[atom.value, atom.value]];
  }
  if (atom.type === types.RANGE) return [[atom.from, atom.to]];
  const inner = atom.set.flatMap(rangesOf);
  return atom.not ? complement(inner) : inner;
}

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [from, to] of sorted) {
    if (from > next) out.push([next, from - 1]);
    next = Math.max(next, to + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function intersects(a: readonly Range[], b: readonly Range[]): boolean {
  return a.some(([f1, t1]) => b.some(([f2, t2]) => f1 <= t2 && f2 <= t1));
}

// --- What ret can read -----------------------------------------------------------------------------------------

/** Stand-ins for `\p{…}` classes (private-use characters, which ret reads as plain characters). */
const WORD_LIKE_PROPERTY = 0xe000;
const ANY_PROPERTY = 0xe001;
/** In a negated class, a property stands for nothing, so that the class's complement stays a superset. */
const NO_PROPERTY = 0xe002;
const SPACE_LIKE_PROPERTY = 0xe003;
const SPACE_PROPERTIES = /^(Z|Zs|Separator|Space_Separator|White_Space|space)$/;
/** Letter, number and script properties: they match no ASCII space or punctuation, which delimiters usually are. */
const WORD_LIKE_PROPERTIES = /^(L[ultmoC]?|Letter|[A-Z][a-z]*_?Letter|N[dlo]?|Number|M[nce]?|Mark|Alpha(betic)?|(sc|scx|Script|Script_Extensions)=.+)$/;

/**
 * The pattern rewritten for ret, which knows neither the `u` flag's `\p{…}` classes nor lookbehind: a letter or
 * number property becomes "a letter or digit, or any non-ASCII character", any other (and `\P{…}`) "any character",
 * so the check stays conservative; a lookbehind (which consumes nothing) is dropped.
 */
function forAnalysis(source: string): string {
  let out = '';
  let inClass = false;
  let negated = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      const close = (next === 'p' || next === 'P') && source[i + 2] === '{' ? source.indexOf('}', i + 3) : -1;
      if (close > 0) {
        const name = source.slice(i + 3, close);
        const stand =
          inClass && negated
            ? NO_PROPERTY
            : next === 'p' && WORD_LIKE_PROPERTIES.test(name)
              ? WORD_LIKE_PROPERTY
              : next === 'p' && SPACE_PROPERTIES.test(name)
                ? SPACE_LIKE_PROPERTY
                : ANY_PROPERTY;
        out += String.fromCharCode(stand);
        i = close;
      } else {
        out += c + next;
        i++;
      }
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      negated = source[i + 1] === '^';
      out += c;
    } else if (source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
      i = groupEnd(source, i);
    } else out += c;
  }
  return out;
}

/** Index of the `)` closing the group opened at `start`. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return source.length;
}

const MAX_SHOWN = 40;

function describe(token: Tokens): string {
  // ret can write the group back as a pattern: show the user which part is at fault.
  let text: string;
  try {
    text = reconstruct(token);
  } catch {
    text = 'a repeated group';
  }
  for (const stand of [WORD_LIKE_PROPERTY, ANY_PROPERTY, NO_PROPERTY, SPACE_LIKE_PROPERTY]) text = text.replaceAll(String.fromCharCode(stand), '\\p{…}');
  // Masked before it is cut: a cut address is no longer recognised (the message quotes a part of the pattern).
  text = maskPattern(text);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
