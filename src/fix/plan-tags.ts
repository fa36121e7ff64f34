import { parentKey } from '../audit/parent-key.js';
import { isBlank } from '../rules/policy-index.js';
import type { TagDigest } from '../rules/types.js';
import { foldCase, keysIgnoreCase } from './case-folding.js';
import { digestId, sha256Hex, tagDigest } from './digest.js';
import { hasDigest, type FixPlan, type PlanEdit, type PlannedResource, type RecordedTag } from './plan.js';
import { Invalid, type Path } from './plan-invalid.js';

/*
 * What a loaded plan's edits must agree with in its own `expectedTags` (the resource's tags when the plan was made).
 * A plan file may have been edited by hand; the planner never writes one that fails these checks, and each failure
 * is a way an applied edit would drop a value it never copied anywhere (the drift check lets the start state through,
 * so it cannot catch them). Dictionary-free: they hold whichever dictionary is in use. Messages quote no tag text
 * (these run before the checks for personal data).
 */

/**
 * A resource's expectedTags as edits name them: a plain tag by its key, a PII tag by the digest of its raw key and
 * value. Hashing is kept to what a plan needs (large plans are checked in full): one hash per PII tag, more only for
 * a PII tag whose key is masked.
 */
export class ExpectedTags {
  /** Plain tags: key → value. */
  private readonly plain = new Map<string, string>();
  /** PII tags by digest id → their entry. */
  private readonly digests = new Map<string, RecordedTag>();
  /** PII tags whose key label is the raw key (its hash is the digest's): raw key → valueSha256. */
  private readonly piiByKey = new Map<string, string>();
  /** PII tags whose key is masked: keySha256 → valueSha256. */
  private readonly maskedKeys = new Map<string, string>();
  /** Digest ids of the plain tags, built only when a digest names none of the PII tags. */
  private plainDigests: Map<string, RecordedTag> | undefined;

  /** Refuses a key listed twice (by its text, or by the digest of a PII tag's raw key): a resource holds each key once. */
  constructor(
    private readonly tags: readonly RecordedTag[],
    path: Path,
  ) {
    const firstAt = new Map<string, number>();
    const once = (id: string, j: number): void => {
      const first = firstAt.get(id);
      if (first !== undefined) throw new Invalid([...path, j, 'key'], `this key appears twice in expectedTags (also at expectedTags.${first}): a resource holds each key once`);
      firstAt.set(id, j);
    };
    tags.forEach((t, j) => {
      if (hasDigest(t)) {
        this.digests.set(digestId(t.digest), t);
        once(t.digest.keySha256, j);
        if (sha256Hex(t.key) === t.digest.keySha256) {
          once(`=${t.key}`, j);
          this.piiByKey.set(t.key, t.digest.valueSha256);
        } else {
          this.maskedKeys.set(t.digest.keySha256, t.digest.valueSha256);
        }
      } else {
        once(`=${t.key}`, j);
        this.plain.set(t.key, t.value);
      }
    });
    // A plain key may be a masked PII key's raw text (hashed only when the resource has such a key).
    if (this.maskedKeys.size > 0) tags.forEach((t, j) => !hasDigest(t) && once(sha256Hex(t.key), j));
  }

  /** The valueSha256 of the PII tag whose raw key is `key`, if any. */
  private piiValueSha(key: string): string | undefined {
    return this.piiByKey.get(key) ?? (this.maskedKeys.size > 0 ? this.maskedKeys.get(sha256Hex(key)) : undefined);
  }

  /** Whether the resource holds `key` with `value`. */
  holds(key: string, value: string): boolean {
    const plain = this.plain.get(key);
    if (plain !== undefined) return plain === value;
    const valueSha = this.piiValueSha(key);
    return valueSha !== undefined && valueSha === sha256Hex(value);
  }

  /** Whether the resource holds `key`, with any value. */
  has(key: string): boolean {
    return this.plain.has(key) || this.piiValueSha(key) !== undefined;
  }

  /** Whether the resource holds `key` with a value other than `value`. */
  holdsOther(key: string, value: string): boolean {
    const plain = this.plain.get(key);
    if (plain !== undefined) return plain !== value;
    const valueSha = this.piiValueSha(key);
    return valueSha !== undefined && valueSha !== sha256Hex(value);
  }

  /**
   * Whether a plain key other than `key` and `except` is `key` where keys ignore case (IAM), holding a value other
   * than `value` (any value when undefined).
   */
  caseTwin(key: string, except?: string, value?: string): boolean {
    const folded = foldCase(key);
    for (const [k, v] of this.plain) {
      if (k !== key && k !== except && foldCase(k) === folded && (value === undefined || v !== value)) return true;
    }
    return false;
  }

  /** The tag a digest names: a PII tag with that digest, else a plain tag whose raw key and value hash to it. */
  named(d: TagDigest): RecordedTag | undefined {
    const id = digestId(d);
    const pii = this.digests.get(id);
    if (pii) return pii;
    this.plainDigests ??= new Map(this.tags.flatMap((t) => (hasDigest(t) ? [] : [[digestId(tagDigest(t.key, t.value)), t] as const])));
    return this.plainDigests.get(id);
  }
}

