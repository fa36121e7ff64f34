import type { Severity } from '../rules/types.js';
import type { PiiPolicy } from '../pii/policy.js';
import type { Suppression } from './suppression.js';

export type KeyCase = 'kebab' | 'snake' | 'camel' | 'pascal' | 'lower' | 'any';
export type UnknownKeysLevel = Severity | 'off';

/** One key of the dictionary, compiled. Frozen: rules only read it. */
export interface TagPolicy {
  readonly key: string;
  readonly category: string;
  readonly purpose: string;
  /** true: mandatory on every resource; list: mandatory where a pattern matches the resource type. */
  readonly mandatory: boolean | readonly string[];
  readonly costAllocation: boolean;
  /**
   * Which parents a resource takes this key's value from (inherited-tag-drift, missing-tag's `inherit` fill): true,
   * any parent; false, none; a list, parents whose resource type matches one of its patterns. Defaults to
   * `costAllocation`.
   */
  readonly inherit: boolean | readonly string[];
  /** Allowed values (exact, case-sensitive). */
  readonly values?: readonly string[];
  /** Allowed value pattern, anchored by the author (we do not add ^$). */
  readonly pattern?: RegExp;
  /** Wrong value → canonical value (e.g. prod → production). Looked up exactly first, then case-folded. */
  readonly valueAliases: Readonly<Record<string, string>>;
  /** Deprecated key names that mean this key (e.g. Environment, env). */
  readonly aliases: readonly string[];
  /** Value the fixer may add when the key is missing. */
  readonly default?: string;
  /** Per-account default (account id → value), preferred over `default`. */
  readonly accountDefaults: Readonly<Record<string, string>>;
  /**
   * Values saying a resource is shared by many (`shared` on a pooled pipeline or endpoint config): a parent carrying
   * one is no reference for its children's value of this key.
   */
  readonly sharedValues?: readonly string[];
  /** Severity for findings about this key, overriding the rule's. */
  readonly severity?: Severity;
  /** 1-based line of this entry in the dictionary source (for SARIF relatedLocations), when known. */
  readonly line?: number;
}

export interface Conventions {
  readonly keyCase: KeyCase;
  readonly requiredPrefix?: string;
  readonly unknownKeys: UnknownKeysLevel;
}

export interface Policy {
  readonly path: string;
  readonly sha256: string;
  readonly name: string;
  readonly description?: string;
  readonly conventions: Conventions;
  /** Per-rule severity overrides; 'off' disables the rule. */
  readonly ruleSeverity: Readonly<Record<string, Severity | 'off'>>;
  /** Severity of pii-in-tag findings. */
  readonly piiSeverity: Severity;
  readonly pii: PiiPolicy;
  readonly tags: readonly TagPolicy[];
  /** Findings accepted on purpose (scan and fix drop the expired ones when they load the dictionary). */
  readonly suppressions: readonly Suppression[];
  /** Canonical key → entry. */
  readonly byKey: ReadonlyMap<string, TagPolicy>;
  /** Exact deprecated alias → entry. */
  readonly byAlias: ReadonlyMap<string, TagPolicy>;
  /** foldKey(canonical key or alias) → entries (more than one means the fold is ambiguous). */
  readonly byFoldedKey: ReadonlyMap<string, readonly TagPolicy[]>;
  /** foldKey(last `:` segment of a namespaced canonical key) → entries. */
  readonly byFoldedLastSegment: ReadonlyMap<string, readonly TagPolicy[]>;
}

/**
 * Folds a key for comparison: lower case, and separators (`-`, `_`, space, `.`) and camel-case humps
 * removed, so `CostCenter`, `cost_center`, `COST-CENTER` and `cost-center` fold alike. `:` (namespace) is kept.
 */
export function foldKey(key: string): string {
  return key.toLowerCase().replace(/[-_ .]/g, '');
}

/** Whether a resource-type pattern (`sagemaker:*`, `sagemaker:training-job`, `*`) matches a type. */
export function matchesResourceType(pattern: string, resourceType: string): boolean {
  if (pattern === '*' || pattern === resourceType) return true;
  if (pattern.endsWith(':*')) return resourceType.startsWith(pattern.slice(0, -1));
  if (pattern.endsWith('*')) return resourceType.startsWith(pattern.slice(0, -1));
  return false;
}

/** Whether a `mandatory` setting requires the key on every resource: `true`, or a list holding `*` (the same). */
export function isMandatoryEverywhere(mandatory: unknown): boolean {
  return mandatory === true || (Array.isArray(mandatory) && mandatory.includes('*'));
}

export function isMandatoryFor(tag: TagPolicy, resourceType: string): boolean {
  if (tag.mandatory === true) return true;
  if (tag.mandatory === false) return false;
  return tag.mandatory.some((p) => matchesResourceType(p, resourceType));
}

