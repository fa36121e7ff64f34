import type { Finding } from '../rules/types.js';
import { matchesResourceType } from './policy.js';

/** The dictionary's `suppressions` entry as written (see schema/dictionary.schema.json). */
export interface RawSuppression {
  readonly rules: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceTypes?: readonly string[];
  readonly accounts?: readonly string[];
  readonly tags?: readonly string[];
  readonly reason: string;
  readonly expires?: string;
}

/**
 * Findings accepted on purpose. A finding is suppressed when its rule is listed and every selector given matches
 * (within a selector, any entry). Plain data (Sets and RegExps), so it crosses to worker threads as it is.
 */
export interface Suppression {
  readonly rules: ReadonlySet<string>;
  /** The `resources` ARN patterns, `*` matching any run of characters. */
  readonly resources?: readonly RegExp[];
  readonly resourceTypes?: readonly string[];
  readonly accounts?: ReadonlySet<string>;
  readonly tags?: ReadonlySet<string>;
  readonly reason: string;
  /** Last day (YYYY-MM-DD, UTC) it applies. */
  readonly expires?: string;
  /** 1-based line of the entry in the dictionary, for messages. */
  readonly line?: number;
}

export function compileSuppression(raw: RawSuppression, line?: number): Suppression {
  return Object.freeze({
    rules: new Set(raw.rules),
    ...(raw.resources ? { resources: raw.resources.map(arnPattern) } : {}),
    ...(raw.resourceTypes ? { resourceTypes: [...raw.resourceTypes] } : {}),
    ...(raw.accounts ? { accounts: new Set(raw.accounts) } : {}),
    ...(raw.tags ? { tags: new Set(raw.tags) } : {}),
    reason: raw.reason,
    ...(raw.expires !== undefined ? { expires: raw.expires } : {}),
    ...(line !== undefined ? { line } : {}),
  });
}

/** An ARN with `*` wildcards as an anchored RegExp; every other character stands for itself. */
export function arnPattern(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** Whether the suppression covers the finding. */
export function suppresses(s: Suppression, finding: Finding): boolean {
  if (!s.rules.has(finding.ruleId)) return false;
  const { arn, accountId, resourceType } = finding.resource;
  if (s.accounts && !s.accounts.has(accountId)) return false;
  if (s.resourceTypes && !s.resourceTypes.some((p) => matchesResourceType(p, resourceType))) return false;
  if (s.resources && !s.resources.some((re) => re.test(arn))) return false;
  if (s.tags) {
    const key = finding.tag?.key;
    const dictionaryKey = finding.data?.dictionaryKey;
    if (!(key !== undefined && s.tags.has(key)) && !(typeof dictionaryKey === 'string' && s.tags.has(dictionaryKey))) return false;
  }
  return true;
}

/** The index of the first suppression covering the finding, or -1. */
export function suppressionOf(suppressions: readonly Suppression[], finding: Finding): number {
  for (let i = 0; i < suppressions.length; i++) if (suppresses(suppressions[i]!, finding)) return i;
  return -1;
}

/** The day a `Date` falls on in UTC, as `expires` is written. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function hasExpired(s: Suppression, today: string): boolean {
  return s.expires !== undefined && s.expires < today;
}
