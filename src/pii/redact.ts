import { detectPii, type PiiHit } from './detect.js';
import type { PiiKind } from './kinds.js';
import { maskPii } from './mask.js';
import { blankSpans, type PiiSpan, type SpanFinder } from './pii-span.js';
import { continuesNumber, layoutFinders } from './redact-layouts.js';

export type { PiiSpan } from './pii-span.js';

/** The spans of a text that hold a known PII value, in text order, not overlapping. */
export type PiiLocator = (text: string) => readonly PiiSpan[];

const NO_SPANS: readonly PiiSpan[] = Object.freeze([]);
const identity = (text: string): string => text;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How a spelling of a raw value is written: as-is, JSON-escaped, URL-encoded, or its digits without separators. */
type Spelling = 'raw' | 'json' | 'url' | 'compact';

interface Variant {
  readonly kind: PiiKind;
  readonly spelling: Spelling;
  /** The hit's own mask, for a spelling that cannot be decoded back (an upper-cased JSON escape). */
  readonly fallback: string;
}

/** The spellings under which a raw value can reappear in output: as-is, JSON-escaped, URL-encoded, digits only. */
function variants(hit: PiiHit): [string, Spelling][] {
  const raw = hit.match;
  const out = new Map<string, Spelling>([[raw, 'raw']]);
  const json = JSON.stringify(raw).slice(1, -1);
  if (!out.has(json)) out.set(json, 'json');
  const url = encodeURIComponent(raw);
  if (!out.has(url)) out.set(url, 'url');
  if (hit.kind === 'phone' || hit.kind === 'credit-card' || hit.kind === 'ssn' || hit.kind === 'iban') {
    const compact = raw.replace(/[\s().-]/g, '');
    if (compact.length >= 7 && !out.has(compact)) out.set(compact, 'compact');
  }
  return [...out].filter(([v]) => v.length > 0);
}

/**
 * The matched text masked in its own layout and encoding: "4155552671" as "*******671" even when the hit was
 * "+1 415-555-2671", "jane.doe%40acme.io" as "j***%40a**e.io". A reader sees the shape of what is on the resource.
 */
function maskSpelling(v: Variant, text: string): string {
  switch (v.spelling) {
    case 'raw':
    case 'compact':
      return maskPii(v.kind, text);
    case 'json': {
      let decoded: unknown;
      try {
        decoded = JSON.parse(`"${text}"`);
      } catch {
        return JSON.stringify(v.fallback).slice(1, -1);
      }
      return JSON.stringify(maskPii(v.kind, decoded as string)).slice(1, -1);
    }
    case 'url': {
      let decoded: string;
      try {
        decoded = decodeURIComponent(text);
      } catch {
        return encodeURIComponent(v.fallback);
      }
      return encodeURIComponent(maskPii(v.kind, decoded));
    }
  }
}

const DIGIT_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>(['phone', 'credit-card', 'ssn']);
const isDigitAt = (text: string, i: number): boolean => i >= 0 && i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;

/** "24155552671" holds "4155552671" but is another number: digits on both sides of the match continue it. */
function insideLongerNumber(text: string, start: number, end: number): boolean {
  return (isDigitAt(text, start) && continuesNumber(text, start)) || (isDigitAt(text, end - 1) && isDigitAt(text, end));
}

/** Finds every spelling of each hit's raw text, case-insensitively (longest first). */
function exactFinder(hits: readonly PiiHit[]): SpanFinder {
  const byText = new Map<string, Variant>();
  for (const h of hits)
    for (const [text, spelling] of variants(h)) {
      const k = text.toLowerCase();
      if (!byText.has(k)) byText.set(k, { kind: h.kind, spelling, fallback: h.masked });
    }
  const re = alternation([...byText.keys()]);
  if (re === undefined) return wholeTextFinder([...byText.keys()]);
  return (text, out) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const v = byText.get(m[0].toLowerCase());
      if (v !== undefined && DIGIT_KINDS.has(v.kind) && insideLongerNumber(text, m.index, m.index + m[0].length)) {
        re.lastIndex = m.index + 1;
        continue;
      }
      const masked = v === undefined ? '***' : maskSpelling(v, m[0]);
      out.push({ kind: v?.kind ?? 'person-name', start: m.index, end: m.index + m[0].length, masked });
    }
  };
}

// V8 compiles a regex on its first exec and throws there ("Regular expression too large") from ~27 KB of source.
const MAX_ALTERNATION = 8192;

