import { isAwsReservedKey } from '../inventory/resource.js';
import type { TagDigest } from '../rules/types.js';
import { digestId, findByDigest, tagDigest, type SecretTags } from './digest.js';
import type { JournalChange, JournalRecord, ReadJournal } from './journal.js';
import { FIX_PLAN_VERSION, hasDigest, type FixPlan, type PlanEdit, type PlannedResource, type RecordedTag } from './plan.js';
import type { ResourceMasker } from './mask.js';

/** A resource a journal wrote to (at least one write call was sent for it), with what the fix changed on it. */
export interface UndoTarget {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  /** Its user tags just before the fix's first write (PII masked, with digest). */
  readonly before: readonly RecordedTag[];
  readonly changes: readonly JournalChange[];
}

/** Every resource the journal's run may have changed: its first `resource` record, if any call named its ARN. */
export function undoTargets(journal: ReadJournal): UndoTarget[] {
  const first = new Map<string, Extract<JournalRecord, { t: 'resource' }>>();
  const called = new Set<string>();
  for (const r of journal.records) {
    if (r.t === 'resource' && !first.has(r.arn)) first.set(r.arn, r);
    else if (r.t === 'call') for (const arn of r.arns) called.add(arn);
  }
  const out: UndoTarget[] = [];
  for (const [arn, r] of first) {
    if (!called.has(arn)) continue;
    out.push({ arn, accountId: r.accountId, region: r.region, resourceType: r.resourceType, before: r.before, changes: r.changes });
  }
  return out;
}

/** A key undo does not touch, and why (display text: PII masked). */
export interface UndoNote {
  readonly arn: string;
  readonly key: string;
  readonly reason: string;
}

export interface UndoPlan {
  readonly plan: FixPlan;
  /** Keys someone else changed after the fix (and, from prepareUndo, resources deleted since): left as they are. */
  readonly leftAlone: readonly UndoNote[];
  /** Keys undo would restore but cannot (the PII vault lacks the value). */
  readonly unrestorable: readonly UndoNote[];
  /** Resources whose every changed key already holds its value from before the fix. */
  readonly alreadyOriginal: number;
}

type Side = { present: false } | { present: true; key: string; value: string; rec: RecordedTag };

function resolveSide(rec: RecordedTag | null, secrets: SecretTags): Side | 'missing' {
  if (rec === null) return { present: false };
  if (!hasDigest(rec)) return { present: true, key: rec.key, value: rec.value, rec };
  const raw = secrets.get(digestId(rec.digest));
  return raw ? { present: true, key: raw.key, value: raw.value, rec } : 'missing';
}

/** Whether the live tags hold exactly this side of a change (compared by digest for PII, so no raw text is needed). */
function liveMatches(live: Readonly<Record<string, string>>, key: string | undefined, rec: RecordedTag | null, other: RecordedTag | null): boolean {
  if (rec === null) {
    // Absent: the key of the other side is not there.
    if (other === null) return true;
    if (hasDigest(other)) return findByDigest(live, other.digest) === undefined && (key === undefined || live[key] === undefined);
    return live[other.key] === undefined;
  }
  if (hasDigest(rec)) return findByDigest(live, rec.digest) !== undefined;
  return live[rec.key] === rec.value;
}

/** The raw tags a journal's records of one resource name (PII resolved through the vault where it holds them). */
function rawTagsOf(t: UndoTarget, secrets: SecretTags): [string, string][] {
  const out: [string, string][] = [];
  const add = (rec: RecordedTag | null): void => {
    if (rec === null) return;
    if (!hasDigest(rec)) out.push([rec.key, rec.value]);
    else {
      const raw = secrets.get(digestId(rec.digest));
      if (raw) out.push([raw.key, raw.value]);
    }
  };
  for (const rec of t.before) add(rec);
  for (const c of t.changes) {
    add(c.before);
    add(c.after);
  }
  return out;
}

/**
 * Plans the undo of a journal against the live tags: every key the fix changed that still holds what the fix wrote
 * goes back to its value from before; a key that holds its old value already needs nothing; a key holding anything
 * else was changed by someone since, and is left alone (reported). The result is an ordinary plan, so the applier
 * executes it with the same safety: drift check, restore-before-remove ordering, journal, vault.
 *
 * Everything the plan shows of a resource is masked with one redactor over the PII of its live tags and of the tags
 * the journal recorded (raw from the vault): a tag holding any of it is recorded by digest. A value to restore that
 * holds such PII but was journalled as plain text is restored by digest too, its raw text added to `secrets`.
 */
