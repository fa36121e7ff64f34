import { setTag } from '../inventory/resource.js';
import type { FixType, TagDigest } from '../rules/types.js';
import { caseOnlyOldSpellings, foldCase } from './case-folding.js';
import { digestId, findByDigest, tagDigest, type SecretTags } from './digest.js';
import { NO_PII, type ResourceMask } from './mask.js';
import { hasDigest, type PlannedResource, type RecordedTag } from './plan.js';

/** One key the plan changes, raw (in memory only): its value before the plan (S0) and after it (S2). */
export interface RawChange {
  /** The kind of edit that makes this change. */
  readonly type: FixType;
  readonly key: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
}

/** A plan's edits on one resource, resolved to raw keys against the resource's live tags. */
export interface ResolvedEdits {
  /** Written first (TagResources / AddTags): new keys of renames, adds, sets. */
  readonly writes: Readonly<Record<string, string>>;
  /** Removed second, only once every write succeeded (UntagResources / DeleteTags): old keys of renames, PII. */
  readonly removes: readonly string[];
  /**
   * Of `removes`, the old spellings of case-only renames where keys ignore case (IAM): removed right before the write
   * of their new spelling instead, never in the removal phase (see case-folding.ts).
   */
  readonly removeFirst: readonly string[];
  readonly changes: readonly RawChange[];
}

export type Classification =
  /** Live tags are the plan's start (or part-way through it): run `phase` 1 (writes, then removes) or 2 (removes). */
  | { readonly state: 'pending'; readonly phase: 1 | 2; readonly edits: ResolvedEdits }
  /** Live tags already are the plan's end state. */
  | { readonly state: 'done'; readonly edits: ResolvedEdits }
  /** Live tags are neither: someone else changed the resource; never overwrite it. */
  | { readonly state: 'drifted'; readonly reason: string };

/** Display form of every PII tag a plan resource mentions, by digest id (masked key and value). */
export function maskIndex(planned: PlannedResource): Map<string, { key: string; value: string; digest: TagDigest }> {
  const index = new Map<string, { key: string; value: string; digest: TagDigest }>();
  for (const t of planned.expectedTags) if (hasDigest(t)) index.set(digestId(t.digest), { key: t.key, value: t.value, digest: t.digest });
  for (const e of planned.edits) {
    if ((e.op === 'set' || e.op === 'remove') && e.digest) index.set(digestId(e.digest), { key: e.key, value: e.expected, digest: e.digest });
    if ((e.op === 'add' || e.op === 'set') && e.write) index.set(digestId(e.write), { key: e.key, value: e.value, digest: e.write });
  }
  return index;
}

/**
 * Records a raw tag the way plans and journals may hold it: masked with its digest when the plan names it as PII
 * (`masks`) or when it holds PII found on the resource (`mask`: the resource's one redactor).
 */
export function recordTag(
  key: string,
  value: string,
  masks: ReadonlyMap<string, { key: string; value: string; digest: TagDigest }>,
  mask: ResourceMask = NO_PII,
): RecordedTag {
  const masked = masks.size === 0 ? undefined : masks.get(digestId(tagDigest(key, value)));
  if (masked) return { key: mask.display(masked.key), value: mask.display(masked.value), digest: masked.digest };
  return mask.record(key, value);
}

function fail(reason: string): Classification {
  return { state: 'drifted', reason };
}

interface Change extends RawChange {
  /** How the key may be shown: the raw key, or its mask when the tag is PII. */
  readonly label: string;
}

/**
 * Resolves a planned resource against its live user tags and says where it stands. Accepted live states are exactly
 * those this plan can produce: the start, the end, and any mix where each changed key holds its start or end value
 * and no key was removed before every write landed. Anything else is drift. Reasons never show a raw PII key or any
 * value, and never name a key the plan does not know (it could be PII).
 */
