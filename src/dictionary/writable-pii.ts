import { detectPii, type PiiHit } from '../pii/detect.js';
import { isPiiKind, PII_KIND_LABEL } from '../pii/kinds.js';
import { makeRedactor } from '../pii/redact.js';
import { piiPolicyFromDictionary } from './dictionary-pii.js';
import { compileDictionaryRegex, regexProblem } from './dictionary-regex.js';
import { withoutDeclaredLayouts } from '../pii/declared-layout.js';
import { show } from './pending-problem.js';
import { findPatternPii } from './pattern-pii.js';
import type { RawPii } from './raw-dictionary.js';

/**
 * Why `value`, a value of tag `key` the fixer may write, must not be in the dictionary; undefined when it may.
 * `pattern`: the key's own pattern, which declares its layout (see withoutDeclaredLayouts).
 */
export interface WritablePiiCheck {
  (key: string, value: string, pattern?: string): string | undefined;
  /** `value` with what the check would object to masked, e.g. to name a value-alias key in a problem's path. */
  mask(key: string, value: string, pattern?: string): string;
}

type Rec = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const stringsOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/**
 * The dictionary's `pii:` section as far as it is usable: the semantic checks run on data the schema may have
 * rejected, so a malformed field falls back to its default (and is reported by the schema, not here).
 */
function usablePii(data: Rec): RawPii {
  const pii = isRecord(data.pii) ? data.pii : {};
  const allow = isRecord(pii.allow) ? pii.allow : {};
  const detectors = Array.isArray(pii.detectors) ? stringsOf(pii.detectors).filter(isPiiKind) : undefined;
  return {
    ...(typeof pii.enabled === 'boolean' ? { enabled: pii.enabled } : {}),
    ...(detectors && detectors.length > 0 ? { detectors } : {}),
    allow: {
      values: stringsOf(allow.values),
      patterns: stringsOf(allow.patterns).filter((p) => regexProblem(p) === undefined),
    },
  };
}

/**
 * Checks values the fixer may write to AWS (defaults, account defaults, allowed values, value aliases) with the
 * project's PII detectors under the dictionary's own `pii:` settings: what they allow passes, and with
 * `enabled: false` nothing is checked. The value is judged with its tag key, as the pii-in-tag rule would judge
 * the tag once written ("Jane Doe" under owner-name).
 */
export function writablePiiCheck(data: Rec): WritablePiiCheck {
  const policy = piiPolicyFromDictionary(usablePii(data));
  const hitsIn = (key: string, value: string, pattern: string | undefined): PiiHit[] => {
    const found = detectPii(key, value, policy);
    const re = pattern !== undefined && regexProblem(pattern) === undefined ? compileDictionaryRegex(pattern) : undefined;
    return (re?.test(value) ? withoutDeclaredLayouts(key, value, re, found) : found).filter((h) => h.where === 'value');
  };
  const check = (key: string, value: string, pattern?: string): string | undefined => {
    const hits = hitsIn(key, value, pattern);
    if (hits.length === 0) return undefined;
    const kinds = [...new Set(hits.map((h) => PII_KIND_LABEL[h.kind]))].join(', ');
    return `${show(makeRedactor(hits)(value))} looks like personal data (${kinds}), which must not go into tags (list it under pii.allow if it is not)`;
  };
  check.mask = (key: string, value: string, pattern?: string): string => makeRedactor(hitsIn(key, value, pattern))(value);
  return check;
}

/** Personal data found in a tag key the dictionary names: what kinds, and the key with it masked. */
export interface KeyPii {
  readonly kinds: string;
  readonly masked: string;
}

/**
 * Checks tag keys the dictionary names (canonical keys, aliases, a suppression's tag keys) as pii-in-tag judges a key
 * on a resource: the same detectors, under the dictionary's own `pii:` settings (what they allow passes; with
 * `enabled: false` nothing is checked). The masked form also masks what the detectors find reading the key as text
 * (a name beside a phone number), since messages quote it.
 */
export function keyPiiCheck(data: Rec): (key: string) => KeyPii | undefined {
  const policy = piiPolicyFromDictionary(usablePii(data));
  return (key) => {
    const hits = detectPii(key, '', policy).filter((h) => h.where === 'key');
    if (hits.length === 0) return undefined;
    const kinds = [...new Set(hits.map((h) => PII_KIND_LABEL[h.kind]))].join(', ');
    return { kinds, masked: makeRedactor([...hits, ...detectPii('', key, policy)])(key) };
  };
}

/** Personal data a tag's `pattern` spells out: the problem to report, and where in the pattern. */
export interface PatternPii {
  readonly message: string;
  /** Index (UTF-16) in the pattern of the first piece of personal data. */
  readonly offset: number;
}

/**
 * Checks a tag's `pattern` as the values are checked (writablePiiCheck): invalid-tag-value findings quote the pattern,
 * so an address or phone number in it would be printed with every one of them. The pattern is read as the texts it
 * spells out (pattern-literal.ts), so `paul\.p@example\.com` is found as well as `paul.p@example.com`, and
 * `^jane\.doe@example\.(com|org)$` as `jane.doe@example.com`.
 */
export function patternPiiCheck(data: Rec): (key: string, pattern: string) => PatternPii | undefined {
  const policy = piiPolicyFromDictionary(usablePii(data));
  return (key, pattern) => {
    const found = findPatternPii(key, pattern, policy);
    if (found === undefined) return undefined;
    return {
      message: `${show(found.masked)} spells out what looks like personal data (${found.kinds.join(', ')}), which must not be in the dictionary: invalid-tag-value findings quote the pattern (list it under pii.allow if it is not)`,
      offset: found.offset,
    };
  };
}
