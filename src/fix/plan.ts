import type { FixType, TagDigest, ValueFixType } from '../rules/types.js';

export const FIX_PLAN_VERSION = 1;

/**
 * A tag as the plan (and the journal) records it. A PII-bearing tag never appears raw: `key` / `value` are masked
 * display strings and `digest` identifies the real tag (hex sha256 of the raw key and of the raw value).
 */
export type RecordedTag =
  | { readonly key: string; readonly value: string }
  | { readonly key: string; readonly value: string; readonly digest: TagDigest };

/**
 * One edit of a plan. The same four operations as a rule's TagEdit, with two PII handles:
 * - `digest` (set / remove): the existing tag is PII; `key` / `expected` are masked and the applier finds the real
 *   tag by hashing the resource's current tags.
 * - `write` (add / set): the tag to write is PII (undo restoring a removed or redacted value); `key` / `value` are
 *   masked and the raw text comes from the journal's PII vault.
 */
export type PlanEdit =
  | ({
      readonly op: 'add';
      readonly type: FixType;
      readonly key: string;
      readonly value: string;
      readonly write?: TagDigest;
      /** In an undo plan: the key (written by the fix's rename) whose value this restores, for Auto Scaling's PropagateAtLaunch. */
      readonly copiedFrom?: string;
    } & EditNotes)
  | ({
      readonly op: 'set';
      readonly type: FixType;
      readonly key: string;
      readonly expected: string;
      readonly value: string;
      readonly digest?: TagDigest;
      readonly write?: TagDigest;
    } & EditNotes)
  | ({
      readonly op: 'rename';
      readonly type: FixType;
      readonly from: string;
      readonly to: string;
      readonly expected: string;
      readonly value: string;
      /** When `value` is not `expected`: where the new value comes from (shown as `rename-key+inherit`, and counted so). */
      readonly valueType?: ValueFixType;
    } & EditNotes)
  | { readonly op: 'remove'; readonly type: FixType; readonly key: string; readonly expected: string; readonly digest?: TagDigest };

/**
 * What a fix plan says about an edit for its reviewer; the applier ignores both (plans made before them have neither).
 */
export interface EditNotes {
  /**
   * An `inherit` edit (or a rename carrying one, `valueType: inherit`): the parent whose value it copies, by its ARN
   * as the audit read it (the plan file keeps it raw like every ARN; what is printed masks e-mail addresses in it).
   */
  readonly parentArn?: string;
  /**
   * The edit writes a cost-allocation key of a SageMaker job that has finished (PlannedResource.finishedJob): AWS
   * never applies tags retroactively, so it attributes none of the cost the job incurred.
   */
  readonly noPastCost?: true;
}

/** What happens to one resource. */
export interface PlannedResource {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  /**
   * The resource's parents, which the check after an apply re-reads for the inherited-tag rules: each by its own ARN
   * (as its list call gives it) when the audit found it, else as the resource names it. A child may name a SageMaker
   * parent in another case, which SageMaker does not find; plans made before this held the child's spelling only.
   */
  readonly parentArns?: readonly string[];
  /** The resource's user tags (no `aws:` tags) when the plan was made, sorted by key; the applier refuses to
   * write when the live tags differ from these (or from a state this plan itself produces). */
  readonly expectedTags: readonly RecordedTag[];
  /** Merged, validated, conflict-free edits, in display order. */
  readonly edits: readonly PlanEdit[];
  /** Rule ids whose findings these edits fix. */
  readonly ruleIds: readonly string[];
  /**
   * The CloudFormation stack that manages the resource (from its `aws:cloudformation:*` tags), as shown (masked like
   * every displayed value). Its template still holds the old tags, so the stack's next update may revert these
   * edits. Absent: no stack tag on the resource (plans made before this field existed have none).
   */
  readonly cloudFormation?: PlannedStack;
  /**
   * The state of a SageMaker job that had finished when the plan was made (`Completed`, `Failed`, `Stopped`, as its
   * service reports it): its edits of cost-allocation keys are marked `noPastCost`. Absent for anything else.
   */
  readonly finishedJob?: string;
}

