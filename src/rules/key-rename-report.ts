import type { RuleContext, RuleReport } from './types.js';
import type { ResourceAnalysis } from './resource-analysis.js';
import type { RuleId } from './rule-ids.js';
import { MESSAGES } from './messages.js';

/**
 * The report for a tag whose key should be renamed to its dictionary key (shared by miscased-tag-key and
 * deprecated-tag-key): the rename carries the value the tag should end up with, unless another tag means the
 * same key (then renaming would overwrite it, and conflicting-tag-keys reports the pair).
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
  if (plan.blank) return { message: message + MESSAGES.fixWithheld(MESSAGES.withheldEmpty), tag, data };
  if (plan.owner !== ruleId || !plan.edit) return { message, tag, data };
  const valueNote = plan.target !== raw ? MESSAGES.renameValueToo(ctx.display(raw), ctx.display(plan.target)) : '';
  return { message: message + valueNote, tag, fix: [plan.edit], data };
}
