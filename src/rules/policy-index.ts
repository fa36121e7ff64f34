import { foldKey, isMandatoryFor, type Policy, type TagPolicy } from '../dictionary/policy.js';
import { isAwsReservedKey } from '../inventory/resource.js';
import { detectPii, type PiiHit } from '../pii/detect.js';
import { makeRedactor } from '../pii/redact.js';
import { withoutDeclaredLayouts } from '../pii/declared-layout.js';

/**
 * What a tag key means to the dictionary. Computed once per distinct key string and shared (the objects are
 * frozen and reused across resources), so classifying a resource's tags costs one Map lookup per tag.
 */
export type KeyClass =
  | { readonly kind: 'aws' }
  | { readonly kind: 'canonical'; readonly entry: TagPolicy }
  /** Exactly a deprecated alias listed by the entry. */
  | { readonly kind: 'alias'; readonly entry: TagPolicy }
  /** Equal, once case and separators are folded, to the entry's key or to one of its aliases (`matched`). */
  | { readonly kind: 'miscased'; readonly entry: TagPolicy; readonly matched: string }
  /** An un-namespaced key equal (folded) to the last `:` segment of exactly one namespaced dictionary key. */
  | { readonly kind: 'last-segment'; readonly entry: TagPolicy }
  /** Folds to several dictionary keys: reported as unknown, never renamed (which one would be a guess). */
  | { readonly kind: 'ambiguous'; readonly entries: readonly TagPolicy[] }
  | { readonly kind: 'unknown' };

/** Key classes that map to exactly one dictionary entry. */
export type MappedKeyClass = Extract<KeyClass, { readonly entry: TagPolicy }>;

export function isMapped(cls: KeyClass): cls is MappedKeyClass {
  return cls.kind === 'canonical' || cls.kind === 'alias' || cls.kind === 'miscased' || cls.kind === 'last-segment';
}

/** How a tag value stands against its dictionary entry. */
export type ValueVerdict =
  /** `listed`: the value is one the dictionary enumerates under `values` (so it is known not to be personal data). */
  | { readonly kind: 'ok'; readonly listed?: boolean }
  | { readonly kind: 'blank' }
  /** A deprecated value alias (`prod`) or an allowed value in another case or spacing (`Production `). */
  | { readonly kind: 'normalize'; readonly to: string; readonly reason: 'alias' | 'case' }
  /** Folds to several allowed values (the dictionary allows `Dev` and `dev`): reported, never rewritten. */
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'invalid' };

export const OK_VERDICT: ValueVerdict = Object.freeze({ kind: 'ok' });
const OK = OK_VERDICT;
const LISTED: ValueVerdict = Object.freeze({ kind: 'ok', listed: true });
const BLANK: ValueVerdict = Object.freeze({ kind: 'blank' });
const INVALID: ValueVerdict = Object.freeze({ kind: 'invalid' });
const AWS: KeyClass = Object.freeze({ kind: 'aws' });
const UNKNOWN: KeyClass = Object.freeze({ kind: 'unknown' });

/**
 * Keys that are never read as a last-segment match: `Name` is what the EC2 / VPC consoles display, and renaming
 * it to a namespaced `…:name` would blank every console list. A dictionary that really wants it lists it as an alias.
 */
const NEVER_LAST_SEGMENT: ReadonlySet<string> = new Set(['Name']);

/**
 * Memo caps. Distinct keys are few in practice; distinct values can be unbounded (ids, names), so each key keeps at
 * most MAX_VALUES_PER_KEY and all keys together at most MAX_VALUES (~100 bytes each: a few tens of MB at worst).
 * Past a cap, facts are computed each time, which is correct, only slower.
 */
const MAX_MEMO_KEYS = 20_000;
const MAX_VALUES_PER_KEY = 16_384;
const MAX_VALUES = 200_000;
const MAX_MEMO_VALUES_PER_ENTRY = 4_096;

const NO_HITS: readonly PiiHit[] = Object.freeze([]);

/** Everything known about one (key, value) pair; shared and frozen, so a resource's tags cost one lookup each. */
export interface TagFacts {
  readonly cls: KeyClass;
  /** The value against the key's dictionary entry; `ok` for keys outside the dictionary. */
  readonly verdict: ValueVerdict;
  /** Personal data found in the key or the value (empty when PII detection is off). */
  readonly pii: readonly PiiHit[];
}

