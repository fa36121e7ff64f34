import { detectPii, type PiiHit } from './detect.js';
import { layoutRedactor } from './redact-layouts.js';

const identity = (text: string): string => text;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The spellings under which a raw value can reappear in output: as-is, JSON-escaped, URL-encoded, digits only. */
function variants(hit: PiiHit): string[] {
  const raw = hit.match;
  const out = new Set<string>([raw]);
  out.add(JSON.stringify(raw).slice(1, -1));
  out.add(encodeURIComponent(raw));
  if (hit.kind === 'phone' || hit.kind === 'credit-card' || hit.kind === 'ssn' || hit.kind === 'iban') {
    const compact = raw.replace(/[\s().-]/g, '');
    if (compact.length >= 7) out.add(compact);
  }
  return [...out].filter((v) => v.length > 0);
}

/**
 * A function that masks every occurrence of each hit's raw text — and so every tag value containing it — in a
 * message, report line or serialized document, and then the same phone number, card or SSN digits and person name
 * written in another layout ("415.555.2671" for "+1 415-555-2671", "Doe, Jane" for "Jane Doe"), each masked as its
 * kind. Matching is case-insensitive. Identity (the same function) when there are no hits.
 */
export function makeRedactor(hits: readonly PiiHit[]): (text: string) => string {
  if (hits.length === 0) return identity;
  const masks = new Map<string, string>();
  for (const h of hits) for (const v of variants(h)) if (!masks.has(v.toLowerCase())) masks.set(v.toLowerCase(), h.masked);
  const alternatives = [...masks.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(alternatives.join('|'), 'gi');
  // Exact spellings first (an e-mail address holding the digits of a phone number goes whole), other layouts second:
  // masks keep at most four digits of a value, so the second pass never matches what the first one wrote.
  const layouts = layoutRedactor(hits);
  return (text: string): string => {
    if (typeof text !== 'string' || text.length === 0) return text;
    const exact = text.replace(re, (m) => masks.get(m.toLowerCase()) ?? '***');
    return layouts === undefined ? exact : layouts(exact);
  };
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
