import type { FixPlan, PlanEdit, RecordedTag } from './plan.js';

/** The top-level field of a printed plan that says how many digests were left out of it (see printedPlan). */
export const DIGESTS_LEFT_OUT = 'digestsLeftOut';

/** Why a printed plan cannot be applied, for the messages that refuse one. */
export const PRINTED_PLAN_HINT = 'a plan printed by fix --format json leaves them out; save a plan to apply with --plan-out';

/**
 * A plan as `fix --format json` (and undo's) prints it, for reading: without the digests of personal data (`digest`,
 * `write`). They are unsalted SHA-256 of the raw key and value, and a masked SSN or phone number leaves few enough
 * candidates to find the value from its digest in seconds; a printed plan is pasted into tickets. Only the plan file
 * (`--plan-out`, mode 0600) and the journal keep them, as the applier finds the real tag by them. When any was left
 * out, `digestsLeftOut` says how many, and `fix --plan` refuses the plan (plan-file.ts).
 */
export function printedPlan(plan: FixPlan): FixPlan & { readonly [DIGESTS_LEFT_OUT]?: number } {
  let left = 0;
  const tag = (t: RecordedTag): RecordedTag => {
    if (!('digest' in t)) return t;
    left += 1;
    return { key: t.key, value: t.value };
  };
  const edit = (e: PlanEdit): PlanEdit => {
    if (!('digest' in e) && !('write' in e)) return e;
    const { digest, write, ...rest } = e as PlanEdit & { digest?: unknown; write?: unknown };
    left += (digest === undefined ? 0 : 1) + (write === undefined ? 0 : 1);
    return rest as PlanEdit;
  };
  const resources = plan.resources.map((r) => ({ ...r, expectedTags: r.expectedTags.map(tag), edits: r.edits.map(edit) }));
  const { kind, version, ...rest } = plan;
  // Said near the top, where a reader of the JSON sees it.
  return { kind, version, ...(left > 0 ? { [DIGESTS_LEFT_OUT]: left } : {}), ...rest, resources };
}
