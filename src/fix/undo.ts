import { isAwsReservedKey } from '../inventory/resource.js';
import type { TagDigest } from '../rules/types.js';
import { digestId, findByDigest, sha256Hex, tagDigest, type SecretTags } from './digest.js';
import type { JournalChange, JournalRecord, ReadJournal } from './journal.js';
import { FIX_PLAN_VERSION, editKind, hasDigest, type FixPlan, type PlanEdit, type PlannedResource, type RecordedTag } from './plan.js';
import type { ResourceMask, ResourceMasker } from './mask.js';
import { copiedFromOf, type RestoreEdit } from './write-context.js';
import { foldCase, keysIgnoreCase } from './case-folding.js';

/** A resource a journal wrote to (at least one write call was sent for it), with what the fix changed on it. */
export interface UndoTarget {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  /** Its user tags just before the fix's first write (PII masked, with digest). */
  readonly before: readonly RecordedTag[];
  readonly changes: readonly JournalChange[];
  /**
   * Keys the journal's plan moved to another key on this resource (a rename, or an undo's rename back): old key →
   * new key. Undo restores the old key as a copy of the new one, so the owner API carries per-key settings back
   * (Auto Scaling's PropagateAtLaunch).
   */
  readonly moves?: ReadonlyMap<string, string>;
  /**
   * The kind of each of those moves as the fix's summary counted it (`rename-key+normalize-value`), by its old key and
   * by its new key, so that undo counts them the same way.
   */
  readonly moveKinds?: ReadonlyMap<string, string>;
}

/** The plan's key moves on each resource (see UndoTarget.moves), and their kinds (UndoTarget.moveKinds). */
function movesOf(journal: ReadJournal): Map<string, { moves: Map<string, string>; kinds: Map<string, string> }> {
  const out = new Map<string, { moves: Map<string, string>; kinds: Map<string, string> }>();
  const rec = journal.records.find((r) => r.t === 'plan');
  if (rec?.t !== 'plan') return out;
  for (const r of rec.plan.resources) {
    for (const e of r.edits) {
      const copy = copiedFromOf(e);
      if (!copy) continue;
      const of = out.get(r.arn) ?? { moves: new Map<string, string>(), kinds: new Map<string, string>() };
      of.moves.set(copy.from, copy.key);
      of.kinds.set(copy.from, editKind(e));
      of.kinds.set(copy.key, editKind(e));
      out.set(r.arn, of);
    }
  }
  return out;
}