/** A stack as a plan records it: the stack name and the resource's logical id in the template. */
export interface PlannedStack {
  readonly stackName: string;
  readonly logicalId?: string;
}

/** Two proposals that disagree on one key: neither is applied. Values are masked when PII. */
export interface PlanConflict {
  readonly arn: string;
  readonly key: string;
  readonly reason: string;
  /** What each side wants the key to hold (null: removed); `source` is a rule id or 'current value'. */
  readonly proposals: readonly { readonly source: string; readonly value: string | null }[];
}

export type SkipReason =
  | 'cloudformation-stack'
  | 'conflicting-keys'
  | 'finished-job'
  | 'fix-type-filtered'
  | 'pii-not-opted-in'
  | 'aws-reserved'
  | 'invalid-tag-text'
  | 'not-from-dictionary'
  | 'stale-finding'
  | 'tag-limit'
  | 'tags-not-readable'
  | 'unsupported-edit';

/** A fixable finding the planner did not turn into an edit, and why. */
export interface PlanSkip {
  readonly arn: string;
  readonly ruleId: string;
  /** The finding's tag key as reported (masked when it holds personal data), so the user can tell skips apart. */
  readonly key?: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

export interface FixPlan {
  readonly kind: 'tagaudit-fix-plan';
  readonly version: typeof FIX_PLAN_VERSION;
  readonly createdAt: string;
  readonly tool: { readonly name: 'tagaudit'; readonly version: string };
  readonly dictionary: { readonly path: string; readonly sha256: string };
  /** The edit kinds this plan was allowed to contain. */
  readonly fixTypes: readonly FixType[];
  readonly fixPii?: 'remove' | 'redact';
  readonly resources: readonly PlannedResource[];
  readonly conflicts: readonly PlanConflict[];
  readonly skipped: readonly PlanSkip[];
}

export const NON_PII_FIX_TYPES: readonly FixType[] = ['rename-key', 'normalize-value', 'add-default', 'inherit'];
export const ALL_FIX_TYPES: readonly FixType[] = [...NON_PII_FIX_TYPES, 'pii-remove', 'pii-redact'];

export function hasDigest(tag: RecordedTag): tag is RecordedTag & { digest: TagDigest } {
  return 'digest' in tag && tag.digest !== undefined;
}

/** An edit's kind as shown and counted: its type, and for a rename that also changes the value, how (`rename-key+inherit`). */
export function editKind(e: PlanEdit): string {
  return e.op === 'rename' && e.valueType !== undefined ? `${e.type}+${e.valueType}` : e.type;
}

/** Counts of a plan, for the dry-run summary and the apply report. */
export interface PlanSummary {
  readonly resources: number;
  readonly edits: number;
  readonly editsByType: Record<string, number>;
  readonly conflicts: number;
  readonly skipped: number;
  readonly skippedByReason: Record<string, number>;
  /** Resources to change that a CloudFormation stack manages. */
  readonly cloudFormationManaged: number;
  /** Edits marked `noPastCost`: cost-allocation keys of finished jobs, which attribute none of their past cost. */
  readonly noPastCostEdits: number;
}

export function summarizePlan(plan: FixPlan): PlanSummary {
  const editsByType: Record<string, number> = {};
  let edits = 0;
  let noPastCost = 0;
  for (const r of plan.resources) {
    for (const e of r.edits) {
      edits += 1;
      if (e.op !== 'remove' && e.noPastCost === true) noPastCost += 1;
      const kind = editKind(e);
      editsByType[kind] = (editsByType[kind] ?? 0) + 1;
    }
  }
  const skippedByReason: Record<string, number> = {};
  for (const s of plan.skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  return {
    resources: plan.resources.length,
    edits,
    editsByType,
    conflicts: plan.conflicts.length,
    skipped: plan.skipped.length,
    skippedByReason,
    cloudFormationManaged: plan.resources.filter((r) => r.cloudFormation !== undefined).length,
    noPastCostEdits: noPastCost,
  };
}
