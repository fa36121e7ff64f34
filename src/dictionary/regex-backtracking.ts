import { reconstruct, ret, types, type Token, type Tokens, type tokenizer as Tokenizer } from '../vendor/regex-syntax.js';

// ret is CommonJS whose module.exports is the tokenizer itself; its typings describe an ES default export instead.
const tokenize = ret as unknown as typeof Tokenizer;

/**
 * Whether a pattern can take exponential time on a value it does not match, the way `^(a+)+$` does on
 * "aaaa…a!": a repeated group whose body ends in a variable repetition (a+, a*, a{1,5}, possibly followed only by
 * optional parts) can split the same text between iterations in exponentially many ways, and JavaScript's
 * backtracking engine tries them all. A dictionary pattern runs against every tag value in the estate, and one
 * crafted value must not stall the audit. Repetitions whose iterations end in something fixed (`([a-z]+-)*`,
 * `(\d{3}-)+`) split one way only and pass. This catches the usual shapes, not every ambiguity
 * (`(a|a)*` still passes). Returns the offending group as written, or undefined.
 */
export function exponentialBacktracking(source: string): string | undefined {
  let root: Tokens;
  try {
    root = tokenize(source);
  } catch {
    return undefined; // syntax ret does not know (lookbehind): V8 compiled it, nothing more to say
  }
  return findNested(root);
}

function findNested(token: Tokens): string | undefined {
  switch (token.type) {
    case types.REPETITION:
      if (repeatsOften(token.max) && endsVariably(token.value)) return describe(token);
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

/**
 * A group repeated a few times at most (`(\.\d+){0,2}`) costs a small power of the value's length at worst, which
 * at AWS's 256 characters is nothing; the blow-up needs many iterations.
 */
const FEW_ITERATIONS = 16;

function repeatsOften(max: number): boolean {
  return max >= FEW_ITERATIONS; // unbounded: Infinity
}

/** Whether the token's match can end in a part of variable length (so where one iteration stops is ambiguous). */
function endsVariably(token: Token): boolean {
  if (token.type === types.REPETITION) return token.max > token.min || endsVariably(token.value);
  if (token.type !== types.GROUP || isLookaround(token)) return false;
  return sequences(token).some((seq) => {
    let last = seq.length;
    while (last > 0 && canBeEmpty(seq[last - 1]!)) last--;
    // Everything optional: an iteration may match nothing or something, which is as ambiguous as a+.
    if (last === 0) return seq.some((t) => t.type === types.REPETITION);
    // The end: the last part every match needs, and the optional parts after it.
    const variable = seq.slice(last - 1).filter(endsVariably);
    if (variable.length === 0) return false;
    // (-[a-z0-9]+)*: each iteration starts with a character its variable end cannot match, so the text splits
    // between iterations one way only.
    const head = headAtom(seq);
    if (!head) return true;
    return variable.some((t) => {
      const tail = t.type === types.REPETITION ? atom(t.value) : undefined;
      return !tail || !disjoint(head, tail);
    });
  });
}

function isLookaround(group: Extract<Token, { type: types.GROUP }>): boolean {
  return group.followedBy === true || group.notFollowedBy === true || group.lookBehind === true;
}

type Atom = Extract<Token, { type: types.CHAR | types.SET }>;

function atom(token: Token): Atom | undefined {
  return token.type === types.CHAR || token.type === types.SET ? token : undefined;
}

/** The single character class every match of the sequence starts with, when there is one. */
function headAtom(seq: readonly Token[]): Atom | undefined {
  for (const t of seq) {
    if (t.type === types.POSITION) continue;
    if (t.type === types.REPETITION) return t.min >= 1 ? atom(t.value) : undefined;
    return atom(t);
  }
  return undefined;
}

/** Whether no character matches both; false when that cannot be told cheaply (two broad classes). */
function disjoint(a: Atom, b: Atom): boolean {
  if (a.type === types.CHAR && b.type === types.CHAR) return a.value !== b.value;
  if (a.type === types.CHAR) return !setMatches(b as Extract<Atom, { type: types.SET }>, a.value);
  if (b.type === types.CHAR) return !setMatches(a, b.value);
  const few = enumerate(a) ?? enumerate(b);
  const other = enumerate(a) ? b : a;
  return few !== undefined && few.every((code) => !setMatches(other as Extract<Atom, { type: types.SET }>, code));
}

type SetToken = Extract<Token, { type: types.SET }>;
type SetItem = SetToken['set'][number];

function setMatches(set: SetToken, code: number): boolean {
  return set.set.some((item) => itemMatches(item, code)) !== set.not;
}

function itemMatches(item: SetItem, code: number): boolean {
  if (item.type === types.CHAR) return item.value === code;
  if (item.type === types.RANGE) return item.from <= code && code <= item.to;
  return setMatches(item, code);
}

/** The characters of a small, plain set such as [,;] (none for ranges, classes or negations). */
function enumerate(set: Atom): number[] | undefined {
  if (set.type === types.CHAR) return [set.value];
  if (set.not || set.set.length > 8 || set.set.some((i) => i.type !== types.CHAR)) return undefined;
  return set.set.map((i) => (i as Extract<SetItem, { type: types.CHAR }>).value);
}

function canBeEmpty(token: Token): boolean {
  if (token.type === types.POSITION) return true;
  if (token.type === types.REPETITION) return token.min === 0 || canBeEmpty(token.value);
  if (token.type === types.GROUP) return isLookaround(token) || sequences(token).some((seq) => seq.every(canBeEmpty));
  return false;
}

function sequences(token: Extract<Tokens, { type: types.ROOT | types.GROUP }>): Token[][] {
  return token.options ?? [token.stack ?? []];
}

const MAX_SHOWN = 40;

function describe(token: Token): string {
  // ret can write the group back as a pattern: show the user which part is at fault.
  const text = reconstructSafely(token);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function reconstructSafely(token: Token): string {
  try {
    return reconstruct(token);
  } catch {
    return 'a repeated group';
  }
}
