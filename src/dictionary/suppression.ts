import { canonicalArn } from '../audit/parent-key.js';
import type { ResourceRef } from '../inventory/resource.js';
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
 * (within a selector, any entry). Plain data (Sets, arrays), so it crosses to worker threads as it is.
 */
export interface Suppression {
  readonly rules: ReadonlySet<string>;
  /**
   * The `resources` ARN patterns, split at each `*` (which matches any run of characters). A SageMaker pattern
   * (`arn:<partition>:sagemaker:…`) is held in its canonical form, lower-cased, and `caseless` marks it.
   */
  readonly resources?: readonly (readonly string[])[];
  /**
   * Per `resources` pattern, whether it is a SageMaker one, matched against the ARN's canonical form (canonicalArn): a
   * SageMaker resource is matched whatever the case of its ARN or of the pattern. Absent when none is.
   */
  readonly caseless?: readonly boolean[];
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
  const caseless = raw.resources?.map(isSageMakerPattern);
  return Object.freeze({
    rules: new Set(raw.rules),
    ...(raw.resources ? { resources: raw.resources.map((glob) => canonicalArn(glob).split('*')) } : {}),
    ...(caseless?.includes(true) ? { caseless } : {}),
    ...(raw.resourceTypes ? { resourceTypes: [...raw.resourceTypes] } : {}),
    ...(raw.accounts ? { accounts: new Set(raw.accounts) } : {}),
    ...(raw.tags ? { tags: new Set(raw.tags) } : {}),
    reason: raw.reason,
    ...(raw.expires !== undefined ? { expires: raw.expires } : {}),
    ...(line !== undefined ? { line } : {}),
  });
}

/**
 * Whether canonicalArn folds this pattern's case: one naming SageMaker (`arn:aws:sagemaker:…`, any partition or `*`
 * there). Asked of canonicalArn itself, so that what counts as a SageMaker ARN is decided in one place: it lower-cases
 * such a text whatever else it holds, so an upper-case letter added at the end tells.
 */
function isSageMakerPattern(glob: string): boolean {
  const probe = `${glob}A`;
  return canonicalArn(probe) !== probe;
}

/**
 * Whether `text` matches a `*` glob split at its stars. Each middle part is taken at its first place after the one
 * before, which is always right when `*` is the only wildcard, and never backtracks (a regex of `.*`s can take
 * exponential time on a long ARN that does not match).
 */
export function globMatches(parts: readonly string[], text: string): boolean {
  const first = parts[0] ?? '';
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** What a suppression is matched against: a rule's report about a resource, before it becomes a finding. */
export interface SuppressionTarget {
  readonly ruleId: string;
  readonly resource: Pick<ResourceRef, 'arn' | 'accountId' | 'resourceType'>;
  /** The tag key on the resource (raw, never masked), when the report is about one. */
  readonly tagKey?: string;
  /** The dictionary key it stands for, when known. */
  readonly dictionaryKey?: string;
}

/** Whether the suppression covers the target. */
export function suppresses(s: Suppression, target: SuppressionTarget): boolean {
  if (!s.rules.has(target.ruleId)) return false;
  const { arn, accountId, resourceType } = target.resource;
  if (s.accounts && !s.accounts.has(accountId)) return false;
  if (s.resourceTypes && !s.resourceTypes.some((p) => matchesResourceType(p, resourceType))) return false;
  if (s.resources && !resourceMatches(s.resources, s.caseless, arn)) return false;
  if (s.tags) {
    const { tagKey, dictionaryKey } = target;
    if (!(tagKey !== undefined && s.tags.has(tagKey)) && !(dictionaryKey !== undefined && s.tags.has(dictionaryKey))) return false;
  }
  return true;
}

/** Whether one of the patterns matches: a SageMaker one the ARN's canonical form (computed once), any other the ARN. */
function resourceMatches(patterns: readonly (readonly string[])[], caseless: readonly boolean[] | undefined, arn: string): boolean {
  if (caseless === undefined) {
    for (let i = 0; i < patterns.length; i++) if (globMatches(patterns[i]!, arn)) return true;
    return false;
  }
  let canonical: string | undefined;
  for (let i = 0; i < patterns.length; i++) {
    if (globMatches(patterns[i]!, caseless[i] === true ? (canonical ??= canonicalArn(arn)) : arn)) return true;
  }
  return false;
}

/** The index of the first suppression covering the target, or -1. */
export function suppressionOf(suppressions: readonly Suppression[], target: SuppressionTarget): number {
  for (let i = 0; i < suppressions.length; i++) if (suppresses(suppressions[i]!, target)) return i;
  return -1;
}

/** The day a `Date` falls on in UTC, as `expires` is written. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function hasExpired(s: Suppression, today: string): boolean {
  return s.expires !== undefined && s.expires < today;
}
