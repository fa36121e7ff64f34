import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { renameReport } from './key-rename-report.js';
import { MESSAGES } from './messages.js';
import { RULE } from './rule-ids.js';
import type { RuleReport } from './types.js';

export const deprecatedTagKey = createRule({
  id: 'deprecated-tag-key',
  description: 'A tag key is a deprecated alias of a dictionary key.',
  defaultSeverity: 'warning',
  fixable: true,
  rationale:
    'The dictionary lists the old names people still type (Environment, CostCenter) so they can be moved to the ' +
    'canonical key; until they are, reports and policies keyed on the canonical name miss these resources. The fix ' +
    'renames the key (normalising the value when the dictionary maps it).',
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.variantCount === 0) return NO_REPORTS;
    let out: RuleReport[] | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      const cls = a.classAt(i);
      if (cls?.kind !== 'alias') continue;
      const message = MESSAGES.deprecatedKey(ctx.display(a.keys[i] as string), cls.entry.key);
      const report = renameReport(ctx, a, i, RULE.deprecatedTagKey, message);
      if (report) (out ??= []).push(report);
    }
    return out ?? NO_REPORTS;
  },
});
