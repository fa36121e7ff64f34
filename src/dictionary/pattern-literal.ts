/**
 * The text a dictionary `pattern` spells out, to look for personal data in it: `^(?!paul\.p@example\.com$)[a-z]+$`
 * holds an e-mail address that PII detectors do not see for the backslashes. Escapes of literal characters (`\.`,
 * `\+`, `\x40`, `\u0040`, `[@]`) are written as the character; what matches more than one character (a class, `\d`,
 * the syntax of a group with alternatives or of a lookaround, an anchor, `|`, a wildcard with a quantifier) becomes a
 * break, so no address or number is made up of pieces the pattern keeps apart; quantifiers vanish, so `\+44 ?20`
 * reads `+44 20`, and so does the syntax of a group with one alternative, which only joins its text to what is around
 * it: `jane(?:\.)doe@example\.com` reads `jane.doe@example.com`, found and masked whole.
 */

/** A break: none of the detectors reads across it. */
const BREAK = '|';

export interface PatternLiteral {
  readonly text: string;
  /** For each UTF-16 unit of `text`, where in the pattern what it came from starts and ends (exclusive). */
  readonly sourceStart: readonly number[];
  readonly sourceEnd: readonly number[];
}

/** The length of a quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), 0 when none. */
function quantifierAt(p: string, i: number): number {
  const c = p[i];
  let n = 0;
  if (c === '*' || c === '+' || c === '?') n = 1;
  else if (c === '{') n = /^\{[0-9]+(?:,[0-9]*)?\}/.exec(p.slice(i))?.[0].length ?? 0;
  return n > 0 && p[i + n] === '?' ? n + 1 : n;
}

/** The escape at `i` (a backslash): how many characters it takes and the literal character it stands for, if one. */
function escapeAt(p: string, i: number): { length: number; char?: string } {
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
function classAt(p: string, i: number): { length: number; char?: string } {
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

/**
 * The opening parentheses (by index) of the groups whose syntax is no break: plain, non-capturing and named groups
 * without a `|` of their own. Lookarounds are breaks: what they hold is not next to the text around them in a value.
 */
function joiningGroups(p: string): Set<number> {
  const joining = new Set<number>();
  const open: Array<{ at: number; joins: boolean }> = [];
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    if (c === '\\') i += escapeAt(p, i).length;
    else if (c === '[') i += classAt(p, i).length;
    else {
      if (c === '(') open.push({ at: i, joins: !/^\(\?(?:<[=!]|[=!])/.test(p.slice(i)) });
      else if (c === '|' && open.length > 0) open[open.length - 1]!.joins = false;
      else if (c === ')') {
        const group = open.pop();
        if (group?.joins) joining.add(group.at);
      }
      i += 1;
    }
  }
  return joining;
}

/** The literal text of a dictionary pattern (see the file comment); works on patterns that do not compile too. */
export function patternLiteral(p: string): PatternLiteral {
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
  const joining = joiningGroups(p);
  // For each open group, whether its syntax joins (see joiningGroups): its `)` is then no break either.
  const groups: boolean[] = [];
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    const q = quantifierAt(p, i);
    if (q > 0) {
      i += q;
      continue;
    }
    if (c === '\\') {
      const e = escapeAt(p, i);
      emit(e.char ?? BREAK, i, e.length);
      i += e.length;
    } else if (c === '[') {
      const cls = classAt(p, i);
      emit(cls.char ?? BREAK, i, cls.length);
      i += cls.length;
    } else if (c === '(') {
      // (?: (?= (?! (?<= (?<! (?<name>: the group's own syntax is no text.
      const head = /^\(\?(?:<[=!]|<[^>]*>|[:=!])?/.exec(p.slice(i))?.[0] ?? '(';
      const joins = joining.has(i);
      groups.push(joins);
      if (!joins) emit(BREAK, i, head.length);
      i += head.length;
    } else if (c === ')') {
      if (groups.pop() !== true) emit(BREAK, i, 1);
      i += 1;
    } else if (c === '|' || c === '^' || c === '$') {
      emit(BREAK, i, 1);
      i += 1;
    } else if (c === '.' && quantifierAt(p, i + 1) > 0) {
      emit(BREAK, i, 1);
      i += 1;
    } else {
      // A lone `.` is kept: people write pia.pat@example.com unescaped, meaning the dot.
      const cp = String.fromCodePoint(p.codePointAt(i)!);
      emit(cp, i, cp.length);
      i += cp.length;
    }
  }
  return { text, sourceStart, sourceEnd };
}
