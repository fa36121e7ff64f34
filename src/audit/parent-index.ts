import type { Resource } from '../inventory/resource.js';
import { hashArn } from './seen-arns.js';

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

/** Whether `r` is of a kind children name as parent (kept whether or not a child has asked yet). */
export function isParentKind(r: Resource): boolean {
  // The service test first: a cheap compare that spares most resources the hashing of their type.
  return r.service === 'sagemaker' && PARENT_TYPES.has(r.resourceType);
}

/** Parents seen so far, by ARN, plus the ARNs children are still waiting for (kept whatever their type). */
export class ParentIndex {
  private readonly byArn = new Map<string, Resource>();
  private readonly wanted = new Set<string>();
  /** hashKey of each wanted ARN, so a resource known only by its hash (audited in a worker) can be recognised. */
  private readonly wantedHashes = new Set<number>();
  /**
   * Parents known only by their ARN's hash (audited in a worker thread), by hashKey: read again only if a child names
   * them, so a scan does not carry every model of the estate across threads. Several when hashes collide.
   */
  private readonly lazy = new Map<number, (() => Resource) | (() => Resource)[]>();

  /** Keeps `r` if something may ask for it later. */
  remember(r: Resource): void {
    if (isParentKind(r)) this.byArn.set(r.arn, r);
    else if (this.wanted.size > 0 && this.wanted.delete(r.arn)) {
      this.wantedHashes.delete(arnHashKey(r.arn));
      this.byArn.set(r.arn, r);
    }
  }

  /**
   * Keeps a parent-kind resource known by its ARN's hash; `load` reads it again, and is called only when a child
   * names an ARN with this hash. The caller has claimed the ARN (the first of its ARN) and checked mayWant first.
   */
  rememberLazy(h1: number, h2: number, load: () => Resource): void {
    const key = hashKey(h1, h2);
    const known = this.lazy.get(key);
    if (known === undefined) this.lazy.set(key, load);
    else if (Array.isArray(known)) known.push(load);
    else this.lazy.set(key, [known, load]);
  }

  /** Whether a resource whose ARN has this hash (see arnHashKey) may be one a child is waiting for. */
  mayWant(h1: number, h2: number): boolean {
    return this.wantedHashes.size > 0 && this.wantedHashes.has(hashKey(h1, h2));
  }

  /** Asks to keep these ARNs when they arrive, whatever their type. */
  want(arns: readonly string[]): void {
    for (const arn of arns) {
      if (this.byArn.has(arn) || this.wanted.has(arn)) continue;
      this.wanted.add(arn);
      this.wantedHashes.add(arnHashKey(arn));
    }
  }

  has(arn: string): boolean {
    return this.byArn.has(arn) || this.materialize(arn) !== undefined;
  }

  /** Every parent of `r` has been seen (trivially true without parents). */
  hasAllParentsOf(r: Resource): boolean {
    const parents = r.parentArns;
    if (!parents) return true;
    for (const p of parents) if (!this.has(p)) return false;
    return true;
  }

  readonly lookup = (arn: string): Resource | undefined => this.byArn.get(arn) ?? this.materialize(arn);

  /** Reads again the lazily kept parents whose hash is `arn`'s (all of them, collisions included) and keeps them. */
  private materialize(arn: string): Resource | undefined {
    if (this.lazy.size === 0) return undefined;
    const key = arnHashKey(arn);
    const known = this.lazy.get(key);
    if (known === undefined) return undefined;
    this.lazy.delete(key);
    for (const load of Array.isArray(known) ? known : [known]) {
      const r = load();
      this.byArn.set(r.arn, r);
    }
    return this.byArn.get(arn);
  }
}

const SCRATCH = new Uint32Array(2);

/** 53 bits of the ARN's 64-bit hash (hashArn), as a number a Set can hold. */
export function arnHashKey(arn: string): number {
  hashArn(arn, SCRATCH, 0);
  return hashKey(SCRATCH[0]!, SCRATCH[1]!);
}

function hashKey(h1: number, h2: number): number {
  return (h1 >>> 11) * 0x1_0000_0000 + h2;
}
