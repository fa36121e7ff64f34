import { defaultValueFor, hasAccountDefaults, type TagPolicy } from '../dictionary/policy.js';
import { suppressionOf } from '../dictionary/suppression.js';
import type { FixType, RuleContext, TagEdit, ValueFixType } from './types.js';
import type { ResourceAnalysis } from './resource-analysis.js';
import type { Inherited } from './inheritance.js';
import { RULE, type RuleId } from './rule-ids.js';
import { MESSAGES } from './messages.js';
import { withheldReason } from './edit-guard.js';
import { newKeysOf, TagSlots } from './tag-slots.js';
import { finishedJobState } from './finished-jobs.js';

/**
 * The value a dictionary key should get on this resource when it is absent or blank: the parents' value (when
 * they agree and it holds no PII), else the account's or the dictionary's default. Never a guess.
 */
export interface Fill {
  readonly value?: string;
  readonly type?: Extract<FixType, 'inherit' | 'add-default'>;
  /** Message tail explaining the proposal (or why there is none). */
  readonly note: string;
  readonly parentArn?: string;
  /** A value exists but is not proposed, and why (the engine would withhold the edit, or no tag slot is left for it). */
  readonly withheld?: string;
}

/**
 * The fill for `entry`: for the blank tag at position `at`, a `set` of its value; without `at` (the key is absent,
 * as missing-tag reports it), an `add`, which also needs a free tag slot. A fill the engine would withhold (see
 * edit-guard.ts), or an add that gets no slot, is reported as not proposed — so that no message says "proposed" for
 * an edit no finding carries.
 */
export function fillFor(ctx: RuleContext, a: ResourceAnalysis, entry: TagPolicy, at?: number): Fill {
  const { fill, lead } = proposedFill(ctx, a, entry);
  if (fill.value === undefined || fill.type === undefined) return fill;
  const edit: TagEdit =
    at === undefined
      ? { op: 'add', type: fill.type, key: entry.key, value: fill.value }
      : { op: 'set', type: fill.type, key: a.keys[at] as string, expected: a.valueAt(at), value: fill.value };
  let withheld = withheldReason(edit, a.piiTagCount, a.display);
  if (!withheld && at === undefined) {
    const room = roomOf(ctx, a);
    if (!room.addFits(entry)) withheld = room.reason;
  }
  return withheld ? { note: lead + MESSAGES.fixWithheld(withheld), withheld } : fill;
}

/** The fill the dictionary and the parents give, before any guard; `lead` is the note's part about a parent's PII. */
function proposedFill(ctx: RuleContext, a: ResourceAnalysis, entry: TagPolicy): { fill: Fill; lead: string } {
  const inherited: Inherited | undefined = a.inheritedFrom(ctx).get(entry);
  if (inherited && !inherited.hasPii) {
    const note = MESSAGES.proposeInherit(inherited.shown, inherited.parentArn);
    return { fill: { value: inherited.value, type: 'inherit', note, parentArn: inherited.parentArn }, lead: '' };
  }
  const lead = inherited ? MESSAGES.inheritedPii(inherited.shown, inherited.parentArn) : '';
  const value = defaultValueFor(entry, ctx.resource.accountId);
  if (value !== undefined && value.trim() !== '') {
    const perAccount = entry.accountDefaults[ctx.resource.accountId] !== undefined;
    return { fill: { value, type: 'add-default', note: lead + MESSAGES.proposeDefault(value, perAccount) }, lead };
  }
  const none = ctx.resource.accountId === '' && hasAccountDefaults(entry) ? MESSAGES.noDefaultUnknownAccount : MESSAGES.noDefault;
  return { fill: { note: lead || none }, lead };
}

/**
 * The one edit planned for a tag that maps to a dictionary entry, and which rule's finding carries it. Several
 * rules can see something wrong with one tag (a deprecated key whose value is also an alias and differs from the
 * parent's): the planner rejects two edits on one key, so exactly one rule proposes the combined edit and the
 * others report without a fix.
 *
 * A rule only carries or contributes to an edit where its finding will be reported: it is enabled and no dictionary
 * suppression covers it for this tag. So when the rename's rule is suppressed ("this key's migration is scheduled"),
 * off, or the rename cannot be made (no free tag slot, or the engine would withhold it), the value is still fixed, by
 * a `set` under the old key that the value's own rule carries.
 */
