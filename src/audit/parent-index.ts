import type { Resource } from '../inventory/resource.js';

/**
 * Resource types that other resources name in `parentArns` (a training job's tuning job, an endpoint's config, a
 * config's models, a model package's group, an app's domain or user profile, a pipeline job's execution). Only these
 * are kept for parent lookups, so a million-resource scan holds the few parents, not the many children.
 */
export const PARENT_TYPES: ReadonlySet<string> = new Set([
  'sagemaker:hyper-parameter-tuning-job',
  'sagemaker:pipeline',
  'sagemaker:pipeline-execution',
  'sagemaker:endpoint-config',
  'sagemaker:model',
  'sagemaker:model-package-group',
  'sagemaker:domain',
  'sagemaker:user-profile',
  'sagemaker:project',
]);

/** Parents seen so far, by ARN, plus the ARNs children are still waiting for (kept whatever their type). */
export class ParentIndex {
  private readonly byArn = new Map<string, Resource>();
  private readonly wanted = new Set<string>();

  /** Keeps `r` if something may ask for it later. */
  remember(r: Resource): void {
    // The service test first: a cheap compare that spares most resources the hashing of their type and ARN.
    if ((r.service === 'sagemaker' && PARENT_TYPES.has(r.resourceType)) || (this.wanted.size > 0 && this.wanted.delete(r.arn))) this.byArn.set(r.arn, r);
  }

  /** Asks to keep these ARNs when they arrive, whatever their type. */
  want(arns: readonly string[]): void {
    for (const arn of arns) if (!this.byArn.has(arn)) this.wanted.add(arn);
  }

  has(arn: string): boolean {
    return this.byArn.has(arn);
  }

  /** Every parent of `r` has been seen (trivially true without parents). */
  hasAllParentsOf(r: Resource): boolean {
    const parents = r.parentArns;
    if (!parents) return true;
    for (const p of parents) if (!this.byArn.has(p)) return false;
    return true;
  }

  readonly lookup = (arn: string): Resource | undefined => this.byArn.get(arn);

  get size(): number {
    return this.byArn.size;
  }
}