/** Whether a parent of this resource type is a reference for the key's value (its `inherit`). */
export function inheritsFrom(tag: TagPolicy, parentType: string): boolean {
  if (tag.inherit === true) return true;
  if (tag.inherit === false) return false;
  return tag.inherit.some((p) => matchesResourceType(p, parentType));
}

/**
 * The value the fixer may add for a missing key on a resource of this account, if the dictionary gives one. A resource
 * whose account is unknown (an S3 bucket's ARN names none, and an export does not say) gets nothing when the key has
 * per-account defaults: the global default may be exactly what that account must not get (`internal` on a
 * production account's data).
 */
export function defaultValueFor(tag: TagPolicy, accountId: string): string | undefined {
  if (accountId === '') return hasAccountDefaults(tag) ? undefined : tag.default;
  return tag.accountDefaults[accountId] ?? tag.default;
}

/** Whether the key's default depends on the account. */
export function hasAccountDefaults(tag: TagPolicy): boolean {
  for (const _ in tag.accountDefaults) return true;
  return false;
}

export interface TagPolicyInput
  extends Omit<TagPolicy, 'valueAliases' | 'aliases' | 'accountDefaults' | 'category' | 'purpose' | 'mandatory' | 'costAllocation' | 'inherit'> {
  readonly category?: string;
  readonly purpose?: string;
  readonly mandatory?: boolean | readonly string[];
  readonly costAllocation?: boolean;
  /** Defaults to `costAllocation`. */
  readonly inherit?: boolean | readonly string[];
  readonly valueAliases?: Readonly<Record<string, string>>;
  readonly aliases?: readonly string[];
  readonly accountDefaults?: Readonly<Record<string, string>>;
}

export interface PolicyInput {
  readonly path?: string;
  readonly sha256?: string;
  readonly name?: string;
  readonly description?: string;
  readonly conventions?: Partial<Conventions>;
  readonly ruleSeverity?: Readonly<Record<string, Severity | 'off'>>;
  readonly piiSeverity?: Severity;
  readonly pii: PiiPolicy;
  readonly tags: readonly TagPolicyInput[];
  readonly suppressions?: readonly Suppression[];
}

function pushIndex(map: Map<string, TagPolicy[]>, k: string, tag: TagPolicy): void {
  const list = map.get(k);
  if (!list) map.set(k, [tag]);
  else if (!list.includes(tag)) list.push(tag);
}

/** Builds the frozen Policy with its lookup indexes from already-validated input. */
export function compilePolicy(input: PolicyInput): Policy {
  const tags: TagPolicy[] = input.tags.map((t) =>
    Object.freeze({
      ...t,
      category: t.category ?? 'uncategorized',
      purpose: t.purpose ?? '',
      // `['*']` (or any list holding `*`) is documented as the same as `true`: made it, so counts and messages agree.
      mandatory: isMandatoryEverywhere(t.mandatory) ? true : (t.mandatory ?? false),
      costAllocation: t.costAllocation ?? false,
      inherit: typeof t.inherit === 'object' ? Object.freeze([...t.inherit]) : (t.inherit ?? t.costAllocation ?? false),
      valueAliases: Object.freeze({ ...(t.valueAliases ?? {}) }),
      aliases: Object.freeze([...(t.aliases ?? [])]),
      accountDefaults: Object.freeze({ ...(t.accountDefaults ?? {}) }),
    }),
  );
  const byKey = new Map<string, TagPolicy>();
  const byAlias = new Map<string, TagPolicy>();
  const byFoldedKey = new Map<string, TagPolicy[]>();
  const byFoldedLastSegment = new Map<string, TagPolicy[]>();
  for (const tag of tags) {
    byKey.set(tag.key, tag);
    pushIndex(byFoldedKey, foldKey(tag.key), tag);
    for (const alias of tag.aliases) {
      byAlias.set(alias, tag);
      pushIndex(byFoldedKey, foldKey(alias), tag);
    }
    const lastColon = tag.key.lastIndexOf(':');
    if (lastColon > 0) pushIndex(byFoldedLastSegment, foldKey(tag.key.slice(lastColon + 1)), tag);
  }
  return Object.freeze({
    path: input.path ?? '<inline>',
    sha256: input.sha256 ?? '',
    name: input.name ?? 'unnamed',
    description: input.description,
    conventions: Object.freeze({
      keyCase: input.conventions?.keyCase ?? 'any',
      requiredPrefix: input.conventions?.requiredPrefix,
      unknownKeys: input.conventions?.unknownKeys ?? 'off',
    }),
    ruleSeverity: Object.freeze({ ...(input.ruleSeverity ?? {}) }),
    piiSeverity: input.piiSeverity ?? 'error',
    pii: input.pii,
    tags: Object.freeze(tags),
    suppressions: Object.freeze([...(input.suppressions ?? [])]),
    byKey,
    byAlias,
    byFoldedKey,
    byFoldedLastSegment,
  });
}