export function classify(planned: PlannedResource, live: Readonly<Record<string, string>>, secrets: SecretTags): Classification {
  const writes: Record<string, string> = {};
  const removes: string[] = [];
  const changes: Change[] = [];
  const touchedKeys = new Set<string>();
  // Digests of PII tags an edit addresses: they are accounted for by the edit, not by the untouched-tag check.
  const editDigests = new Set<string>();

  const resolveExisting = (digest: TagDigest): { key: string; value: string } | undefined => {
    const liveKey = findByDigest(live, digest);
    if (liveKey !== undefined) return { key: liveKey, value: live[liveKey] as string };
    return secrets.get(digestId(digest));
  };

  for (const e of planned.edits) {
    switch (e.op) {
      case 'add':
      case 'set': {
        let key = e.key;
        let value = e.value;
        let label = e.key;
        if (e.write) {
          const raw = secrets.get(digestId(e.write));
          if (!raw) return fail(`the raw text of PII tag ${e.key}, needed to restore it, is not in the PII vault`);
          key = raw.key;
          value = raw.value;
        }
        let before: string | undefined;
        if (e.op === 'set') {
          if (e.digest) {
            editDigests.add(digestId(e.digest));
            const raw = resolveExisting(e.digest);
            if (!raw) {
              // The PII tag is gone: the edit is complete if its key now holds the planned value, else drift.
              if (live[e.key] === e.value) {
                touchedKeys.add(e.key);
                continue;
              }
              return fail(`PII tag ${e.key} changed or was removed since the plan`);
            }
            key = raw.key;
            before = raw.value;
          } else {
            before = e.expected;
          }
        }
        if (e.write) label = e.key;
        setTag(writes, key, value);
        changes.push({ type: e.type, key, before, after: value, label });
        touchedKeys.add(key);
        break;
      }
      case 'rename': {
        setTag(writes, e.to, e.value);
        changes.push({ type: e.type, key: e.to, before: undefined, after: e.value, label: e.to });
        changes.push({ type: e.type, key: e.from, before: e.expected, after: undefined, label: e.from });
        removes.push(e.from);
        touchedKeys.add(e.to);
        touchedKeys.add(e.from);
        break;
      }
      case 'remove': {
        if (e.digest) {
          editDigests.add(digestId(e.digest));
          const raw = resolveExisting(e.digest);
          if (!raw) continue; // already removed
          changes.push({ type: e.type, key: raw.key, before: raw.value, after: undefined, label: e.key });
          removes.push(raw.key);
          touchedKeys.add(raw.key);
        } else {
          changes.push({ type: e.type, key: e.key, before: e.expected, after: undefined, label: e.key });
          removes.push(e.key);
          touchedKeys.add(e.key);
        }
        break;
      }
    }
  }

  // Keys the plan writes that already held a value at the start (a rename onto an equal value).
  const startValue = new Map<string, string>();
  for (const t of planned.expectedTags) if (!hasDigest(t)) startValue.set(t.key, t.value);
  const resolvedChanges: Change[] = changes.map((c) =>
    c.before === undefined && startValue.has(c.key) ? { ...c, before: startValue.get(c.key) } : c,
  );

  // Untouched tags must be exactly as planned, and no tag may have appeared.
  const accounted = new Set<string>(touchedKeys);
  for (const t of planned.expectedTags) {
    if (hasDigest(t)) {
      if (editDigests.has(digestId(t.digest))) continue;
      const liveKey = findByDigest(live, t.digest);
      if (liveKey === undefined) return fail(`PII tag ${t.key} changed or was removed since the plan`);
      accounted.add(liveKey);
      continue;
    }
    if (touchedKeys.has(t.key)) continue;
    const now = live[t.key];
    if (now === undefined) return fail(`tag ${t.key} was removed since the plan`);
    if (now !== t.value) return fail(`the value of tag ${t.key} changed since the plan`);
    accounted.add(t.key);
  }
  const added = Object.keys(live).filter((k) => !accounted.has(k)).length;
  if (added > 0) return fail(`${added} tag${added === 1 ? ' was' : 's were'} added since the plan`);

  // Each changed key holds its start or its end value.
  let allWritten = true;
  const removed: string[] = [];
  const unwritten: string[] = [];
  for (const c of resolvedChanges) {
    const now = live[c.key];
    if (c.after !== undefined) {
      if (now === c.after) continue;
      if (now === c.before) {
        allWritten = false;
        unwritten.push(c.key);
        continue;
      }
      return fail(`tag ${c.label} holds neither its planned start nor its planned end value`);
    }
    if (now === undefined) {
      removed.push(c.key);
      continue;
    }
    if (now !== c.before) return fail(`tag ${c.label} holds neither its planned start nor its planned end value`);
  }
  // A case-only rename removes the old spelling before writing the new one: the old spelling gone with the new one
  // not yet written is that rename's first half, which a re-run finishes.
  const uniqueRemoves = [...new Set(removes)];
  const removeFirst = caseOnlyOldSpellings(planned.resourceType, writes, uniqueRemoves);
  const caseOnlyFirstHalf = (key: string): boolean => removeFirst.includes(key) && unwritten.some((w) => foldCase(w) === foldCase(key));
  if (removed.some((k) => !caseOnlyFirstHalf(k)) && !allWritten)
    return fail('a key the plan removes is gone while a key it writes is not yet written');

  const edits: ResolvedEdits = {
    writes,
    removes: uniqueRemoves,
    removeFirst,
    changes: resolvedChanges.map(({ type, key, before, after }) => ({ type, key, before, after })),
  };
  const pendingRemoves = edits.removes.some((k) => live[k] !== undefined);
  if (allWritten && !pendingRemoves) return { state: 'done', edits };
  return { state: 'pending', phase: allWritten ? 2 : 1, edits };
}
