import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { fillFor } from './tag-plan.js';
import { MESSAGES } from './messages.js';
import type { RuleReport } from './types.js';

export const missingTag = createRule({
  id: 'missing-tag',
  description: 'A tag the dictionary makes mandatory for this resource type is absent.',
  defaultSeverity: 'error',
  fixable: true,
  rationale:
    'Mandatory keys are what cost reports, access policies and automation group resources by; a resource without one ' +
    'falls into "untagged" in Cost Explorer. The fix adds the value the resource\'s parents carry (for keys inherited ' +
    'from them: by default the cost-allocation keys) or the dictionary\'s per-account or global default; with neither, nothing is guessed.',
  check(ctx) {
    const a = analysisOf(ctx);
    const mandatory = a.index.mandatoryFor(ctx.resource.resourceType);
    if (mandatory.length === 0) return NO_REPORTS;
    let out: RuleReport[] | undefined;
    for (const entry of mandatory) {
      // Present under a deprecated or miscased name counts: the rename fixes it.
      if (a.has(entry)) continue;
      const fill = fillFor(ctx, a, entry);
      const message = MESSAGES.missingTag(entry.key, ctx.resource.resourceType, entry.mandatory !== true) + fill.note;
      const report: RuleReport =
        fill.value !== undefined && fill.type
          ? {
              message,
              tag: { key: entry.key },
              fix: [{ op: 'add', type: fill.type, key: entry.key, value: fill.value }],
              // The parent copied from, for the plan to name (a resource can have several).
              data: fill.parentArn !== undefined ? { dictionaryKey: entry.key, parentArn: fill.parentArn } : { dictionaryKey: entry.key },
            }
          : { message, tag: { key: entry.key }, data: { dictionaryKey: entry.key }, ...(fill.withheld !== undefined ? { withheld: fill.withheld } : {}) };
      (out ??= []).push(report);
    }
    return out ?? NO_REPORTS;
  },
});