/** One case-insensitive regex matching any of `texts`, longest first; undefined when it would be too large to run. */
function alternation(texts: readonly string[]): RegExp | undefined {
  const source = [...texts].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  return source.length > MAX_ALTERNATION ? undefined : new RegExp(source, 'gi');
}

/**
 * For hits too long to match by regex (tens of kilobytes of chained addresses in an error message, never a tag
 * value): a text holding any of them is masked whole rather than shown.
 */
function wholeTextFinder(texts: readonly string[]): SpanFinder {
  const lower = texts.map((t) => t.toLowerCase());
  return (text, out) => {
    const t = text.toLowerCase();
    if (lower.some((k) => t.includes(k))) out.push({ kind: 'email', start: 0, end: text.length, masked: '***' });
  };
}

/**
 * A function listing where each hit's value occurs in a text — every tag value containing it — as the redactor
 * masks it: its raw text and its JSON, URL and digits-only spellings first (an e-mail address holding the digits of
 * a phone number goes whole), then the same phone number, card or SSN digits and person name written in another
 * layout ("415.555.2671" for "+1 415-555-2671", "Doe, Jane" for "Jane Doe"). Matching is case-insensitive.
 */
export function makePiiLocator(hits: readonly PiiHit[]): PiiLocator {
  if (hits.length === 0) return () => NO_SPANS;
  const passes: SpanFinder[] = [exactFinder(hits), ...layoutFinders(hits)];
  return (text: string): readonly PiiSpan[] => {
    if (typeof text !== 'string' || text.length === 0) return NO_SPANS;
    const spans: PiiSpan[] = [];
    for (let i = 0; i < passes.length; i++) {
      // Each pass sees the text with what the passes before it found blanked out, at the same positions.
      (passes[i] as SpanFinder)(i === 0 || spans.length === 0 ? text : blankSpans(text, spans), spans);
    }
    if (spans.length === 0) return NO_SPANS;
    return spans.sort((a, b) => a.start - b.start);
  };
}

/**
 * The locator behind a redactor makeRedactor returned (see locatorOf), kept on the function itself: a WeakMap keyed
 * by a redactor per resource costs more in garbage collection than building the redactor.
 */
const LOCATOR = Symbol('piiLocator');
type Redactor = ((text: string) => string) & { [LOCATOR]?: PiiLocator };
(identity as Redactor)[LOCATOR] = () => NO_SPANS;

/**
 * A function that masks every occurrence of each hit's value — and so every tag value containing it — in a message,
 * report line or serialized document, in every spelling makePiiLocator finds, each masked as its kind in its own
 * layout. Identity (the same function) when there are no hits.
 */
export function makeRedactor(hits: readonly PiiHit[]): (text: string) => string {
  if (hits.length === 0) return identity;
  const locate = makePiiLocator(hits);
  const redact: Redactor = (text: string): string => {
    if (typeof text !== 'string' || text.length === 0) return text;
    const spans = locate(text);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + s.masked;
      at = s.end;
    }
    return out + text.slice(at);
  };
  redact[LOCATOR] = locate;
  return redact;
}

/**
 * Where a redactor made by makeRedactor finds PII in a text: exactly the spans it masks, so a text is changed by the
 * redactor exactly when this lists a span. Undefined for any other function.
 */
export function locatorOf(redactor: (text: string) => string): PiiLocator | undefined {
  return (redactor as Redactor)[LOCATOR];
}

/**
 * Free text from outside (an AWS error message, a thrown error) with every PII value the detectors find in it masked.
 * AWS echoes request values in errors ("Value 'jane@x.com' at 'tags.1.member.value' failed to satisfy constraint").
 */
export function redactText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  const hits = detectPii('', text);
  if (hits.length === 0) return text;
  const accounts = accountIdsIn(text);
  return makeRedactor(accounts.size === 0 ? hits : hits.filter((h) => !accounts.has(h.match.replace(/\D/g, ''))))(text);
}

/**
 * Twelve-digit numbers the text itself shows to be AWS account ids (an ARN's account field, "account 1234…",
 * `--exclude-accounts …`): a word like "call" nearby can make one look like a phone number, and masking it would
 * hide which account a message is about while the ARN beside it shows it anyway.
 */
function accountIdsIn(text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of text.matchAll(/\barn:[\w-]+:[\w-]*:[\w-]*:(\d{12}):/g)) ids.add(m[1]!);
  for (const m of text.matchAll(/\b(?:accounts?|--(?:exclude-)?accounts)\s+(\d{12}(?:,\d{12})*)\b/gi)) for (const id of m[1]!.split(',')) ids.add(id);
  return ids;
}
