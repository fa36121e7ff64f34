import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import type { RuleReport } from './types.js';

export const invalidTagValue = createRule({
  id: 'invalid-tag-value',
  description: 'A tag value is neither an allowed value nor a known alias of one for its dictionary key.',
  defaultSeverity: 'error',
  fixable: false,
  rationale:
    'A value outside the allowed list or pattern splits cost and access reports into groups nobody queries ' +
    '("prdo", "50-45" …). Only a person knows what was meant, so no fix is proposed (inherited-tag-drift proposes the ' +
    "parent's value when the resource has a parent that carries a valid one).",
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.valueProblemCount === 0) return NO_REPORTS;
    let out: RuleReport[] | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      if (a.verdictAt(i)?.kind !== 'invalid') continue;
      const cls = a.mapped(i);
      if (!cls) continue;
      const { entry } = cls;
      const key = ctx.display(a.keys[i] as string);
      const raw = a.valueAt(i);
      let message = MESSAGES.invalidValue(ctx.display(raw), key, entry.key);
      if (entry.values) message += MESSAGES.allowedValues(entry.values);
      else if (entry.pattern) message += MESSAGES.allowedPattern(entry.pattern.source);
      const data = { dictionaryKey: entry.key, ...(entry.values ? { allowed: entry.values } : entry.pattern ? { pattern: entry.pattern.source } : {}) };
      const report: RuleReport = { message, tag: { key, value: raw }, data };
      (out ??= []).push(report);
    }
    return out ?? NO_REPORTS;
  },
});

