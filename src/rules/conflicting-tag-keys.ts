import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf, type ResourceAnalysis } from './resource-analysis.js';
import { MESSAGES, q } from './messages.js';
import type { RuleReport } from './types.js';

export const conflictingTagKeys = createRule({
  id: 'conflicting-tag-keys',
  description: 'Two or more tag keys on one resource mean the same dictionary key.',
  defaultSeverity: 'error',
  fixable: false,
  rationale:
    'When a resource carries both CostCenter and anycompany:finance:cost-center, reports keyed on either name see a ' +
    'different value, and renaming one onto the other would silently overwrite a value. Which one is right is a ' +
    'decision for a person, so no fix is proposed and the keys involved are not renamed.',
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.variantCount === 0) return NO_REPORTS;
    const conflicts = a.conflicts();
    if (conflicts.length === 0) return NO_REPORTS;
    const out: RuleReport[] = [];
    for (const [entry, at] of conflicts) {
      const keys = at.map((i) => ctx.display(a.keys[i] as string));
      const values = at.map((i) => a.valueAt(i));
      const shown = at.map((_, n) => `${q(keys[n] as string)} (${q(ctx.display(values[n] as string))})`);
      const agreed = agreedValue(a, at);
      const agreement = values.every((v) => v === values[0]) ? 'same' : agreed !== undefined ? { value: ctx.display(agreed) } : undefined;
      out.push({
        message: MESSAGES.conflictingKeys(entry.key, shown, agreement),
        tag: { key: entry.key },
        data: { dictionaryKey: entry.key, keys },
      });
    }
    return out;
  },
});

/**
 * The value the tags at `at` all stand for once the dictionary normalises them (`prd` and `production` both mean
 * `production`), or undefined when they do not agree or one has no such value (blank, invalid, ambiguous).
 */
function agreedValue(a: ResourceAnalysis, at: readonly number[]): string | undefined {
  let agreed: string | undefined;
  for (const i of at) {
    const verdict = a.verdictAt(i);
    const value = verdict?.kind === 'ok' ? a.valueAt(i) : verdict?.kind === 'normalize' ? verdict.to : undefined;
    if (value === undefined || (agreed !== undefined && value !== agreed)) return undefined;
    agreed = value;
  }
  return agreed;
}
