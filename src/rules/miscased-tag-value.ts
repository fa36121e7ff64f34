import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import { RULE } from './rule-ids.js';
import type { RuleReport } from './types.js';

export const miscasedTagValue = createRule({
  id: 'miscased-tag-value',
  description: 'A tag value is an allowed value written in another case or spacing, or a deprecated alias of an allowed value.',
  defaultSeverity: 'warning',
  fixable: true,
  rationale:
    'Tag values are case-sensitive: "Production", "production " and "prod" are three cost groups for one environment. ' +
    "The fix rewrites the value to the dictionary's canonical spelling; a value that matches several allowed values " +
    'once case is ignored is reported without a fix.',
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.valueProblemCount === 0) return NO_REPORTS;
    let out: RuleReport[] | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      const verdict = a.verdictAt(i);
      if (verdict?.kind !== 'normalize' && verdict?.kind !== 'ambiguous') continue;
      const cls = a.mapped(i);
      if (!cls) continue;
      const key = ctx.display(a.keys[i] as string);
      const raw = a.valueAt(i);
      const shown = ctx.display(raw);
      const tag = { key, value: raw };
      if (verdict.kind === 'ambiguous') {
        const data = { dictionaryKey: cls.entry.key, candidates: verdict.candidates };
        (out ??= []).push({ message: MESSAGES.ambiguousValue(shown, key, verdict.candidates), tag, data });
        continue;
      }
      const data = { dictionaryKey: cls.entry.key, canonicalValue: verdict.to };
      let message =
        verdict.reason === 'alias' ? MESSAGES.aliasedValue(shown, key, verdict.to) : MESSAGES.miscasedValue(shown, key, verdict.to);
      const plan = a.planOf(ctx, i);
      if (plan?.owner === RULE.miscasedTagValue && plan.edit) {
        (out ??= []).push({ message, tag, fix: [plan.edit], data });
        continue;
      }
      // Only an edit some finding of this resource carries is named as proposed (see tag-plan.ts).
      if (plan?.pii) message += MESSAGES.fixWithheld(MESSAGES.withheldPii);
      else if (plan?.owner === RULE.inheritedTagDrift && plan.edit) message += MESSAGES.valueFixedByDrift;
      else if (plan?.edit?.op === 'rename') message += plan.valueChange === 'inherit' ? MESSAGES.valueReplacedByRename : MESSAGES.valueFixedByRename;
      (out ??= []).push({ message, tag, data });
    }
    return out ?? NO_REPORTS;
  },
});