export interface TagPlan {
  readonly entry: TagPolicy;
  /** The value the tag should end up with (equal to the current value when nothing changes it). */
  readonly target: string;
  /** Why the value changes, when it does. */
  readonly valueChange?: 'fill' | 'normalize' | 'inherit';
  /** The inherited value's parent, when the change copies it. */
  readonly parentArn?: string;
  readonly fill?: Fill;
  readonly owner?: RuleId;
  readonly edit?: TagEdit;
  /** Another tag on this resource means the same entry: nothing is renamed or rewritten. */
  readonly conflicted: boolean;
  /** The tag holds PII: it is never renamed or rewritten (that would copy the PII); pii-in-tag offers removal. */
  readonly pii?: boolean;
  /** The tag's value is blank and nothing fills it: it is not renamed (that would write an empty value). Why. */
  readonly blank?: string;
  /** The key's rule reports it but its rename is not proposed, and why (`edit`, when present, fixes the value in place). */
  readonly renameWithheld?: string;
}

export function planTag(ctx: RuleContext, a: ResourceAnalysis, i: number): TagPlan | undefined {
  const plan = basePlan(ctx, a, i);
  if (plan?.edit?.op !== 'rename') return plan;
  const room = roomOf(ctx, a);
  return room.renameFits(i) ? plan : basePlan(ctx, a, i, room.reason);
}

/** The plan before the 50-tag budget; `renameBlocked` (a reason) keeps the key where it is. */
function basePlan(ctx: RuleContext, a: ResourceAnalysis, i: number, renameBlocked?: string): TagPlan | undefined {
  const cls = a.mapped(i);
  if (!cls) return undefined;
  const { entry } = cls;
  const key = a.keys[i] as string;
  const raw = a.valueAt(i);
  if (a.isConflicted(entry)) return { entry, target: raw, conflicted: true };
  if (a.piiAt(i).length > 0) return { entry, target: raw, conflicted: false, pii: true };
  const active = (ruleId: RuleId): boolean => isActive(a, ruleId, key, entry);

  const verdict = a.verdictAt(i);
  let target = raw;
  let valueChange: TagPlan['valueChange'];
  let valueType: ValueFixType | undefined;
  let valueOwner: RuleId | undefined;
  let fill: Fill | undefined;
  let parentArn: string | undefined;
  let unfilled: string | undefined;
  /** The value change before the parent's value replaced it (a rename keeps it on a finished job: see below). */
  let kept: { target: string; valueChange: TagPlan['valueChange']; valueType: ValueFixType | undefined } | undefined;
  if (verdict?.kind === 'blank') {
    if (active(RULE.emptyTagValue)) {
      fill = fillFor(ctx, a, entry, i);
      if (fill.value !== undefined && fill.type !== undefined) {
        target = fill.value;
        valueChange = 'fill';
        valueType = fill.type;
        valueOwner = RULE.emptyTagValue;
        parentArn = fill.parentArn;
      } else if (fill.withheld) unfilled = MESSAGES.withheldEmptyFill(fill.withheld);
    } else unfilled = MESSAGES.withheldEmptyUnfilled(a.enabled.has(RULE.emptyTagValue) ? 'suppressed' : 'off');
  } else {
    if (verdict?.kind === 'normalize' && active(RULE.miscasedTagValue)) {
      target = verdict.to;
      valueChange = 'normalize';
      valueType = 'normalize-value';
      valueOwner = RULE.miscasedTagValue;
    }
    const inherited = active(RULE.inheritedTagDrift) ? a.inheritedFrom(ctx).get(entry) : undefined;
    const settled = verdict?.kind === 'normalize' ? verdict.to : raw;
    if (inherited && !inherited.hasPii && inherited.value !== settled) {
      kept = { target, valueChange, valueType };
      target = inherited.value;
      valueChange = 'inherit';
      valueType = 'inherit';
      valueOwner = RULE.inheritedTagDrift;
      parentArn = inherited.parentArn;
    }
  }

  let renameWithheld: string | undefined;
  if (cls.kind !== 'canonical') {
    const renameOwner = cls.kind === 'alias' ? RULE.deprecatedTagKey : RULE.miscasedTagKey;
    if (active(renameOwner)) {
      // Renaming an empty value would only move it: the fixer never writes one.
      if (target.trim() === '') return { entry, target, fill, conflicted: false, blank: unfilled ?? MESSAGES.withheldEmpty };
      renameWithheld = renameBlocked;
      if (!renameWithheld) {
        // On a finished job's cost-allocation key a rename never carries the parent's value over the job's own: the
        // fixer would keep the value (finished-jobs.ts), so the finding proposes what is planned. inherited-tag-drift
        // then reports the difference without a fix, and the planner lists it as skipped (finished-job).
        const keep = kept && entry.costAllocation && finishedJobState(ctx.resource) !== undefined ? kept : undefined;
        const moved = keep ?? { target, valueChange, valueType };
        const edit: TagEdit = {
          op: 'rename',
          type: 'rename-key',
          from: key,
          to: entry.key,
          expected: raw,
          value: moved.target,
          ...(moved.valueType !== undefined && moved.target !== raw ? { valueType: moved.valueType } : {}),
        };
        renameWithheld = withheldReason(edit, a.piiTagCount, a.display);
        if (!renameWithheld) {
          const { target: to, valueChange: change } = moved;
          return { entry, target: to, valueChange: change, ...(keep ? {} : { parentArn }), fill, owner: renameOwner, edit, conflicted: false };
        }
      }
    }
  }
  const withheld = renameWithheld !== undefined ? { renameWithheld } : {};
  if (valueOwner && valueType && target !== raw) {
    const edit: TagEdit = { op: 'set', type: valueType, key, expected: raw, value: target };
    return { entry, target, valueChange, parentArn, fill, owner: valueOwner, edit, conflicted: false, ...withheld };
  }
  return { entry, target: raw, fill, conflicted: false, ...withheld };
}