/** An edit that names a tag the resource does not hold as the edit says. */
function notHeld(tags: ExpectedTags, key: string, keyField: string, path: Path): Invalid {
  return tags.has(key)
    ? new Invalid([...path, 'expected'], `"expected" is not the value the resource's expectedTags show for this key`)
    : new Invalid([...path, keyField], `"${keyField}" names no tag in the resource's expectedTags`);
}

/**
 * An edit that writes a parent's value (`inherit`, or a rename carrying one): the resource must be a child (its
 * `parentArns`), and the parent the edit names must be one of them. Whether the value is the parent's cannot be
 * checked: the plan does not carry the parent's tags (the applier re-reads only the resource).
 */
function checkInherit(e: PlanEdit, r: PlannedResource, path: Path): void {
  if (e.op === 'remove') return;
  const viaRename = e.op === 'rename' && e.valueType === 'inherit';
  if (e.type !== 'inherit' && !viaRename) return;
  const parents = r.parentArns ?? [];
  if (parents.length === 0) {
    throw new Invalid([...path, viaRename ? 'valueType' : 'type'], `this edit writes a parent's value (inherit), but the resource names no parent ("parentArns")`);
  }
  if (e.parentArn !== undefined) {
    const named = parentKey(e.parentArn);
    if (!parents.some((p) => parentKey(p) === named)) throw new Invalid([...path, 'parentArn'], `"parentArn" is not one of the resource's "parentArns"`);
  }
}

/** An edit checked against its resource's expectedTags (see the top of this file). */
function checkEditTags(e: PlanEdit, r: PlannedResource, tags: ExpectedTags, ignoreCase: boolean, path: Path): void {
  switch (e.op) {
    case 'add':
      if (tags.has(e.key) || (ignoreCase && tags.caseTwin(e.key))) {
        throw new Invalid([...path, 'key'], 'this add writes a key the resource already holds (see expectedTags): its value would be overwritten, copied nowhere');
      }
      break;
    case 'set':
      if (e.digest) {
        // Its value is then checked against no text (the edit's key and expected are masked labels).
        if (e.type !== 'pii-redact') throw new Invalid([...path, 'digest'], '"digest" names a PII tag by its hash: only a pii-redact or pii-remove edit has one');
        if (!tags.named(e.digest)) throw new Invalid([...path, 'digest'], `this ${e.type} edit's "digest" names no tag in the resource's expectedTags`);
      } else if (!tags.holds(e.key, e.expected)) throw notHeld(tags, e.key, 'key', path);
      if (e.type === 'add-default' && !isBlank(e.expected)) {
        throw new Invalid([...path, 'expected'], 'an add-default only fills a blank value: this one would overwrite a value, copied nowhere');
      }
      break;
    case 'rename':
      if (e.valueType === undefined && e.value !== e.expected) {
        throw new Invalid([...path, 'value'], 'a rename without "valueType" moves the value as it is: "value" must be "expected" (the old value would be dropped, copied nowhere)');
      }
      if (!tags.holds(e.from, e.expected)) throw notHeld(tags, e.from, 'from', path);
      if (tags.holdsOther(e.to, e.value) || (ignoreCase && tags.caseTwin(e.to, e.from, e.value))) {
        throw new Invalid([...path, 'to'], 'this rename writes onto a key that the resource\'s expectedTags show holding another value, which would be lost (the planner reports this as a conflict)');
      }
      if (e.valueType === 'add-default' && !isBlank(e.expected)) {
        throw new Invalid([...path, 'valueType'], 'an add-default only fills a blank value: this rename would replace a value, copied nowhere');
      }
      break;
    case 'remove':
      // checkEdit (plan-file.ts) admits pii-remove removals only, with a digest.
      if (e.digest) {
        if (!tags.named(e.digest)) throw new Invalid([...path, 'digest'], `this ${e.type} edit's "digest" names no tag in the resource's expectedTags`);
      } else if (!tags.holds(e.key, e.expected)) throw notHeld(tags, e.key, 'key', path);
      break;
  }
  checkInherit(e, r, path);
}

/**
 * Checks every edit of a shape-checked plan against its resource's expectedTags: each names a tag the resource holds
 * as the edit expects it (a PII edit by its digest), an add or a rename never lands on a key holding another value,
 * a rename without `valueType` keeps its value, an add-default only fills a blank value, and an inherit edit is on a
 * child. Throws Invalid at the first problem.
 */
export function checkPlanTags(plan: FixPlan): void {
  plan.resources.forEach((r, i) => {
    const path: Path = ['resources', i];
    const tags = new ExpectedTags(r.expectedTags, [...path, 'expectedTags']);
    const ignoreCase = keysIgnoreCase(r.resourceType);
    r.edits.forEach((e, j) => checkEditTags(e, r, tags, ignoreCase, [...path, 'edits', j]));
  });
}
