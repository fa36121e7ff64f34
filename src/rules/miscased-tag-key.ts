import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { renameReport } from './key-rename-report.js';
import { MESSAGES } from './messages.js';
import { RULE } from './rule-ids.js';
import type { RuleReport } from './types.js';

export const miscasedTagKey = createRule({
  id: 'miscased-tag-key',
  description: 'A tag key differs from a dictionary key or alias only in case or separators, or names the last segment of one namespaced key.',
  defaultSeverity: 'warning',
  fixable: true,
  rationale:
    'Tag keys are case-sensitive: CostCenter, cost_center and COST-CENTER are three different tags, so Cost Explorer and ' +
    'tag-based IAM conditions see three groups where there should be one. The fix renames the key to the dictionary key ' +
    '(normalising the value on the way when the dictionary maps it).',
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.variantCount === 0) return NO_REPORTS;
    let out: RuleReport[] | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      const cls = a.classAt(i);
      if (!cls || (cls.kind !== 'miscased' && cls.kind !== 'last-segment')) continue;
      const key = ctx.display(a.keys[i] as string);
      const message =
        cls.kind === 'miscased' ? MESSAGES.miscasedKey(key, cls.matched, cls.entry.key) : MESSAGES.lastSegmentKey(key, cls.entry.key);
      const report = renameReport(ctx, a, i, RULE.miscasedTagKey, message);
      if (report) (out ??= []).push(report);
    }
    return out ?? NO_REPORTS;
  },
});
