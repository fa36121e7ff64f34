import type { RuleContext, RuleReport } from './types.js';
import type { ResourceAnalysis } from './resource-analysis.js';
import { RULE, type RuleId } from './rule-ids.js';
import { MESSAGES } from './messages.js';

/**
 * The report for a tag whose key should be renamed to its dictionary key (shared by miscased-tag-key and
 * deprecated-tag-key): the rename carries the value the tag should end up with, unless another tag means the
 * same key (then renaming would overwrite it, and conflicting-tag-keys reports the pair). A rename that cannot be
 * made says why, and where the value is fixed in place instead; one that keeps a value the dictionary rejects says so.
 */
export function renameReport(ctx: RuleContext, a: ResourceAnalysis, i: number, ruleId: RuleId, message: string): RuleReport | undefined {
  const plan = a.planOf(ctx, i);
  if (!plan) return undefined;
  const raw = a.valueAt(i);
  // Raw, like every rule's report: the engine masks what it shows and fingerprints the key.
  const tag = { key: a.keys[i] as string, value: raw };
  const data = { dictionaryKey: plan.entry.key };
  if (plan.conflicted) return { message: message + MESSAGES.renameWithheldConflict(plan.entry.key), tag, data };
  if (plan.pii) return { message: message + MESSAGES.fixWithheld(MESSAGES.withheldPii), tag, data };
  if (plan.blank !== undefined) return { message: message + MESSAGES.fixWithheld(plan.blank), tag, data };
  if (plan.renameWithheld !== undefined) {
    const inPlace = plan.edit && plan.owner ? MESSAGES.valueFixedInPlace(plan.owner) : '';
    // `withheld`: the fixer lists the rename as skipped (`tag-limit` when no tag slot is left for it).
    return { message: message + MESSAGES.fixWithheld(plan.renameWithheld) + inPlace, tag, data, withheld: plan.renameWithheld };
  }
  // Not this rule's edit: the rule is off or suppressed for this tag (the engine drops this report).
  if (plan.owner !== ruleId || !plan.edit) return { message, tag, data };
  return { message: message + valueNote(ctx, a, i, plan.target), tag, fix: [plan.edit], data };
}

/** What the rename does to the value: changes it, or keeps one that still needs a person's attention. */
function valueNote(ctx: RuleContext, a: ResourceAnalysis, i: number, target: string): string {
  const raw = a.valueAt(i);
  if (target !== raw) return MESSAGES.renameValueToo(ctx.display(raw), ctx.display(target));
  const verdict = a.verdictAt(i)?.kind;
  if (verdict === 'invalid' && a.enabled.has(RULE.invalidTagValue)) return MESSAGES.renameKeepsInvalidValue(ctx.display(raw));
  if (verdict === 'ambiguous' && a.enabled.has(RULE.miscasedTagValue)) return MESSAGES.renameKeepsAmbiguousValue(ctx.display(raw));
  return '';
}
