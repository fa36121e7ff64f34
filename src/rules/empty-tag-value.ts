import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import { RULE } from './rule-ids.js';
import type { RuleReport } from './types.js';

export const emptyTagValue = createRule({
  id: 'empty-tag-value',
  description: 'A dictionary tag is present with an empty or blank value.',
  defaultSeverity: 'warning',
  fixable: true,
  rationale:
    'An empty value attributes cost to nothing and passes naive "key exists" checks (including AWS Config\'s ' +
    'required-tags when no value is listed). The fix fills the parent\'s value or the dictionary default, when there is one.',
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.valueProblemCount === 0) return NO_REPORTS;
    let out: RuleReport[] | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      if (a.verdictAt(i)?.kind !== 'blank') continue;
      const plan = a.planOf(ctx, i);
      if (!plan) continue;
      const key = ctx.display(a.keys[i] as string);
      const raw = a.valueAt(i);
      let message = MESSAGES.emptyValue(key, raw.length > 0);
      if (plan.fill) message += plan.fill.note;
      if (plan.pii) message += MESSAGES.fixWithheld(MESSAGES.withheldPii);
      const report: RuleReport =
        plan.owner === RULE.emptyTagValue && plan.edit
          ? { message, tag: { key, value: raw }, fix: [plan.edit], data: { dictionaryKey: plan.entry.key } }
          : { message, tag: { key, value: raw }, data: { dictionaryKey: plan.entry.key } };
      (out ??= []).push(report);
    }
    return out ?? NO_REPORTS;
  },
});