/** Every resource the journal's run may have changed: its first `resource` record, if any call named its ARN. */
export function undoTargets(journal: ReadJournal): UndoTarget[] {
  const first = new Map<string, Extract<JournalRecord, { t: 'resource' }>>();
  const called = new Set<string>();
  for (const r of journal.records) {
    if (r.t === 'resource' && !first.has(r.arn)) first.set(r.arn, r);
    else if (r.t === 'call') for (const arn of r.arns) called.add(arn);
  }
  const moves = movesOf(journal);
  const out: UndoTarget[] = [];
  for (const [arn, r] of first) {
    if (!called.has(arn)) continue;
    const moved = moves.get(arn);
    out.push({
      arn,
      accountId: r.accountId,
      region: r.region,
      resourceType: r.resourceType,
      before: r.before,
      changes: r.changes,
      ...(moved ? { moves: moved.moves, moveKinds: moved.kinds } : {}),
    });
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
  /** Keys someone else changed after the fix: left as they are. */
  readonly leftAlone: readonly UndoNote[];
  /** Keys undo would restore but cannot (the PII vault lacks the value). */
  readonly unrestorable: readonly UndoNote[];
  /** Resources whose every changed key already holds its value from before the fix. */
  readonly alreadyOriginal: number;
  /**
   * The plan's edits counted as the fix's summary counted the edits they undo (see countUndone): a rename undone is
   * one, though it takes two edits (its old key back, its new key removed).
   */
  readonly undone: { readonly edits: number; readonly editsByType: Readonly<Record<string, number>> };
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

/** What undo does with one change the fix made. */
type ChangeOutcome =
  /** The key holds its value from before already (or is an `aws:` key): nothing to do. */
  | { readonly kind: 'original' }
  | { readonly kind: 'edit'; readonly edit: PlanEdit }
  | { readonly kind: 'left-alone'; readonly key: string; readonly reason: string }
  | { readonly kind: 'unrestorable'; readonly key: string; readonly reason: string }
  /** Nothing undo can act on (the live tag cannot be found): nothing to do, nothing to report. */
  | { readonly kind: 'none' };

/** How undo treats one change of the fix against the live tags (see planUndo). */
function undoChange(
  c: JournalChange,
  tags: Readonly<Record<string, string>>,
  secrets: SecretTags,
  mask: ResourceMask,
  recordLive: (key: string, value: string) => RecordedTag,
  moves: ReadonlyMap<string, string> | undefined,
): ChangeOutcome {
  const show = mask.display;
  const label = show((c.before ?? c.after)?.key ?? '?');
  const before = resolveSide(c.before, secrets);
  const after = resolveSide(c.after, secrets);
  const rawKey = before !== 'missing' && before.present ? before.key : after !== 'missing' && after.present ? after.key : undefined;
  if (rawKey !== undefined && isAwsReservedKey(rawKey)) return { kind: 'original' };
  if (liveMatches(tags, rawKey, c.before, c.after)) return { kind: 'original' };
  if (!liveMatches(tags, rawKey, c.after, c.before)) return { kind: 'left-alone', key: label, reason: 'changed by someone else since the fix; left as it is' };
  if (before === 'missing') return { kind: 'unrestorable', key: label, reason: 'its value from before the fix is PII and the PII vault does not hold it' };
  const liveKey = rawKey ?? (c.after && hasDigest(c.after) ? findByDigest(tags, c.after.digest) : undefined);
  if (liveKey === undefined) return { kind: 'none' };
  const current = tags[liveKey];
  // The live tag as the plan shows it: by digest when the journal recorded it so or it holds PII found here.
  const cur: RecordedTag | undefined =
    current === undefined
      ? undefined
      : c.after && hasDigest(c.after)
        ? { key: show(c.after.key), value: show(c.after.value), digest: c.after.digest }
        : recordLive(liveKey, current);
  const currentDigest = cur && hasDigest(cur) ? cur.digest : undefined;
  if (!before.present) {
    if (cur === undefined) return { kind: 'none' };
    return { kind: 'edit', edit: { op: 'remove', type: c.type, key: cur.key, expected: cur.value, ...(currentDigest ? { digest: currentDigest } : {}) } };
  }
  // The value to restore, written from the vault (by digest) when it is PII.
  let restore: RecordedTag = hasDigest(before.rec) ? { key: show(before.rec.key), value: show(before.rec.value), digest: before.rec.digest } : mask.record(before.key, before.value);
  if (hasDigest(restore) && !secrets.has(digestId(restore.digest))) {
    secrets.set(digestId(restore.digest), { key: before.key, value: before.value });
  }
  const write = hasDigest(restore) ? restore.digest : undefined;
  if (!write) restore = { key: before.key, value: before.value };
  if (cur === undefined) {
    // The old key of a rename comes back as a copy of the new key (plain keys only: a PII key is never named raw).
    const movedTo = write || hasDigest(before.rec) ? undefined : moves?.get(before.key);
    const edit: RestoreEdit = { op: 'add', type: c.type, key: restore.key, value: restore.value, ...(write ? { write } : {}), ...(movedTo !== undefined ? { copiedFrom: movedTo } : {}) };
    return { kind: 'edit', edit };
  }
  return {
    kind: 'edit',
    edit: {
      op: 'set',
      type: c.type,
      key: currentDigest ? cur.key : liveKey,
      expected: cur.value,
      value: restore.value,
      ...(currentDigest ? { digest: currentDigest } : {}),
      ...(write ? { write } : {}),
    },
  };
}

/** The sha256 of a recorded tag's raw value (from its digest when it is PII). */
function valueId(rec: RecordedTag): string {
  return hasDigest(rec) ? rec.digest.valueSha256 : sha256Hex(rec.value);
}

/**
 * The undo of a rename removes the new key only if the old key gets its value back: when the old key cannot be
 * restored (someone changed it since, or its PII is not in the vault), the new key may hold the only copy of the
 * value, so it is kept and reported. A new key is paired with the old keys of the resource's renames that held the
 * value it holds; with none (a rename that also normalised the value), with all of them.
 */
function keepRenameTargets(changes: readonly JournalChange[], outcomes: ChangeOutcome[], show: (text: string) => string): void {
  const sources = changes.flatMap((c, i) => (c.type === 'rename-key' && c.before !== null && c.after === null ? [{ rec: c.before, i }] : []));
  if (sources.length === 0) return;
  changes.forEach((c, i) => {
    const o = outcomes[i];
    if (c.type !== 'rename-key' || c.before !== null || c.after === null || o?.kind !== 'edit' || o.edit.op !== 'remove') return;
    const same = sources.filter((s) => valueId(s.rec) === valueId(c.after!));
    const lost = (same.length > 0 ? same : sources).filter((s) => {
      const kind = outcomes[s.i]?.kind;
      return kind !== 'original' && kind !== 'edit';
    });
    if (lost.length === 0) return;
    outcomes[i] = {
      kind: 'left-alone',
      key: show(c.after.key),
      reason: `kept: renamed from ${lost.map((s) => show(s.rec.key)).join(', ')}, which is not restored (removing it would lose the value)`,
    };
  });
}

/** The raw key a change names (through the vault for PII), or its recorded key when the vault lacks it. */
function rawKeyOf(rec: RecordedTag, secrets: SecretTags): string {
  return hasDigest(rec) ? (secrets.get(digestId(rec.digest))?.key ?? rec.key) : rec.key;
}

/**
 * The renames of one resource: each old key the fix removed (by index) with the new key(s) it moved to — named by the
 * journal's plan when it can be (`moves`), else the new keys that got the same value, else every new key of a rename
 * (a rename that also changed the value, in a journal whose plan does not name it): pairing too many only holds back
 * more.
 */
function renamePairs(changes: readonly JournalChange[], secrets: SecretTags, moves: ReadonlyMap<string, string> | undefined): Map<number, number[]> {
  const targets = changes.flatMap((c, j) => (c.type === 'rename-key' && c.before === null && c.after !== null ? [{ rec: c.after, j }] : []));
  const out = new Map<number, number[]>();
  if (targets.length === 0) return out;
  changes.forEach((c, i) => {
    if (c.type !== 'rename-key' || c.before === null || c.after !== null) return;
    const movedTo = moves?.get(rawKeyOf(c.before, secrets));
    const named = movedTo === undefined ? [] : targets.filter((t) => rawKeyOf(t.rec, secrets) === movedTo);
    const same = targets.filter((t) => valueId(t.rec) === valueId(c.before!));
    out.set(i, (named.length > 0 ? named : same.length > 0 ? same : targets).map((t) => t.j));
  });
  return out;
}

/**
 * A rename is undone as a unit: when its new key holds something else than the fix wrote (someone changed it since),
 * the old key is not put back beside it either — that would bring back a stale value under a second key (two cost
 * keys, a conflicting-keys finding). Nothing is lost: the new key keeps the owner's value, and the old value is in the
 * journal (shown in the reason, masked as every shown value). A new key removed since is no such change: the old key
 * then comes back alone, and no value is lost.
 */
function holdRenamesWhoseNewKeyChanged(
  changes: readonly JournalChange[],
  outcomes: ChangeOutcome[],
  pairs: ReadonlyMap<number, readonly number[]>,
  show: (text: string) => string,
): void {
  for (const [i, js] of pairs) {
    const o = outcomes[i];
    const old = changes[i]?.before;
    if (o?.kind !== 'edit' || !old) continue;
    const changed = js.filter((j) => outcomes[j]?.kind === 'left-alone' && changes[j]?.after);
    if (changed.length === 0) continue;
    const to = changed.map((j) => show(changes[j]!.after!.key)).join(', ');
    outcomes[i] = {
      kind: 'left-alone',
      key: show(old.key),
      reason: `renamed to ${to}, which was changed since the fix; the old key is not put back — its value from before the fix was "${show(old.value)}"`,
    };
  }
}

/**
 * The live tags one change of a resource whose keys ignore case (IAM users and roles) is judged against, and the
 * other spellings of its key that it holds. A case-only rename's two spellings are one tag there: each half is judged
 * without the other spelling (the unit rule above then keeps the pair together).
 */
function caseView(
  tags: Readonly<Record<string, string>>,
  rawKey: string | undefined,
  partners: readonly string[],
): { view: Readonly<Record<string, string>>; others: string[] } {
  if (rawKey === undefined) return { view: tags, others: [] };
  const view: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (!partners.includes(k)) view[k] = v;
  const folded = foldCase(rawKey);
  return { view, others: Object.keys(view).filter((k) => k !== rawKey && foldCase(k) === folded) };
}

/** The keys of each change that are the other spelling of it in a case-only rename (same key without case). */
function caseOnlyPartners(changes: readonly JournalChange[], pairs: ReadonlyMap<number, readonly number[]>, secrets: SecretTags): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const add = (i: number, key: string): void => void out.set(i, [...(out.get(i) ?? []), key]);
  for (const [i, js] of pairs) {
    const oldKey = rawKeyOf(changes[i]!.before!, secrets);
    for (const j of js) {
      const newKey = rawKeyOf(changes[j]!.after!, secrets);
      if (newKey === oldKey || foldCase(newKey) !== foldCase(oldKey)) continue;
      add(i, newKey);
      add(j, oldKey);
    }
  }
  return out;
}

/** The raw key one change is about (before the fix, else after it), when known (a PII key whose vault is gone is not). */
function changeKey(c: JournalChange, secrets: SecretTags): string | undefined {
  const rec = c.before ?? c.after;
  if (!rec || (hasDigest(rec) && !secrets.has(digestId(rec.digest)))) return undefined;
  return rawKeyOf(rec, secrets);
}

/**
 * Counts one resource's undo edits as the fix's summary counted the edits they undo, into `byType`: the changes of one
 * rename (its old key, and the new key(s) renamePairs pairs with it) are one edit, of the kind the fix's plan gave the
 * rename (`rename-key+normalize-value`); any other change is one edit of its own kind. Returns how many it counted.
 */
function countUndone(
  t: UndoTarget,
  outcomes: readonly ChangeOutcome[],
  pairs: ReadonlyMap<number, readonly number[]>,
  secrets: SecretTags,
  byType: Record<string, number>,
): number {
  const unit = t.changes.map((_, i) => i);
  for (const [i, js] of pairs) for (const j of js) if (unit[j] === j) unit[j] = i;
  const counted = new Set<number>();
  outcomes.forEach((o, i) => {
    const u = unit[i]!;
    if (o.kind !== 'edit' || counted.has(u)) return;
    counted.add(u);
    const c = t.changes[u]!;
    const rec = c.before ?? c.after;
    const kind = (c.type === 'rename-key' && rec ? t.moveKinds?.get(rawKeyOf(rec, secrets)) : undefined) ?? c.type;
    byType[kind] = (byType[kind] ?? 0) + 1;
  });
  return counted.size;
}

/**
 * Plans the undo of a journal against the live tags: every key the fix changed that still holds what the fix wrote
 * goes back to its value from before; a key that holds its old value already needs nothing; a key holding anything
 * else was changed by someone since, and is left alone (reported); so is the new key of a rename whose old key cannot
 * be restored (keepRenameTargets): undo never removes the last copy of a value. The result is an ordinary plan, so the applier
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
  const undoneByType: Record<string, number> = {};
  let undoneEdits = 0;

  for (const t of targets) {
    const tags = live.get(t.arn) ?? {};
    const mask = maskResource([...Object.entries(tags), ...rawTagsOf(t, secrets)]);
    const show = mask.display;
    // Every tag the journal recorded by digest is PII by the fix's own judgment (its dictionary, and the other tags the
    // resource had then): it stays masked here even when this run's redactor, without the vault or the tag it was
    // found beside, would not recognise it.
    const known = new Map<string, { key: string; value: string; digest: TagDigest }>();
    for (const rec of [...t.before, ...t.changes.flatMap((c) => [c.before, c.after])]) {
      if (rec && hasDigest(rec)) known.set(digestId(rec.digest), { key: rec.key, value: rec.value, digest: rec.digest });
    }
    const recordLive = (k: string, v: string): RecordedTag => {
      const masked = known.get(digestId(tagDigest(k, v)));
      return masked ? { key: show(masked.key), value: show(masked.value), digest: masked.digest } : mask.record(k, v);
    };
    const pairs = renamePairs(t.changes, secrets, t.moves);
    const ignoreCase = keysIgnoreCase(t.resourceType);
    const partners = ignoreCase ? caseOnlyPartners(t.changes, pairs, secrets) : new Map<number, string[]>();
    const outcomes = t.changes.map((c, i): ChangeOutcome => {
      if (!ignoreCase) return undoChange(c, tags, secrets, mask, recordLive, t.moves);
      // Keys that ignore case: a tag under another spelling of the key is the same tag to the service (TagRole would
      // overwrite it), so a change is not undone over it.
      const { view, others } = caseView(tags, changeKey(c, secrets), partners.get(i) ?? []);
      const o = undoChange(c, view, secrets, mask, recordLive, t.moves);
      if (o.kind !== 'edit' || others.length === 0) return o;
      return {
        kind: 'left-alone',
        key: show((c.before ?? c.after)?.key ?? '?'),
        reason: `changed by someone else since the fix: it is now spelled ${others.map(show).join(', ')}, and this resource's tag keys ignore case; left as it is`,
      };
    });
    holdRenamesWhoseNewKeyChanged(t.changes, outcomes, pairs, show);
    keepRenameTargets(t.changes, outcomes, show);
    undoneEdits += countUndone(t, outcomes, pairs, secrets, undoneByType);
    const edits: PlanEdit[] = [];
    for (const o of outcomes) {
      if (o.kind === 'edit') edits.push(o.edit);
      else if (o.kind === 'left-alone') leftAlone.push({ arn: t.arn, key: o.key, reason: o.reason });
      else if (o.kind === 'unrestorable') unrestorable.push({ arn: t.arn, key: o.key, reason: o.reason });
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
      .map((k): RecordedTag => recordLive(k, tags[k] as string));
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
  return { plan, leftAlone, unrestorable, alreadyOriginal, undone: { edits: undoneEdits, editsByType: undoneByType } };
}
