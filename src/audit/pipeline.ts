import type { Resource } from '../inventory/resource.js';
import { createSummaryCounter, type SummaryCounter } from '../report/summary.js';
import type { ReportSink } from '../report/sink.js';
import type { Finding, RuleMeta } from '../rules/types.js';
import { DeferredChildren } from './deferred-children.js';
import { ParentIndex } from './parent-index.js';
import { SeenArns } from './seen-arns.js';

/** The part of the rules engine the pipeline drives (createAuditor(policy) returns one). */
export interface AuditorLike {
  readonly rules: readonly RuleMeta[];
  audit(resource: Resource, lookup: (arn: string) => Resource | undefined): readonly Finding[];
}

export interface RunAuditOptions {
  /** Resources one at a time, or in batches (inventory readers yield one batch per chunk read). */
  readonly resources: AsyncIterable<Resource | readonly Resource[]> | Iterable<Resource | readonly Resource[]>;
  readonly auditor: AuditorLike;
  /** Every finding goes to every sink, as soon as it is found. */
  readonly sinks: readonly ReportSink[];
  /** Also called for every finding, with the resource it is about (the fixer plans from this). */
  readonly onFinding?: (finding: Finding, resource: Resource) => void;
  /** Most children kept waiting for a parent listed later in the input (default 100 000). */
  readonly maxDeferred?: number;
}

export interface AuditOutcome {
  /** Counts by severity and rule, resources audited; `atOrAbove(severity)` for --fail-on. */
  readonly summary: SummaryCounter;
  /** Resources seen again under an ARN already audited (kept: the first one). */
  readonly duplicates: number;
  /** Children audited without a parent they name, because it never appeared (or came too late). */
  readonly orphans: number;
}

/**
 * Streams resources through the auditor into the sinks, holding only what parent lookups and the summary need:
 * the ARNs seen (to drop duplicates across inventories), SageMaker parent-kind resources, and children whose
 * parent has not been seen yet (audited as soon as it arrives, or at the end). The sinks are not finished here.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditOutcome> {
  const { auditor, sinks, onFinding } = options;
  const summary = createSummaryCounter();
  const seen = new SeenArns();
  const parents = new ParentIndex();
  const deferred = new DeferredChildren(options.maxDeferred ?? 100_000);
  let duplicates = 0;
  let orphans = 0;

  const audit = (r: Resource): void => {
    summary.countResource();
    const findings = auditor.audit(r, parents.lookup);
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      summary.add(f);
      for (let s = 0; s < sinks.length; s++) sinks[s]!.add(f);
      onFinding?.(f, r);
    }
  };
  const auditOrphan = (r: Resource): void => {
    orphans++;
    audit(r);
  };
  const offer = (r: Resource): void => {
    if (r.parentArns && r.parentArns.length > 0 && !parents.hasAllParentsOf(r)) {
      const missing = r.parentArns.filter((p) => !parents.has(p));
      parents.want(missing);
      for (const forced of deferred.defer(r, missing)) auditOrphan(forced);
      return;
    }
    audit(r);
  };
  const take = (r: Resource): void => {
    if (!seen.add(r.arn)) {
      duplicates++;
      return;
    }
    parents.remember(r);
    offer(r);
    if (deferred.size > 0 && parents.has(r.arn)) for (const child of deferred.release(r.arn)) offer(child);
  };

  for await (const item of options.resources) {
    if (isBatch(item)) for (let i = 0; i < item.length; i++) take(item[i]!);
    else take(item);
  }
  for (const r of deferred.drain()) auditOrphan(r);
  return { summary, duplicates, orphans };
}

function isBatch(item: Resource | readonly Resource[]): item is readonly Resource[] {
  return Array.isArray(item);
}
