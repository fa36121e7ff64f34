import { isIamPrincipalType } from '../scan/iam-arn.js';
import { tryParseArn } from '../inventory/arn.js';
import type { Resource } from '../inventory/resource.js';
import { parentKey } from '../audit/parent-key.js';
import type { Finding } from '../rules/types.js';
import { mapLimit, partitions, userTags, type ResourceOutcome } from './apply.js';
import type { TagBackend } from './backend.js';
import type { SecretTags } from './digest.js';
import { classify, maskIndex } from './effects.js';
import { maskFinding, type ResourceMasker } from './mask.js';
import type { FixPlan, PlannedResource } from './plan.js';
import { redactText } from '../pii/redact.js';

export type VerifiedState = 'at-plan' | 'not-at-plan' | 'unread';

export interface VerifiedResource {
  readonly arn: string;
  /** at-plan: the live tags are the plan's end state. */
  readonly state: VerifiedState;
  readonly detail?: string;
  /** What the rules still report on the re-read resource (empty without an auditor). */
  readonly findings: readonly Finding[];
}

export interface VerifyOptions {
  readonly plan: FixPlan;
  readonly outcomes: readonly ResourceOutcome[];
  readonly backend: TagBackend;
  readonly secrets: SecretTags;
  /** Audits a re-read resource; parents are re-read too so inherited-tag rules see current values. */
  readonly audit?: (resource: Resource, lookup: (arn: string) => Resource | undefined) => readonly Finding[];
  /**
   * Masks what the audit reports of a resource with one redactor over its re-read tags and the PII the plan names on
   * it (raw from `secrets`): a string detected on a tag the fix removed stays masked on the tags that remain.
   */
  readonly maskResource?: ResourceMasker;
  /**
   * IAM is eventually consistent: a tag written a moment ago may not show yet. An IAM user or role not at the plan's
   * end state is read once more after this pause (default 2 s) before it is called not-at-plan.
   */
  readonly iamSettleMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const IAM_SETTLE_MS = 2_000;

/** Resources worth re-reading: every one a write was sent for, and those found already fixed. */
const TOUCHED = new Set(['fixed', 'failed', 'already-fixed']);

interface ReadTarget {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
}

/** Re-reads what the applier touched (and their parents), checks each reached the plan's end state, audits it again. */
export async function verifyApplied(opts: VerifyOptions): Promise<VerifiedResource[]> {
  const byArn = new Map(opts.plan.resources.map((r) => [r.arn, r]));
  const touched: PlannedResource[] = opts.outcomes.filter((o) => TOUCHED.has(o.status)).map((o) => byArn.get(o.arn)!).filter(Boolean);
  // What is read, by ARN; and the same targets by parentKey, for parent lookups: a child may name a SageMaker parent
  // in lower case. A parent the plan holds is read by the plan's ARN (its own, as listed), not as the child names it;
  // another by the ARN the plan records for it (the parent's own when the audit found it; the child's spelling in
  // plans made before that was recorded). SageMaker says an ARN in the wrong case does not exist.
  const targets = new Map<string, ReadTarget>();
  const byKey = new Map<string, ReadTarget>();
  const addTarget = (t: ReadTarget): void => {
    targets.set(t.arn, t);
    const key = parentKey(t.arn);
    if (!byKey.has(key)) byKey.set(key, t);
  };
  for (const r of touched) addTarget(r);
  if (opts.audit) {
    let planned: Map<string, PlannedResource> | undefined;
    for (const r of touched) {
      for (const p of r.parentArns ?? []) {
        const key = parentKey(p);
        if (byKey.has(key)) continue;
        planned ??= firstByKey(opts.plan.resources);
        const known = planned.get(key);
        if (known) {
          addTarget(known);
          continue;
        }
        const parsed = tryParseArn(p);
        if (!parsed) continue;
        addTarget({ arn: p, accountId: parsed.accountId || r.accountId, region: parsed.region || r.region, resourceType: parsed.resourceType });
      }
    }
  }

  const live = new Map<string, Record<string, string>>();
  const unread = new Map<string, string>();
  const gone = new Set<string>();
  const readAll = (items: readonly ReadTarget[]): Promise<void> =>
    mapLimit(partitions(items), 4, async (part) => {
      try {
        const backend = await opts.backend(part.accountId, part.region);
        const read = await backend.readTags(part.items);
        for (const t of part.items) {
          const failed = read.failed.get(t.arn);
          if (failed) unread.set(t.arn, `${failed.code}: ${redactText(failed.message)}`);
          else if (read.missing?.has(t.arn)) gone.add(t.arn);
          else live.set(t.arn, read.tags.get(t.arn) ?? {});
        }
      } catch (err) {
        for (const t of part.items) unread.set(t.arn, redactText(err instanceof Error ? err.message.split('\n')[0]! : String(err)));
      }
    });
  await readAll([...targets.values()]);

  // IAM answers reads from replicas that may lag a write by a few seconds: read an IAM principal not yet at the
  // plan's end once more, after a pause, before calling it not-at-plan.
  const lagging = touched.filter(
    (r) => isIamPrincipalType(r.resourceType) && live.has(r.arn) && classify(r, userTags(live.get(r.arn)), opts.secrets).state !== 'done',
  );
  if (lagging.length > 0) {
    await (opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))))(opts.iamSettleMs ?? IAM_SETTLE_MS);
    await readAll(lagging);
  }

  const asResource = (t: ReadTarget, parentArns?: readonly string[]): Resource => {
    const parsed = tryParseArn(t.arn);
    return {
      arn: t.arn,
      accountId: t.accountId,
      region: t.region,
      service: parsed?.service ?? t.resourceType.split(':')[0] ?? '',
      resourceType: t.resourceType,
      tags: live.get(t.arn) ?? {},
      source: 'verify',
      ...(parentArns && parentArns.length > 0 ? { parentArns } : {}),
    };
  };
  const lookup = (arn: string): Resource | undefined => {
    const t = byKey.get(parentKey(arn));
    return t && live.has(t.arn) ? asResource(t, byArn.get(t.arn)?.parentArns) : undefined;
  };

  const maskedFindings = (r: PlannedResource, findings: readonly Finding[]): readonly Finding[] => {
    if (!opts.maskResource || findings.length === 0) return findings;
    const raw: [string, string][] = Object.entries(userTags(live.get(r.arn)));
    for (const id of maskIndex(r).keys()) {
      const secret = opts.secrets.get(id);
      if (secret) raw.push([secret.key, secret.value]);
    }
    const display = opts.maskResource(raw).display;
    return findings.map((f) => maskFinding(f, display));
  };

  return touched.map((r) => {
    const reason = unread.get(r.arn);
    if (reason !== undefined) return { arn: r.arn, state: 'unread', detail: `could not re-read: ${reason}`, findings: [] };
    if (gone.has(r.arn)) return { arn: r.arn, state: 'not-at-plan', detail: 'no longer exists (its service did not return it when re-read)', findings: [] };
    const cls = classify(r, userTags(live.get(r.arn)), opts.secrets);
    const findings = opts.audit ? maskedFindings(r, opts.audit(asResource(r, r.parentArns), lookup)) : [];
    if (cls.state === 'done') return { arn: r.arn, state: 'at-plan', findings };
    const detail = cls.state === 'drifted' ? cls.reason : 'some planned edits are not in place';
    return { arn: r.arn, state: 'not-at-plan', detail, findings };
  });
}

/** The plan's resources by parentKey, the first of any sharing one kept (as the audit's ParentIndex keeps it). */
function firstByKey(resources: readonly PlannedResource[]): Map<string, PlannedResource> {
  const out = new Map<string, PlannedResource>();
  for (const r of resources) {
    const key = parentKey(r.arn);
    if (!out.has(key)) out.set(key, r);
  }
  return out;
}
