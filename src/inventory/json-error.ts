import { jsonErrorOffset } from './json-error-offset.js';

/**
 * JSON.parse's message without the text it quotes (V8 embeds a snippet of the input, which may hold PII),
 * plus the 0-based offset when V8 names one, or else — given the `text` that failed — where a validating walk finds
 * the error (V8 names no position for an unexpected token: a trailing comma in a list, a misspelt `true`).
 */
export function describeJsonError(err: unknown, text?: string): { message: string; offset?: number } {
  const raw = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(raw);
  const token = /^Unexpected token '([\s\S]{1,2}?)',/.exec(raw);
  // Whatever V8 appends after the first double quote is a snippet of the input.
  const message = token ? `Unexpected token ${JSON.stringify(token[1])}` : raw.replace(/ in JSON at position \d+.*$/s, '').split('"')[0]!.replace(/[,\s.]+$/, '');
  const offset = position ? Number(position[1]) : text === undefined ? undefined : jsonErrorOffset(text);
  return offset === undefined ? { message: `invalid JSON: ${message}` } : { message: `invalid JSON: ${message}`, offset };
}

/**
 * lineColAt for many offsets of one text: the line starts are found once (on the first call), then each offset is a
 * binary search, so that a document with thousands of bad elements is not scanned from the start for each.
 */
export function lineLocator(text: string): (offset: number) => { line: number; col: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    // The last line start at or before offset (a newline at offset itself belongs to the line it ends).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
}

/** 1-based line and column of a 0-based offset in text. */
export function lineColAt(text: string, offset: number, firstLine = 1): { line: number; col: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
