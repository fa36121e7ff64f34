import { inheritsFrom, type TagPolicy } from '../dictionary/policy.js';
import type { Resource } from '../inventory/resource.js';
import { parentKey } from '../audit/parent-key.js';
import type { PiiHit } from '../pii/detect.js';
import { isMapped, type PolicyIndex } from './policy-index.js';
import { tagsDisplay } from './tags-display.js';

/** A value a resource's parents give one of its keys. */
export interface Inherited {
  /** The parent's value, normalised when the dictionary maps it (`prod` → `production`). */
  readonly value: string;
  /** `value` as it may be shown: as the parent's own findings show it (masked by the parent's redactor). */
  readonly shown: string;
  readonly parentArn: string;
  /**
   * The value is personal data on the parent (detected in it, or masked by the parent's redactor because another of
   * its tags holds it), or on any other parent carrying it: it is never copied, only mentioned (masked).
   */
  readonly hasPii: boolean;
}

/** What one parent offers its children. */
interface Offer {
  /**
   * Each key the parent is a reference for (the key's `inherit` takes parents of its type), with its usable value,
   * or null when it has none: the key is absent, blank, invalid or ambiguous per the dictionary (the parent has its
   * own finding for that). A key whose value on the parent is one of its sharedValues is left out: a parent shared by
   * many is no reference for it, as one the key's `inherit` excludes.
   */
  readonly refs: ReadonlyMap<TagPolicy, Inherited | null>;
  /** `refs` without the nulls: what the parent gives a child that has no other parent. */
  readonly usable: ReadonlyMap<TagPolicy, Inherited>;
}

const NONE: ReadonlyMap<TagPolicy, Inherited> = new Map();
const NO_HITS: readonly PiiHit[] = Object.freeze([]);
const NO_MASK = (text: string): string => text;
const NO_OFFER: Offer = Object.freeze({ refs: new Map(), usable: NONE });

// What each parent offers, computed once per parent object and policy: children of one tuning job or domain come by
// the thousands, and each would otherwise re-read, re-validate and re-scan the same parent tags.
const OFFERS = new WeakMap<PolicyIndex, WeakMap<Resource, Offer>>();

/**
 * For each key some parent may give (see TagPolicy.inherit), the value the resource's direct parents carry: only
 * when every parent found by `lookup` that is a reference for the key carries the same usable value. One that
 * carries another value, none, or one that is unusable (see Offer) makes the value a guess, and none is given.
 * Parents not found, and parents carrying one of the key's sharedValues (no reference for it), are ignored. Nothing is given for a key whose own value on the resource is one of the
 * key's sharedValues: the resource says it is pooled, which no parent can know better.
 */
export function inheritedValues(
  index: PolicyIndex,
  resource: Resource,
  lookup: (arn: string) => Resource | undefined,
): ReadonlyMap<TagPolicy, Inherited> {
  const parentArns = resource.parentArns;
  if (!parentArns || parentArns.length === 0 || index.inheritable.length === 0) return NONE;
  let first: Offer | undefined;
  let merged: Map<TagPolicy, Inherited | null> | undefined;
  for (const arn of parentArns) {
    if (arn === resource.arn) continue;
    const parent = lookup(arn);
    // `lookup` matches SageMaker ARNs in any case: the resource naming itself in another case is no parent either.
    if (!parent || isItself(parent, resource)) continue;
    const offer = offerOf(index, parent);
    if (!first) {
      first = offer;
      continue;
    }
    if (offer === first) continue;
    merged ??= new Map(first.refs);
    for (const [entry, inh] of offer.refs) {
      const cur = merged.get(entry);
      if (cur === undefined) merged.set(entry, inh);
      else if (cur !== null && (inh === null || inh.value !== cur.value)) merged.set(entry, null);
      // One value, personal data on one of its parents (the other has no tag saying so): it is never copied.
      else if (cur !== null && inh?.hasPii === true && !cur.hasPii) merged.set(entry, inh);
    }
  }
  if (!first) return NONE;
  return withoutPooled(index, resource, merged ? usableOf(merged) : first.usable);
}

function usableOf(refs: ReadonlyMap<TagPolicy, Inherited | null>): ReadonlyMap<TagPolicy, Inherited> {
  let out: Map<TagPolicy, Inherited> | undefined;
  for (const [entry, inh] of refs) if (inh) (out ??= new Map()).set(entry, inh);
  return out ?? NONE;
}

