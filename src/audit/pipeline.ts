import type { Resource } from '../inventory/resource.js';
import type { SummaryCounter } from '../report/summary.js';
import type { ReportSink } from '../report/sink.js';
import type { Finding } from '../rules/types.js';
import { AuditFlow, type AuditorLike } from './audit-flow.js';

export type { AuditorLike } from './audit-flow.js';

/** Most children kept waiting for a parent listed later in the input. */
export const DEFAULT_MAX_DEFERRED = 100_000;

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
  const { sinks, onFinding } = options;
  const flow = new AuditFlow(
    options.auditor,
    (f, r) => {
      for (let s = 0; s < sinks.length; s++) sinks[s]!.add(f);
      onFinding?.(f, r);
    },
    options.maxDeferred ?? DEFAULT_MAX_DEFERRED,
  );
  for await (const item of options.resources) {
    if (isBatch(item)) for (let i = 0; i < item.length; i++) flow.take(item[i]!);
    else flow.take(item);
  }
  flow.finish();
  return { summary: flow.summary, duplicates: flow.duplicates, orphans: flow.orphans };
}

function isBatch(item: Resource | readonly Resource[]): item is readonly Resource[] {
  return Array.isArray(item);
}
