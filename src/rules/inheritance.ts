import type { TagPolicy } from '../dictionary/policy.js';
import type { Resource } from '../inventory/resource.js';
import { parentKey } from '../audit/parent-key.js';
import { isMapped, type PolicyIndex } from './policy-index.js';

/** A cost-allocation value a resource's parents carry. */
export interface Inherited {
  /** The parent's value, normalised when the dictionary maps it (`prod` → `production`). */
  readonly value: string;
  /** `value` as it may be shown (masked when it carries PII). */
  readonly shown: string;
  readonly parentArn: string;
  /** The value carries PII: it is never copied, only reported (masked). */
  readonly hasPii: boolean;
}

const NONE: ReadonlyMap<TagPolicy, Inherited> = new Map();

// What each parent offers, computed once per parent object and policy: children of one tuning job or domain come by
// the thousands, and each would otherwise re-read, re-validate and re-scan the same parent tags.
const OFFERS = new WeakMap<PolicyIndex, WeakMap<Resource, ReadonlyMap<TagPolicy, Inherited>>>();

/**
 * For each cost-allocation key, the value the resource's direct parents carry, when at least one parent found by
 * `lookup` carries a usable value and all such parents agree (disagreeing parents give no value: copying one would
 * be a guess). Unusable: blank, invalid or ambiguous per the dictionary (the parent has its own finding for that),
 * or one of the key's sharedValues (the parent is shared by many).
 */
export function inheritedValues(
  index: PolicyIndex,
  resource: Resource,
  lookup: (arn: string) => Resource | undefined,
): ReadonlyMap<TagPolicy, Inherited> {
  const parentArns = resource.parentArns;
  if (!parentArns || parentArns.length === 0 || index.costAllocation.length === 0) return NONE;
  let single: ReadonlyMap<TagPolicy, Inherited> | undefined;
  let merged: Map<TagPolicy, Inherited | null> | undefined;
  for (const arn of parentArns) {
    if (arn === resource.arn) continue;
    const parent = lookup(arn);
    // `lookup` matches SageMaker ARNs in any case: the resource naming itself in another case is no parent either.
    if (!parent || isItself(parent, resource)) continue;
    const offer = offerOf(index, parent);
    if (!single && !merged) {
      single = offer;
      continue;
    }
    merged ??= new Map(single);
    single = undefined;
    for (const [entry, inh] of offer) {
      const cur = merged.get(entry);
      if (cur === undefined) merged.set(entry, inh);
      else if (cur !== null && cur.value !== inh.value) merged.set(entry, null);
    }
  }
  if (single) return single;
  if (!merged) return NONE;
  const out = new Map<TagPolicy, Inherited>();
  for (const [entry, inh] of merged) if (inh) out.set(entry, inh);
  return out;
}

function isItself(parent: Resource, resource: Resource): boolean {
  if (parent.arn === resource.arn) return true;
  return parent.arn.length === resource.arn.length && parentKey(parent.arn) === parentKey(resource.arn);
}

function offerOf(index: PolicyIndex, parent: Resource): ReadonlyMap<TagPolicy, Inherited> {
  let byParent = OFFERS.get(index);
  if (!byParent) {
    byParent = new WeakMap();
    OFFERS.set(index, byParent);
  }
  let offer = byParent.get(parent);
  if (!offer) {
    offer = computeOffer(index, parent);
    byParent.set(parent, offer);
  }
  return offer;
}

function computeOffer(index: PolicyIndex, parent: Resource): ReadonlyMap<TagPolicy, Inherited> {
  const out = new Map<TagPolicy, Inherited>();
  for (const entry of index.costAllocation) {
    const found = valueOn(index, parent, entry);
    if (!found) continue;
    let hasPii = false;
    let shown = found.value;
    if (index.piiEnabled) {
      // The normalised value can differ from the raw one the parent carries: check both.
      const hits = [...index.facts(found.key, found.raw).pii, ...(found.value !== found.raw ? index.detect(entry.key, found.value) : [])];
      if (hits.length > 0) {
        hasPii = true;
        shown = index.redactor(hits)(found.value);
      }
    }
    out.set(entry, Object.freeze({ value: found.value, shown, parentArn: parent.arn, hasPii }));
  }
  return out.size === 0 ? NONE : out;
}
function valueOn(index: PolicyIndex, parent: Resource, entry: TagPolicy): { value: string; raw: string; key: string } | undefined {
  const tags = parent.tags;
  let key: string | undefined = Object.prototype.hasOwnProperty.call(tags, entry.key) ? entry.key : undefined;
  if (key === undefined) {
    // The parent may carry it under a deprecated or miscased name: use it when exactly one such tag exists.
    for (const k in tags) {
      const cls = index.classify(k);
      if (!isMapped(cls) || cls.entry !== entry) continue;
      if (key !== undefined) return undefined;
      key = k;
    }
  }
  if (key === undefined) return undefined;
  const raw = tags[key] as string;
  const verdict = index.verdict(entry, raw);
  const value = verdict.kind === 'ok' ? raw : verdict.kind === 'normalize' ? verdict.to : undefined;
  // A parent shared by many (the dictionary's sharedValues: a pooled pipeline's `shared`) says nothing of whom its
  // children belong to.
  if (value === undefined || entry.sharedValues?.includes(value)) return undefined;
  return { value, raw, key };
}
