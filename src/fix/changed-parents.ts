import { PARENT_TYPES } from '../audit/parent-index.js';
import { inheritsFrom, type Policy } from '../dictionary/policy.js';
import type { ResourceOutcome } from './apply.js';
import type { FixPlan, PlanEdit } from './plan.js';

function keysWritten(e: PlanEdit): string[] {
  return e.op === 'rename' ? [e.to] : e.op === 'remove' ? [] : [e.key];
}

/**
 * How many resources this apply wrote a key on that other resources are created from (tuning jobs, pipelines,
 * endpoint configs, models, domains…) and inherit that key from (the key's `inherit`: by default the cost-allocation
 * keys). Their children were audited against the old value and are not read again: a child that matched the parent
 * before may drift from it now.
 */
export function changedParentCount(plan: FixPlan, outcomes: readonly ResourceOutcome[], policy: Policy): number {
  const written = new Set(outcomes.filter((o) => o.status === 'fixed').map((o) => o.arn));
  let count = 0;
  for (const r of plan.resources) {
    if (!written.has(r.arn) || !PARENT_TYPES.has(r.resourceType)) continue;
    const inherited = (key: string): boolean => {
      const tag = policy.byKey.get(key);
      return tag !== undefined && inheritsFrom(tag, r.resourceType);
    };
    if (r.edits.some((e) => keysWritten(e).some(inherited))) count += 1;
  }
  return count;
}

export function changedParentsNote(count: number): string {
  const them = count === 1 ? '1 resource other resources are created from' : `${count} resources other resources are created from`;
  return (
    `tagaudit: this fix changed inherited tags on ${them} (tuning jobs, pipelines, endpoint configs, models…); ` +
    'resources created from them were not read again and may now differ from them: run the scan again (inherited-tag-drift)\n'
  );
}
