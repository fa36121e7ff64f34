import { defaultValueFor, type TagPolicy } from '../dictionary/policy.js';
import type { FixType, RuleContext, TagEdit } from './types.js';
import type { ResourceAnalysis } from './resource-analysis.js';
import type { Inherited } from './inheritance.js';
import { RULE, type RuleId } from './rule-ids.js';
import { MESSAGES } from './messages.js';

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
}

export function fillFor(ctx: RuleContext, a: ResourceAnalysis, entry: TagPolicy): Fill {
  const inherited: Inherited | undefined = entry.costAllocation ? a.inheritedFrom(ctx).get(entry) : undefined;
  if (inherited && !inherited.hasPii)
    return { value: inherited.value, type: 'inherit', note: MESSAGES.proposeInherit(inherited.shown, inherited.parentArn), parentArn: inherited.parentArn };
  const piiNote = inherited ? MESSAGES.inheritedPii(inherited.shown, inherited.parentArn) : '';
  const value = defaultValueFor(entry, ctx.resource.accountId);
  if (value !== undefined && value.trim() !== '') {
    const perAccount = entry.accountDefaults[ctx.resource.accountId] !== undefined;
    return { value, type: 'add-default', note: piiNote + MESSAGES.proposeDefault(value, perAccount) };
  }
  return { note: piiNote || MESSAGES.noDefault };
}

/**
 * The one edit planned for a tag that maps to a dictionary entry, and which rule's finding carries it. Several
 * rules can see something wrong with one tag (a deprecated key whose value is also an alias and differs from the
 * parent's): the planner rejects two edits on one key, so exactly one rule proposes the combined edit and the
 * others report without a fix.
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
  /** The tag's value is blank and nothing fills it: it is not renamed (that would write an empty value). */
  readonly blank?: boolean;
}

export function planTag(ctx: RuleContext, a: ResourceAnalysis, i: number): TagPlan | undefined {
  const cls = a.mapped(i);
  if (!cls) return undefined;
  const { entry } = cls;
  const key = a.keys[i] as string;
  const raw = a.valueAt(i);
  if (a.isConflicted(entry)) return { entry, target: raw, conflicted: true };
  if (a.piiAt(i).length > 0) return { entry, target: raw, conflicted: false, pii: true };

  const verdict = a.verdictAt(i);
  let target = raw;
  let valueChange: TagPlan['valueChange'];
  let valueType: FixType | undefined;
  let valueOwner: RuleId | undefined;
  let fill: Fill | undefined;
  let parentArn: string | undefined;
  if (verdict?.kind === 'blank') {
    if (a.enabled.has(RULE.emptyTagValue)) {
      fill = fillFor(ctx, a, entry);
      if (fill.value !== undefined) {
        target = fill.value;
        valueChange = 'fill';
        valueType = fill.type;
        valueOwner = RULE.emptyTagValue;
        parentArn = fill.parentArn;
      }
    }
  } else {
    if (verdict?.kind === 'normalize' && a.enabled.has(RULE.miscasedTagValue)) {
      target = verdict.to;
      valueChange = 'normalize';
      valueType = 'normalize-value';
      valueOwner = RULE.miscasedTagValue;
    }
    const inherited = entry.costAllocation && a.enabled.has(RULE.inheritedTagDrift) ? a.inheritedFrom(ctx).get(entry) : undefined;
    const settled = verdict?.kind === 'normalize' ? verdict.to : raw;
    if (inherited && !inherited.hasPii && inherited.value !== settled) {
      target = inherited.value;
      valueChange = 'inherit';
      valueType = 'inherit';
      valueOwner = RULE.inheritedTagDrift;
      parentArn = inherited.parentArn;
    }
  }

  if (cls.kind !== 'canonical') {
    const renameOwner = cls.kind === 'alias' ? RULE.deprecatedTagKey : RULE.miscasedTagKey;
    // Renaming an empty value would only move it: the fixer never writes one.
    if (target.trim() === '') return { entry, target, fill, conflicted: false, blank: true };
    if (a.enabled.has(renameOwner)) {
      const edit: TagEdit = { op: 'rename', type: 'rename-key', from: key, to: entry.key, expected: raw, value: target };
      return { entry, target, valueChange, parentArn, fill, owner: renameOwner, edit, conflicted: false };
    }
  }
  if (valueOwner && valueType && target !== raw) {
    const edit: TagEdit = { op: 'set', type: valueType, key, expected: raw, value: target };
    return { entry, target, valueChange, parentArn, fill, owner: valueOwner, edit, conflicted: false };
  }
  return { entry, target: raw, fill, conflicted: false };
}
