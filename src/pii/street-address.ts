import { K_ADDRESS } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

// Postcodes written before the city: 10117 (DE/FR/ES/IT), 00-514 (PL), 114 51 (SE), 1000-001 (PT), 1015 CJ (NL).
const CONTINENTAL_POSTCODE = String.raw`(?:\d{4,5}|\d{2}-\d{3}|\d{3}\s\d{2}|\d{4}-\d{3}|\d{4}\s?[A-Z]{2})`;
// A word of a street name; ordinals count ("5th Ave", "42nd Street").
const W = String.raw`(?:[\p{L}][\p{L}'’.-]*|\d{1,3}(?:st|nd|rd|th))`;
// Common USPS / Royal Mail / AU street suffixes.
const EN_TYPES = [
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|tce|way|parkway|pkwy',
  'highway|hwy|circle|cir|square|sq|crescent|cres|close|grove|gardens|gdns|row|mews|walk|trail|trl|plaza|alley',
  'parade|esplanade|quay|hill|loop|crossing|xing|point|pt|pike|path|heights|hts|ridge|view|park|meadows?|commons?',
  'cove|creek|glen|hollow|junction|landing|manor|mount|oval|pass|spur|summit|trace|turnpike|tpke|valley|vista',
  'wharf|yard|rise|chase|expressway|expy|freeway|fwy|causeway|broadway',
].join('|');
const FR_TYPES = String.raw`rue|avenue|av\.|boulevard|bd|chemin|allée|allee|place|impasse|quai|route|cours`;
const DE_SUFFIX = String.raw`straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|gracht|straat|laan|plein|kade|vej|gatan|gata|veien|gade`;
const LATIN_TYPES = String.raw`calle|c/|avenida|avda\.?|via|viale|piazza|corso|rua|largo|paseo|plaza|carrer`;

// 221B Baker Street · 1600 Pennsylvania Avenue NW · 12 rue de Rivoli · Hauptstraße 5 · Calle Mayor 10
const STREET = new RegExp(
  [
    String.raw`(?<![\p{L}\d])\d{1,5}[A-Za-z]?(?:[-/]\d{1,4})?,?\s+(?:${W}\s+){0,4}?(?:${EN_TYPES})\.?(?![\p{L}\d])(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?`,
    String.raw`(?<![\p{L}\d])\d{1,4}[a-z]?,?\s+(?:${FR_TYPES})\s+(?:${W}\s+){0,3}${W}`,
    String.raw`(?<![\p{L}\d])\p{Lu}[\p{L}-]*(?:${DE_SUFFIX})\s+\d{1,4}[a-z]?(?![\p{L}\d])`,
    String.raw`(?<![\p{L}\d])(?:${LATIN_TYPES})\s+(?:${W}\s+){0,3}?${W},?\s+\d{1,4}(?![\p{L}\d])`,
    String.raw`(?<![\p{L}\d])P\.?\s?O\.?\s+Box\s+\d{1,6}`,
    // Continental "Street name 77, 10117 City" with no recognisable street word: the postcode carries it.
    String.raw`(?<![\p{L}\d])\p{Lu}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+){0,3}\s+\d{1,4}[a-zA-Z]?,\s+${CONTINENTAL_POSTCODE}\s+\p{Lu}\p{Ll}+`,
  ].join('|'),
  'giu',
);
// What makes a street fragment an address without an address key: a postcode (with or without the city).
const POSTCODE = new RegExp(
  [
    String.raw`\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b`, // US state + ZIP
    String.raw`\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b`, // UK
    String.raw`\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b`, // AU
    String.raw`\b\d{4}\s?[A-Z]{2}\s+\p{Lu}`, // NL
    String.raw`\b\d{4,6}\s+\p{Lu}\p{Ll}+`, // DE/FR/ES/IN: postcode + city
    String.raw`\b(?:\d{2}-\d{3}|\d{3}\s\d{2}|\d{4}-\d{3})\s+\p{Lu}\p{Ll}+`, // PL, SE, PT: postcode + city
    String.raw`\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b`, // CA
    String.raw`\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y\d]{4}\b`, // IE Eircode
  ].join('|'),
  'u',
);
// Case-sensitive shapes the street-word patterns miss:
//   "20 Bishopsgate, London EC2N 4AG" — a street named without a type word, carried by a UK/US/AU/CA postcode;
//   "MG Road 12, Bengaluru" — the house number after the street type.
const NAME = String.raw`\p{Lu}[\p{L}'’.-]+`;
const TRAILING_POSTCODE = String.raw`(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]{2}\s+\d{5}(?:-\d{4})?|(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}|[A-Z]{2}\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d)`;
const OTHER_STREET = new RegExp(
  [
    String.raw`(?<![\p{L}\d])\d{1,5}[A-Za-z]?\s+${NAME}(?:\s+${NAME}){0,3},\s+(?:${NAME},?\s+){0,3}${TRAILING_POSTCODE}(?![\p{L}\d])`,
    String.raw`(?<![\p{L}\d])${NAME}(?:\s+${NAME}){0,2}\s+(?:[Rr]oad|[Ss]treet|[Aa]venue|[Ll]ane|[Mm]arg|[Nn]agar)\s+\d{1,4}[A-Za-z]?(?![\p{L}\d])`,
  ].join('|'),
  'gu',
);

const SHIP_CUE = /\b(?:ship(?:ped)? to|send (?:\w+ )?to|deliver(?:y)? to|courier to|mail to|lives at|address)\b/;

export function detectStreetAddress(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  STREET.lastIndex = 0;
  const keyed = ctx.key(K_ADDRESS);
  const found = out.length;
  for (let m = STREET.exec(t); m !== null; m = STREET.exec(t)) {
    const start = m.index;
    let end = start + m[0].length;
    // The rest of the address: ", City, ST 12345" within the same clause.
    const tail = t.slice(end, end + 60);
    const pc = POSTCODE.exec(tail);
    const stop = /[;|]|\s(?:for|by|on|and|before|after|until)\s/.exec(tail);
    const pcInClause = pc !== null && (stop === null || pc.index < stop.index);
    // Without an address key, a street fragment alone ("3 Way merge") is not enough.
    if (!keyed && !pcInClause && !ctx.cue(SHIP_CUE)) continue;
    if (pcInClause && pc !== null) end += pc.index + pc[0].length;
    out.push({ kind: 'street-address', start, end });
    STREET.lastIndex = end;
  }
  if (found < out.length) return;
  OTHER_STREET.lastIndex = 0;
  for (let m = OTHER_STREET.exec(t); m !== null; m = OTHER_STREET.exec(t)) {
    const start = m.index;
    let end = start + m[0].length;
    const withPostcode = /\d[A-Z]{2}$|\d{4,5}(?:-\d{4})?$|[A-Z]\d[A-Z]\s?\d[A-Z]\d$/.test(m[0]);
    if (!withPostcode) {
      const pc = POSTCODE.exec(t.slice(end, end + 60));
      if (!keyed && pc === null) continue;
      if (pc !== null && !/[;|]/.test(t.slice(end, end + pc.index))) end += pc.index + pc[0].length;
    }
    out.push({ kind: 'street-address', start, end });
  }
}
