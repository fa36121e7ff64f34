import type { Resource } from '../inventory/resource.js';
import { createSummaryCounter, type SummaryCounter } from '../report/summary.js';
import type { Finding, RuleMeta } from '../rules/types.js';
import { DeferredChildren } from './deferred-children.js';
import { ParentIndex } from './parent-index.js';
import { SeenArns } from './seen-arns.js';

/** The part of the rules engine the pipeline drives (createAuditor(policy) returns one). */
export interface AuditorLike {
  readonly rules: readonly RuleMeta[];
  audit(resource: Resource, lookup: (arn: string) => Resource | undefined, onSuppressed?: (suppression: number) => void): readonly Finding[];
}

/**
 * The order-dependent part of a run, shared by the one-thread pipeline and the worker-thread one: which resources
 * are audited (the first of each ARN), which are kept as parents, which children wait for a parent listed later,
 * and the summary. Resources must be offered in input order; findings leave through `emit` in report order.
 */
export class AuditFlow {
  readonly summary: SummaryCounter = createSummaryCounter();
  duplicates = 0;
  orphans = 0;
  private readonly seen: SeenArns;
  private readonly parents = new ParentIndex();
  private readonly deferred: DeferredChildren;

  constructor(
    private readonly auditor: AuditorLike,
    private readonly emit: (finding: Finding, resource: Resource) => void,
    maxDeferred: number,
    /** About how many resources will come (0: unknown), to size the dedupe table once. */
    expectedResources = 0,
  ) {
    this.deferred = new DeferredChildren(maxDeferred);
    this.seen = new SeenArns(expectedResources);
  }

  /** The next resource of the input, audited here. */
  take(r: Resource): void {
    if (!this.seen.add(r.arn)) {
      this.duplicates++;
      return;
    }
    const kept = this.parents.remember(r);
    this.offer(r);
    if (kept !== undefined) this.releaseChildrenOf(kept);
  }

  /**
   * For a resource already audited elsewhere (a worker thread), known by its canonical ARN's hash (hashCanonicalArn): counts it and
   * returns true when it is the first of its ARN, false (a duplicate, counted as such) otherwise. Its findings are
   * then the caller's to emit; if it may be a parent (isParentKind, or wanted), pass it to `adoptAudited` afterwards.
   */
  claimAudited(h1: number, h2: number): boolean {
    if (!this.seen.addHash(h1, h2)) {
      this.duplicates++;
      return false;
    }
    this.summary.countResource();
    return true;
  }

  /**
   * Whether a child waits for a resource whose parent key (parentKey: a SageMaker ARN lower-cased) has this hash
   * (rarely a false alarm: adoptAudited compares the key).
   */
  mayWant(h1: number, h2: number): boolean {
    return this.parents.mayWant(h1, h2);
  }

  /** A claimed, audited resource that may be a parent: kept if so, and the children waiting for it audited now. */
  adoptAudited(r: Resource): void {
    const kept = this.parents.remember(r);
    if (kept !== undefined) this.releaseChildrenOf(kept);
  }

  /**
   * A claimed, audited parent-kind resource known only by the hash of its parent key, that no child waits for yet
   * (mayWant was false): kept as `load`, which reads it again if a child names it later.
   */
  adoptLazyParent(h1: number, h2: number, load: () => Resource): void {
    this.parents.rememberLazy(h1, h2, load);
  }

  /** The input has ended: children still waiting are audited without the parents that never came. */
  finish(): void {
    for (const r of this.deferred.drain()) this.auditOrphan(r);
  }

  /** Counted against the suppression that took the finding, so that one matching nothing can be told (unused-suppressions.ts). */
  private readonly countSuppressed = (suppression: number): void => this.summary.countSuppressed(suppression);

  private audit(r: Resource): void {
    this.summary.countResource();
    const findings = this.auditor.audit(r, this.parents.lookup, this.countSuppressed);
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      this.summary.add(f);
      this.emit(f, r);
    }
  }

  private auditOrphan(r: Resource): void {
    this.orphans++;
    this.audit(r);
  }

  private offer(r: Resource): void {
    const missing = r.parentArns && r.parentArns.length > 0 ? this.parents.missingParentsOf(r) : undefined;
    if (missing !== undefined) {
      this.parents.want(missing);
      for (const forced of this.deferred.defer(r, missing)) this.auditOrphan(forced);
      return;
    }
    this.audit(r);
  }

  /** The children waiting for the parent just kept under `key` (a parentKey) are offered again. */
  private releaseChildrenOf(key: string): void {
    if (this.deferred.size > 0) for (const child of this.deferred.release(key)) this.offer(child);
  }
}