/** `found` without the keys whose value on the resource itself is one of their sharedValues. */
function withoutPooled(index: PolicyIndex, resource: Resource, found: ReadonlyMap<TagPolicy, Inherited>): ReadonlyMap<TagPolicy, Inherited> {
  let out: Map<TagPolicy, Inherited> | undefined;
  for (const entry of found.keys()) {
    if (!entry.sharedValues) continue;
    const own = tagOf(index, resource, entry);
    const value = own && usableValue(index, entry, own.raw);
    if (value === undefined || !entry.sharedValues.includes(value)) continue;
    (out ??= new Map(found)).delete(entry);
  }
  return out ?? found;
}

function isItself(parent: Resource, resource: Resource): boolean {
  if (parent.arn === resource.arn) return true;
  return parent.arn.length === resource.arn.length && parentKey(parent.arn) === parentKey(resource.arn);
}

function offerOf(index: PolicyIndex, parent: Resource): Offer {
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

function computeOffer(index: PolicyIndex, parent: Resource): Offer {
  let refs: Map<TagPolicy, Inherited | null> | undefined;
  let usable: Map<TagPolicy, Inherited> | undefined;
  let display: ((text: string) => string) | undefined;
  for (const entry of index.inheritable) {
    if (!inheritsFrom(entry, parent.resourceType)) continue;
    refs ??= new Map();
    const found = valueOn(index, parent, entry);
    if (found === SHARED) continue;
    if (!found) {
      refs.set(entry, null);
      continue;
    }
    let hasPii = false;
    let shown = found.value;
    if (index.piiEnabled) {
      // Personal data as the parent's own audit judges it: found in the value itself, or masked by the parent's
      // redactor because another of its tags holds it ("4155552671" beside "oncall=+1 415-555-2671"). The child's
      // redactor knows neither, so the value is shown only as the parent's findings show it, and never copied.
      display ??= tagsDisplay(index, parent.tags) ?? NO_MASK;
      // The normalised value can differ from the raw one the parent carries: check both.
      const normalised = found.value !== found.raw ? index.detect(entry.key, found.value) : NO_HITS;
      shown = display(found.value);
      if (normalised.length > 0) shown = index.redactor(normalised)(shown);
      hasPii = shown !== found.value || index.facts(found.key, found.raw).pii.length > 0 || display(found.raw) !== found.raw;
    }
    const inh: Inherited = Object.freeze({ value: found.value, shown, parentArn: parent.arn, hasPii });
    refs.set(entry, inh);
    (usable ??= new Map()).set(entry, inh);
  }
  return refs ? { refs, usable: usable ?? NONE } : NO_OFFER;
}

const SHARED = 'shared';

function valueOn(
  index: PolicyIndex,
  parent: Resource,
  entry: TagPolicy,
): { value: string; raw: string; key: string } | typeof SHARED | undefined {
  const tag = tagOf(index, parent, entry);
  if (!tag) return undefined;
  const value = usableValue(index, entry, tag.raw);
  if (value === undefined) return undefined;
  // A parent shared by many (the dictionary's sharedValues: a pooled pipeline's `shared`) says nothing of whom its
  // children belong to.
  if (entry.sharedValues?.includes(value)) return SHARED;
  return { value, raw: tag.raw, key: tag.key };
}

/** The resource's tag for `entry`: under its key, else under the one deprecated or miscased name it carries. */
function tagOf(index: PolicyIndex, resource: Resource, entry: TagPolicy): { key: string; raw: string } | undefined {
  const tags = resource.tags;
  let key: string | undefined = Object.prototype.hasOwnProperty.call(tags, entry.key) ? entry.key : undefined;
  if (key === undefined) {
    for (const k in tags) {
      const cls = index.classify(k);
      if (!isMapped(cls) || cls.entry !== entry) continue;
      if (key !== undefined) return undefined;
      key = k;
    }
  }
  return key === undefined ? undefined : { key, raw: tags[key] as string };
}

/** The value as the dictionary accepts it (normalised), or undefined when it is blank, invalid or ambiguous. */
function usableValue(index: PolicyIndex, entry: TagPolicy, raw: string): string | undefined {
  const verdict = index.verdict(entry, raw);
  return verdict.kind === 'ok' ? raw : verdict.kind === 'normalize' ? verdict.to : undefined;
}
