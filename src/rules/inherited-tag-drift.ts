import { createRule, NO_REPORTS } from './create-rule.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import { RULE } from './rule-ids.js';
import type { RuleReport } from './types.js';

export const inheritedTagDrift = createRule({
  id: 'inherited-tag-drift',
  description: 'A resource lacks, or disagrees with, a cost-allocation tag that the resource it was created from carries.',
  defaultSeverity: 'warning',
  fixable: true,
  rationale:
    'SageMaker copies tags from a tuning job, pipeline, domain or user profile only when the child is created, so a tag ' +
    "added or corrected on the parent later never reaches existing children and their cost lands elsewhere. The fix " +
    "copies the parent's value (only when every parent found agrees); the key's inherit setting says which parents " +
    "count, a resource whose own value is one of the key's sharedValues is pooled and keeps it, and a parent value " +
    'holding personal data is no reference (pii-in-tag reports it on the parent). A ' +
    'missing key that is mandatory for the resource type is reported by missing-tag instead, with the same proposal.',
  check(ctx) {
    const parents = ctx.resource.parentArns;
    if (!parents || parents.length === 0) return NO_REPORTS;
    const a = analysisOf(ctx);
    const inherited = a.inheritedFrom(ctx);
    if (inherited.size === 0) return NO_REPORTS;
    const mandatory = a.index.mandatoryFor(ctx.resource.resourceType);
    let out: RuleReport[] | undefined;
    for (const [entry, inh] of inherited) {
      // A parent's value holding personal data is no reference for its children: pii-in-tag reports it on the
      // parent, and whatever replaces it there decides what the children should carry.
      if (inh.hasPii) continue;
      const data = { dictionaryKey: entry.key, parentArn: inh.parentArn, parentValue: inh.shown };
      const at = a.indexesOf(entry);
      if (at.length === 0) {
        if (a.enabled.has(RULE.missingTag) && mandatory.includes(entry)) continue;
        const message = MESSAGES.driftMissing(entry.key, inh.shown, inh.parentArn);
        (out ??= []).push({ message, tag: { key: entry.key }, fix: [{ op: 'add', type: 'inherit', key: entry.key, value: inh.value }], data });
        continue;
      }
      // Two tags for one key: conflicting-tag-keys. A blank value: empty-tag-value fills in the parent's value.
      if (at.length > 1) continue;
      const i = at[0] as number;
      const verdict = a.verdictAt(i);
      if (!verdict || verdict.kind === 'blank') continue;
      const raw = a.valueAt(i);
      if ((verdict.kind === 'normalize' ? verdict.to : raw) === inh.value) continue;
      const key = ctx.display(a.keys[i] as string);
      let message = MESSAGES.driftDiffers(key, ctx.display(raw), inh.shown, inh.parentArn);
      const tag = { key, value: raw };
      const plan = a.planOf(ctx, i);
      if (plan?.owner === RULE.inheritedTagDrift && plan.edit) {
        (out ??= []).push({ message, tag, fix: [plan.edit], data });
        continue;
      }
      if (plan?.pii) message += MESSAGES.fixWithheld(MESSAGES.withheldPii);
      else if (plan?.edit?.op === 'rename' && plan.target === inh.value) message += MESSAGES.driftFixedByRename;
      (out ??= []).push({ message, tag, data });
    }
    return out ?? NO_REPORTS;
  },
});