interface KeyMemo {
  readonly cls: KeyClass;
  readonly values: Map<string, TagFacts>;
  /** For a canonical key with a `values` list: the list, and the one shared facts object for any listed value. */
  readonly allowed?: ReadonlySet<string>;
  readonly listed?: TagFacts;
}

/** Folds a value for case / whitespace comparison: trimmed, inner whitespace runs collapsed, lower case. */
export function foldValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function isBlank(value: string): boolean {
  return value.length === 0 || value.trim().length === 0;
}

/** Per-entry value lookups, built once per policy. */
class ValueSpec {
  private readonly allowed: ReadonlySet<string> | undefined;
  private readonly pattern: RegExp | undefined;
  private readonly aliasExact: ReadonlyMap<string, string>;
  /** foldValue(allowed value) → value, or the list of values when several fold alike. */
  private readonly allowedFolded = new Map<string, string | string[]>();
  private readonly aliasFolded = new Map<string, string | string[]>();
  private readonly constrained: boolean;
  private readonly memo = new Map<string, ValueVerdict>();
  private readonly normalized = new Map<string, ValueVerdict>();

  constructor(entry: TagPolicy) {
    this.allowed = entry.values ? new Set(entry.values) : undefined;
    this.pattern = entry.pattern;
    this.aliasExact = new Map(Object.entries(entry.valueAliases));
    for (const v of entry.values ?? []) addFolded(this.allowedFolded, foldValue(v), v);
    for (const [from, to] of this.aliasExact) addFolded(this.aliasFolded, foldValue(from), to);
    this.constrained = this.allowed !== undefined || this.pattern !== undefined;
  }

  verdict(value: string): ValueVerdict {
    // The common case (an allowed value) needs no memo: a Set lookup or a pattern test is as cheap as a Map hit,
    // and memoising every distinct id or name would only churn the memo.
    if (value.length === 0) return BLANK;
    if (this.allowed?.has(value)) return LISTED;
    // Before the pattern: one that accepts spaces (`^[A-Za-z ]*$`) would pass a blank value. A blank value starts
    // with whitespace (ASCII ≤ 32, or NBSP and up), so the trim is skipped for nearly every value.
    const c0 = value.charCodeAt(0);
    if ((c0 <= 32 || c0 >= 0xa0) && isBlank(value)) return BLANK;
    if (this.pattern && testPattern(this.pattern, value)) return OK;
    if (!this.constrained && this.aliasExact.size === 0) return isBlank(value) ? BLANK : OK;
    const hit = this.memo.get(value);
    if (hit !== undefined) return hit;
    const v = this.compute(value);
    if (this.memo.size < MAX_MEMO_VALUES_PER_ENTRY) this.memo.set(value, v);
    return v;
  }

  /** The verdict on a value that is neither allowed as it is nor matches the pattern. */
  private compute(value: string): ValueVerdict {
    if (isBlank(value)) return BLANK;
    const exactAlias = this.aliasExact.get(value);
    if (exactAlias !== undefined) return this.normalize(exactAlias, 'alias');
    const folded = foldValue(value);
    const byCase = this.allowedFolded.get(folded);
    if (typeof byCase === 'string') return this.normalize(byCase, 'case');
    if (byCase) return Object.freeze({ kind: 'ambiguous', candidates: byCase });
    const byAlias = this.aliasFolded.get(folded);
    if (typeof byAlias === 'string') return this.normalize(byAlias, 'alias');
    if (byAlias) return Object.freeze({ kind: 'ambiguous', candidates: byAlias });
    // A pattern-only key can still be miscased against its pattern (`APP-1234` for ^app-[0-9]{4}$), or carry stray
    // spaces (`Sales-5045 `): only rewrite to the single obvious candidate, the trimmed value if it matches (so a
    // value whose case the pattern accepts keeps it), else the trimmed and lower-cased one, else upper-cased.
    if (this.pattern && !this.allowed) {
      const trimmed = value.trim();
      if (trimmed !== value && testPattern(this.pattern, trimmed)) return this.normalize(trimmed, 'case');
      const lower = trimmed.toLowerCase();
      if (lower !== value && testPattern(this.pattern, lower)) return this.normalize(lower, 'case');
      // Cost-center and project codes are often upper case (^CC-[0-9]{4}$): `cc-2001` is the same slip. Only when
      // the pattern wants upper case alone: where it also takes `Sales-5045`, `SALES-5045` would be a guess.
      const upper = trimmed.toUpperCase();
      if (upper !== value && testPattern(this.pattern, upper) && !testPattern(this.pattern, titleCased(trimmed))) return this.normalize(upper, 'case');
    }
    return this.constrained ? INVALID : OK;
  }