export function planUndo(
  targets: readonly UndoTarget[],
  live: ReadonlyMap<string, Readonly<Record<string, string>>>,
  secrets: SecretTags,
  maskResource: ResourceMasker,
  meta: { createdAt: string; toolVersion: string; dictionary: { path: string; sha256: string } },
): UndoPlan {
  const resources: PlannedResource[] = [];
  const leftAlone: UndoNote[] = [];
  const unrestorable: UndoNote[] = [];
  let alreadyOriginal = 0;

  for (const t of targets) {
    const tags = live.get(t.arn) ?? {};
    const mask = maskResource([...Object.entries(tags), ...rawTagsOf(t, secrets)]);
    const show = mask.display;
    const edits: PlanEdit[] = [];
    const known = new Map<string, { key: string; value: string; digest: TagDigest }>();
    for (const c of t.changes) {
      for (const rec of [c.before, c.after]) if (rec && hasDigest(rec)) known.set(digestId(rec.digest), { key: rec.key, value: rec.value, digest: rec.digest });
    }
    for (const c of t.changes) {
      const label = show((c.before ?? c.after)?.key ?? '?');
      const before = resolveSide(c.before, secrets);
      const after = resolveSide(c.after, secrets);
      const rawKey = before !== 'missing' && before.present ? before.key : after !== 'missing' && after.present ? after.key : undefined;
      if (rawKey !== undefined && isAwsReservedKey(rawKey)) continue;
      if (liveMatches(tags, rawKey, c.before, c.after)) continue;
      if (!liveMatches(tags, rawKey, c.after, c.before)) {
        leftAlone.push({ arn: t.arn, key: label, reason: 'changed by someone else since the fix; left as it is' });
        continue;
      }
      if (before === 'missing') {
        unrestorable.push({ arn: t.arn, key: label, reason: 'its value from before the fix is PII and the PII vault does not hold it' });
        continue;
      }
      const liveKey = rawKey ?? (c.after && hasDigest(c.after) ? findByDigest(tags, c.after.digest) : undefined);
      if (liveKey === undefined) continue;
      const current = tags[liveKey];
      // The live tag as the plan shows it: by digest when the journal recorded it so or it holds PII found here.
      const cur: RecordedTag | undefined =
        current === undefined
          ? undefined
          : c.after && hasDigest(c.after)
            ? { key: show(c.after.key), value: show(c.after.value), digest: c.after.digest }
            : mask.record(liveKey, current);
      const currentDigest = cur && hasDigest(cur) ? cur.digest : undefined;
      if (!before.present) {
        if (cur === undefined) continue;
        edits.push({ op: 'remove', type: c.type, key: cur.key, expected: cur.value, ...(currentDigest ? { digest: currentDigest } : {}) });
        continue;
      }
      // The value to restore, written from the vault (by digest) when it is PII.
      let restore: RecordedTag = hasDigest(before.rec) ? { key: show(before.rec.key), value: show(before.rec.value), digest: before.rec.digest } : mask.record(before.key, before.value);
      if (hasDigest(restore) && !secrets.has(digestId(restore.digest))) {
        secrets.set(digestId(restore.digest), { key: before.key, value: before.value });
      }
      const write = hasDigest(restore) ? restore.digest : undefined;
      if (!write) restore = { key: before.key, value: before.value };
      if (cur === undefined) {
        edits.push({ op: 'add', type: c.type, key: restore.key, value: restore.value, ...(write ? { write } : {}) });
      } else {
        edits.push({
          op: 'set',
          type: c.type,
          key: currentDigest ? cur.key : liveKey,
          expected: cur.value,
          value: restore.value,
          ...(currentDigest ? { digest: currentDigest } : {}),
          ...(write ? { write } : {}),
        });
      }
    }
    // Restores first, removals last: the applier writes in that order too (nothing is removed before it is restored).
    edits.sort((a, b) => Number(a.op === 'remove') - Number(b.op === 'remove'));
    if (edits.length === 0) {
      if (!leftAlone.some((n) => n.arn === t.arn) && !unrestorable.some((n) => n.arn === t.arn)) alreadyOriginal++;
      continue;
    }
    const expectedTags: RecordedTag[] = Object.keys(tags)
      .filter((k) => !isAwsReservedKey(k))
      .sort()
      .map((k): RecordedTag => {
        const v = tags[k] as string;
        const masked = known.get(digestId(tagDigest(k, v)));
        return masked ? { key: show(masked.key), value: show(masked.value), digest: masked.digest } : mask.record(k, v);
      });
    resources.push({ arn: t.arn, accountId: t.accountId, region: t.region, resourceType: t.resourceType, expectedTags, edits, ruleIds: ['undo'] });
  }

  const plan: FixPlan = {
    kind: 'tagaudit-fix-plan',
    version: FIX_PLAN_VERSION,
    createdAt: meta.createdAt,
    tool: { name: 'tagaudit', version: meta.toolVersion },
    dictionary: meta.dictionary,
    fixTypes: [...new Set(resources.flatMap((r) => r.edits.map((e) => e.type)))],
    resources,
    conflicts: [],
    skipped: [],
  };
  return { plan, leftAlone, unrestorable, alreadyOriginal };
}
