/**
 * A structural walk over JSON text that finds where values start and end without building them, so a reader can
 * name the line of one bad element in a large document. It assumes well-formed input: JSON.parse validates first.
 */

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Comma = 44,
  Colon = 58,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
  Bom = 0xfeff,
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export function skipWhitespace(text: string, pos: number): number {
  for (; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c !== Ch.Space && c !== Ch.Lf && c !== Ch.Cr && c !== Ch.Tab && c !== Ch.Bom) break;
  }
  return pos;
}

function skipString(text: string, pos: number): number {
  // pos is at the opening quote
  for (let i = pos + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) i++;
    else if (c === Ch.Quote) return i + 1;
  }
  return text.length;
}

/** End (exclusive) of the value starting at pos. Unterminated input ends at text.length. */
export function skipValue(text: string, pos: number): number {
  const first = text.charCodeAt(pos);
  if (first === Ch.Quote) return skipString(text, pos);
  if (first === Ch.OpenBrace || first === Ch.OpenBracket) {
    let depth = 0;
    for (let i = pos; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.Quote) i = skipString(text, i) - 1;
      else if (c === Ch.OpenBrace || c === Ch.OpenBracket) depth++;
      else if (c === Ch.CloseBrace || c === Ch.CloseBracket) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  let i = pos;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === Ch.Comma || c === Ch.CloseBrace || c === Ch.CloseBracket || c === Ch.Space || c === Ch.Lf || c === Ch.Cr || c === Ch.Tab) break;
    i++;
  }
  return Math.max(i, pos + 1);
}

/** Top-level values of a text holding one or more concatenated JSON documents. */
export function topLevelValues(text: string): Span[] {
  const spans: Span[] = [];
  for (let pos = skipWhitespace(text, 0); pos < text.length; pos = skipWhitespace(text, pos)) {
    const end = skipValue(text, pos);
    spans.push({ start: pos, end });
    pos = end;
  }
  return spans;
}

/** Spans of the elements of the array starting at `start`. */
export function arrayElements(text: string, start: number): Span[] {
  const spans: Span[] = [];
  let pos = skipWhitespace(text, start + 1);
  while (pos < text.length && text.charCodeAt(pos) !== Ch.CloseBracket) {
    const end = skipValue(text, pos);
    spans.push({ start: pos, end });
    pos = skipWhitespace(text, end);
    if (text.charCodeAt(pos) === Ch.Comma) pos = skipWhitespace(text, pos + 1);
  }
  return spans;
}

/** Where the value of member `key` of the object starting at `start` begins (the last one if repeated). */
export function memberValueStart(text: string, start: number, key: string): number | undefined {
  let found: number | undefined;
  let pos = skipWhitespace(text, start + 1);
  while (pos < text.length && text.charCodeAt(pos) === Ch.Quote) {
    const keyEnd = skipString(text, pos);
    const name = JSON.parse(text.slice(pos, keyEnd)) as string;
    pos = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(pos) === Ch.Colon) pos = skipWhitespace(text, pos + 1);
    if (name === key) found = pos;
    pos = skipWhitespace(text, skipValue(text, pos));
    if (text.charCodeAt(pos) === Ch.Comma) pos = skipWhitespace(text, pos + 1);
  }
  return found;
}