  private normalize(to: string, reason: 'alias' | 'case'): ValueVerdict {
    const k = `${reason}\u0000${to}`;
    let v = this.normalized.get(k);
    if (!v) {
      v = Object.freeze({ kind: 'normalize', to, reason });
      this.normalized.set(k, v);
    }
    return v;
  }
}

function addFolded(map: Map<string, string | string[]>, folded: string, target: string): void {
  const cur = map.get(folded);
  if (cur === undefined) map.set(folded, target);
  else if (typeof cur === 'string') {
    if (cur !== target) map.set(folded, [cur, target]);
  } else if (!cur.includes(target)) cur.push(target);
}

/** Each run of letters with its first letter upper case and the rest lower case: `SALES-eu` → `Sales-Eu`. */
function titleCased(value: string): string {
  return value.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

function testPattern(re: RegExp, value: string): boolean {
  if (re.global || re.sticky) re.lastIndex = 0;
  return re.test(value);
}

/**
 * The lookups every rule needs, precomputed once per Policy (and cached per Policy object): key classification,
 * value verdicts, mandatory keys per resource type. Everything is memoised by the raw string so that a resource
 * whose keys and values have been seen before is classified with Map lookups only.
 */
export class PolicyIndex {
  readonly costAllocation: readonly TagPolicy[];
  /** Keys whose value some parent may give (`inherit` true or a list: by default the cost-allocation keys). */
  readonly inheritable: readonly TagPolicy[];
  /** Whether PII detection runs (the dictionary's `pii.enabled`). */
  readonly piiEnabled: boolean;
  private readonly keyMemo = new Map<string, KeyMemo>();
  private memoValues = 0;
  private readonly specs = new Map<TagPolicy, ValueSpec>();
  private readonly mandatoryMemo = new Map<string, readonly TagPolicy[]>();
  private readonly redactors = new WeakMap<readonly PiiHit[], (text: string) => string>();

  constructor(readonly policy: Policy) {
    this.costAllocation = Object.freeze(policy.tags.filter((t) => t.costAllocation));
    this.inheritable = Object.freeze(policy.tags.filter((t) => t.inherit !== false));
    this.piiEnabled = policy.pii.enabled;
    for (const t of policy.tags) this.specs.set(t, new ValueSpec(t));
  }

  classify(key: string): KeyClass {
    return this.keyMemoFor(key)?.cls ?? this.computeClass(key);
  }

  /**
   * Classification, value verdict and PII hits of one tag, memoised per (key, value). A dictionary key holding a
   * value the dictionary itself enumerates is not scanned for PII: the dictionary's author approved that value.
   */
  facts(key: string, value: string): TagFacts {
    const km = this.keyMemoFor(key);
    if (km) {
      // A listed value of a canonical key: a lookup in a set of a few values, which stays in cache.
      if (km.listed && km.allowed?.has(value)) return km.listed;
      const hit = km.values.get(value);
      if (hit !== undefined) return hit;
    }
    const cls = km?.cls ?? this.computeClass(key);
    const verdict = isMapped(cls) ? this.verdict(cls.entry, value) : OK;
    const listed = verdict === LISTED && cls.kind === 'canonical';
    const found = this.piiEnabled && !listed ? this.detect(key, value) : NO_HITS;
    // OK for a key with a pattern means the value matches it: possibly a code layout the dictionary declares.
    const pattern = verdict === OK && isMapped(cls) ? cls.entry.pattern : undefined;
    const pii = pattern && found.length > 0 ? withoutDeclaredLayouts(key, value, pattern, found) : found;
    const facts: TagFacts = Object.freeze({ cls, verdict, pii });
    if (km && km.values.size < MAX_VALUES_PER_KEY && this.memoValues < MAX_VALUES) {
      km.values.set(value, facts);
      this.memoValues++;
    }
    return facts;
  }

  /** PII in a key / value pair per the policy's detectors and allow-lists (not memoised; use `facts`). */
  detect(key: string, value: string): readonly PiiHit[] {
    if (!this.piiEnabled) return NO_HITS;
    const found = detectPii(key, value, this.policy.pii);
    return found.length === 0 ? NO_HITS : Object.freeze(found);
  }

  /**
   * Masks every occurrence of the hits' raw text. Memoised per hits array: a resource with one PII-bearing tag
   * passes that tag's (shared, memoised) hits, and the same e-mail address on thousands of resources then builds
   * its redactor once.
   */
  redactor(hits: readonly PiiHit[]): (text: string) => string {
    let redact = this.redactors.get(hits);
    if (!redact) {
      redact = makeRedactor(hits);
      this.redactors.set(hits, redact);
    }
    return redact;
  }

  private keyMemoFor(key: string): KeyMemo | undefined {
    let km = this.keyMemo.get(key);
    if (km === undefined && this.keyMemo.size < MAX_MEMO_KEYS) {
      const cls = this.computeClass(key);
      const allowed = cls.kind === 'canonical' && cls.entry.values ? new Set(cls.entry.values) : undefined;
      km = allowed
        ? { cls, values: new Map(), allowed, listed: Object.freeze({ cls, verdict: LISTED, pii: NO_HITS }) }
        : { cls, values: new Map() };
      this.keyMemo.set(key, km);
    }
    return km;
  }

  /** The verdict on `value` for `entry` (memoised; `blank` for an empty or whitespace-only value). */
  verdict(entry: TagPolicy, value: string): ValueVerdict {
    const spec = this.specs.get(entry) ?? this.specFor(entry);
    return spec.verdict(value);
  }

  /** Dictionary entries mandatory for a resource type, in dictionary order. */
  mandatoryFor(resourceType: string): readonly TagPolicy[] {
    let list = this.mandatoryMemo.get(resourceType);
    if (!list) {
      list = Object.freeze(this.policy.tags.filter((t) => isMandatoryFor(t, resourceType)));
      if (this.mandatoryMemo.size < MAX_MEMO_KEYS) this.mandatoryMemo.set(resourceType, list);
    }
    return list;
  }

  private specFor(entry: TagPolicy): ValueSpec {
    // An entry not from this policy (a test handing in its own TagPolicy): build its spec on demand.
    const spec = new ValueSpec(entry);
    this.specs.set(entry, spec);
    return spec;
  }

  private computeClass(key: string): KeyClass {
    if (isAwsReservedKey(key)) return AWS;
    const { policy } = this;
    const canonical = policy.byKey.get(key);
    if (canonical) return Object.freeze({ kind: 'canonical', entry: canonical });
    const alias = policy.byAlias.get(key);
    if (alias) return Object.freeze({ kind: 'alias', entry: alias });
    const folded = foldKey(key);
    const byFold = policy.byFoldedKey.get(folded);
    if (byFold && byFold.length === 1 && byFold[0]) {
      const entry = byFold[0];
      const matched = [entry.key, ...entry.aliases].find((k) => foldKey(k) === folded) ?? entry.key;
      return Object.freeze({ kind: 'miscased', entry, matched });
    }
    if (byFold && byFold.length > 1) return Object.freeze({ kind: 'ambiguous', entries: byFold });
    if (!key.includes(':') && !NEVER_LAST_SEGMENT.has(key)) {
      const bySegment = policy.byFoldedLastSegment.get(folded);
      if (bySegment && bySegment.length === 1 && bySegment[0]) return Object.freeze({ kind: 'last-segment', entry: bySegment[0] });
      if (bySegment && bySegment.length > 1) return Object.freeze({ kind: 'ambiguous', entries: bySegment });
    }
    return UNKNOWN;
  }
}

const INDEXES = new WeakMap<Policy, PolicyIndex>();

/** The (cached) index of a compiled Policy. */
export function policyIndex(policy: Policy): PolicyIndex {
  let index = INDEXES.get(policy);
  if (!index) {
    index = new PolicyIndex(policy);
    INDEXES.set(policy, index);
  }
  return index;
}