/**
 * Whether `ruleId`'s finding about this tag will be reported: the rule is enabled and no dictionary suppression
 * covers it (matched as the engine matches the rule's report: the tag key and the dictionary key it stands for).
 */
function isActive(a: ResourceAnalysis, ruleId: RuleId, tagKey: string, entry: TagPolicy): boolean {
  if (!a.enabled.has(ruleId)) return false;
  const suppressions = a.index.policy.suppressions;
  return suppressions.length === 0 || suppressionOf(suppressions, { ruleId, resource: a.resource, tagKey, dictionaryKey: entry.key }) < 0;
}

/** Which renames and adds get one of the resource's free user-tag slots (a rename holds one until the fix has run). */
interface Room {
  renameFits(i: number): boolean;
  addFits(entry: TagPolicy): boolean;
  /** Why a rename or add that does not fit is not proposed. */
  readonly reason: string;
}

const ROOMY: Room = Object.freeze({ renameFits: () => true, addFits: () => true, reason: '' });
const ROOMS = new WeakMap<ResourceAnalysis, Room>();

/**
 * The 50-tag budget, counted with TagSlots as the engine counts it and handed out in the engine's order (engine.ts,
 * auditOne and Finisher): renames first — miscased-tag-key's findings, then deprecated-tag-key's, each in key
 * order — then missing-tag's adds, in the dictionary's order. Deciding it here, before the rules word their findings, keeps every finding of the resource
 * consistent (a value finding does not count on a rename the engine then drops); the engine's own count stays the
 * guard. inherited-tag-drift's adds come last, so they never take a slot counted here. Only a resource near the
 * limit pays for the walk.
 */
function roomOf(ctx: RuleContext, a: ResourceAnalysis): Room {
  const slots = new TagSlots(a.userTagCount);
  const mandatory = a.index.mandatoryFor(ctx.resource.resourceType);
  if (slots.fits(a.variantCount + mandatory.length)) return ROOMY;
  const known = ROOMS.get(a);
  if (known) return known;
  const renames = new Set<number>();
  const adds = new Set<TagPolicy>();
  // In key order, not the order the tags came in: AWS lists them in no set order, and a live scan and an inventory
  // of the same tags must pick the same renames.
  const byKey = a.keys.map((_, i) => i).sort((x, y) => compareKeys(a.keys[x] as string, a.keys[y] as string));
  for (const deprecated of [false, true]) {
    for (const i of byKey) {
      if (!slots.fits(1)) break;
      const kind = a.classAt(i)?.kind;
      if (deprecated ? kind !== 'alias' : kind !== 'miscased' && kind !== 'last-segment') continue;
      const edit = basePlan(ctx, a, i)?.edit;
      if (edit?.op !== 'rename') continue;
      if (slots.take(newKeysOf([edit]))) renames.add(i);
    }
  }
  for (const entry of mandatory) {
    if (!slots.fits(1)) break;
    if (a.has(entry) || !isActive(a, RULE.missingTag, entry.key, entry)) continue;
    const { fill } = proposedFill(ctx, a, entry);
    if (fill.value === undefined || fill.type === undefined) continue;
    const edit: TagEdit = { op: 'add', type: fill.type, key: entry.key, value: fill.value };
    if (withheldReason(edit, a.piiTagCount, a.display)) continue;
    if (slots.take(newKeysOf([edit]))) adds.add(entry);
  }
  const room: Room = { renameFits: (i) => renames.has(i), addFits: (entry) => adds.has(entry), reason: slots.reason };
  ROOMS.set(a, room);
  return room;
}

/** Code-unit order, the same in every locale. */
function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
