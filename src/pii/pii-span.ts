import type { PiiKind } from './kinds.js';

/** Where a known PII value sits in a text, and what shows in its place. */
export interface PiiSpan {
  readonly kind: PiiKind;
  readonly start: number;
  readonly end: number;
  /** The text at start..end masked in its own layout and encoding (never the raw text). */
  readonly masked: string;
}

/** Adds the spans a locator finds in `text` to `out`. */
export type SpanFinder = (text: string, out: PiiSpan[]) => void;

/**
 * `text` with every span replaced by as many NUL characters: positions stay those of `text`, and no pattern built
 * from a tag's text matches a NUL, so a later pass never matches inside (or across the edge of) what was found.
 */
export function blankSpans(text: string, spans: readonly PiiSpan[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + '\0'.repeat(s.end - s.start);
    at = s.end;
  }
  return out + text.slice(at);
}
