import { PII_KINDS, type PiiKind } from './kinds.js';

export interface PiiPolicy {
  /** Whole rule on/off. */
  readonly enabled: boolean;
  /** Which detectors run (default: all). */
  readonly detectors: ReadonlySet<PiiKind>;
  /** Exact values (compared case-insensitively) that are acceptable, e.g. role mailboxes. */
  readonly allowValues: ReadonlySet<string>;
  /** Values matching any of these are acceptable (e.g. /@anycompany\.com$/ for role mailboxes). */
  readonly allowPatterns: readonly RegExp[];
}

export const DEFAULT_PII_POLICY: PiiPolicy = Object.freeze({
  enabled: true,
  detectors: new Set<PiiKind>(PII_KINDS),
  allowValues: new Set<string>(),
  allowPatterns: Object.freeze([]) as readonly RegExp[],
});

/** Builds a policy from partial settings (e.g. the dictionary's `pii:` section); omitted fields take the defaults. */
export function makePiiPolicy(opts: {
  enabled?: boolean;
  detectors?: Iterable<PiiKind>;
  allowValues?: Iterable<string>;
  allowPatterns?: Iterable<RegExp>;
}): PiiPolicy {
  return Object.freeze({
    enabled: opts.enabled ?? true,
    detectors: new Set<PiiKind>(opts.detectors ?? PII_KINDS),
    allowValues: new Set<string>(opts.allowValues ?? []),
    allowPatterns: Object.freeze([...(opts.allowPatterns ?? [])]),
  });
}

export interface CompiledPolicy {
  readonly kindMask: number;
  readonly allowLower: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
}

const compiled = new WeakMap<PiiPolicy, CompiledPolicy>();

/** Bit for a kind in `kindMask`. */
export function kindBit(kind: PiiKind): number {
  return 1 << PII_KINDS.indexOf(kind);
}

/** Per-policy derived data, computed once per policy object. */
export function compilePolicy(policy: PiiPolicy): CompiledPolicy {
  let c = compiled.get(policy);
  if (c === undefined) {
    let kindMask = 0;
    for (const k of policy.detectors) kindMask |= kindBit(k);
    const allowLower = new Set<string>();
    for (const v of policy.allowValues) allowLower.add(v.toLowerCase());
    c = { kindMask, allowLower, patterns: policy.allowPatterns };
    compiled.set(policy, c);
  }
  return c;
}

/** True when the policy accepts `text` as-is (exact allow-list or pattern). */
export function isAllowed(c: CompiledPolicy, text: string): boolean {
  if (c.allowLower.size > 0 && c.allowLower.has(text.toLowerCase())) return true;
  for (const re of c.patterns) {
    // search() ignores lastIndex, so /g or /y patterns from YAML behave the same on every call.
    if (text.search(re) !== -1) return true;
  }
  return false;
}
