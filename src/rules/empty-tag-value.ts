import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import { RULE } from './rule-ids.js';
import { isMandatoryFor, type Policy, type TagPolicy } from '../dictionary/policy.js';
import { missingTag } from './missing-tag.js';
import { configuredSeverity } from './configured-severity.js';
import { SEVERITY_RANK, type RuleReport, type Severity } from './types.js';

const ID = 'empty-tag-value';
const DEFAULT_SEVERITY: Severity = 'warning';
const MANDATORY_NOTE = ' (the key is mandatory here: an empty value counts as missing)';

/**
 * The level of an empty value on a key that is mandatory for the resource's type, which counts as the key missing: at
 * least missing-tag's, or `""` would be the cheapest way to pass a `--fail-on error` gate. undefined: the rule's own
 * level, or the key's own `severity` (the engine applies it when the report names none).
 */
function mandatoryLevel(policy: Policy, entry: TagPolicy): Severity | undefined {
  if (entry.severity) return undefined;
  const missing = configuredSeverity(missingTag.meta, policy);
  const own = configuredSeverity({ id: ID, defaultSeverity: DEFAULT_SEVERITY }, policy);
  if (missing === 'off' || own === 'off' || SEVERITY_RANK[missing] <= SEVERITY_RANK[own]) return undefined;
  return missing;
}

export const emptyTagValue = createRule({
  id: ID,
  description: 'A dictionary tag is present with an empty or blank value.',
  defaultSeverity: DEFAULT_SEVERITY,
  severityNote: "missing-tag's level (error) on a key mandatory for the resource type",
  fixable: true,
  rationale:
    'An empty value attributes cost to nothing and passes naive "key exists" checks (including AWS Config\'s ' +
    'required-tags when no value is listed). On a key that is mandatory for the resource type it is reported at ' +
    'missing-tag\'s severity (an error by default): an empty value is no better than none. The fix fills the ' +
    'parent\'s value or the dictionary default, when there is one.',
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
      const mandatory = isMandatoryFor(plan.entry, ctx.resource.resourceType);
      const level = mandatory ? mandatoryLevel(ctx.policy, plan.entry) : undefined;
      let message = MESSAGES.emptyValue(key, raw.length > 0);
      if (mandatory) message += MANDATORY_NOTE;
      if (plan.fill) message += plan.fill.note;
      if (plan.pii) message += MESSAGES.fixWithheld(MESSAGES.withheldPii);
      const report: RuleReport = {
        message,
        tag: { key, value: raw },
        ...(plan.owner === RULE.emptyTagValue && plan.edit ? { fix: [plan.edit] } : {}),
        data: plan.owner === RULE.emptyTagValue && plan.edit && plan.fill?.parentArn !== undefined ? { dictionaryKey: plan.entry.key, parentArn: plan.fill.parentArn } : { dictionaryKey: plan.entry.key },
        ...(level ? { severity: level } : {}),
      };
      (out ??= []).push(report);
    }
    return out ?? NO_REPORTS;
  },
});
