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
  /** hashKey of each wanted ARN (how many share it), so a resource known only by its hash (a worker audited it) is recognised. */
  private readonly wantedHashes = new Map<number, number>();
  /**
   * Parents known only by their ARN's hash (audited in a worker thread): read again only if a child names them, so a
   * scan does not carry every model of the estate across threads. Keyed by 30 bits of the hash (a small integer key
   * is much cheaper for a Map than a 53-bit one); entries hold the whole hash.
   */
  private readonly lazy = new Map<number, LazyParent | LazyParent[]>();

  /** Keeps `r` if something may ask for it later. */
  remember(r: Resource): void {
    const wanted = this.wanted.size > 0 && this.unwant(r.arn);
    if (wanted || isParentKind(r)) this.byArn.set(r.arn, r);
  }

  /** Stops waiting for `arn`; false when nothing waited for it. */
  private unwant(arn: string): boolean {
    if (!this.wanted.delete(arn)) return false;
    const key = arnHashKey(arn);
    // Counted, so that of two wanted ARNs sharing a key, the first to arrive does not unmark the other.
    const left = (this.wantedHashes.get(key) ?? 1) - 1;
    if (left > 0) this.wantedHashes.set(key, left);
    else this.wantedHashes.delete(key);
    return true;
  }

  /**
   * Keeps a parent-kind resource known by its ARN's hash; `load` reads it again, and is called only when a child
   * names an ARN with this hash. The caller has claimed the ARN (the first of its ARN) and checked mayWant first.
   */
  rememberLazy(h1: number, h2: number, load: () => Resource): void {
    const entry: LazyParent = { h1, h2, load };
    const key = h2 & LAZY_KEY_MASK;
    const known = this.lazy.get(key);
    if (known === undefined) this.lazy.set(key, entry);
    else if (Array.isArray(known)) known.push(entry);
    else this.lazy.set(key, [known, entry]);
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
      const key = arnHashKey(arn);
      this.wantedHashes.set(key, (this.wantedHashes.get(key) ?? 0) + 1);
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
    hashArn(arn, SCRATCH, 0);
    const h1 = SCRATCH[0]!;
    const h2 = SCRATCH[1]!;
    const key = h2 & LAZY_KEY_MASK;
    const known = this.lazy.get(key);
    if (known === undefined) return undefined;
    const entries = Array.isArray(known) ? known : [known];
    const rest = entries.filter((e) => e.h1 !== h1 || e.h2 !== h2);
    if (rest.length === entries.length) return undefined;
    if (rest.length === 0) this.lazy.delete(key);
    else this.lazy.set(key, rest.length === 1 ? rest[0]! : rest);
    // Every entry with the whole hash (ARNs whose 64-bit hashes collide, too) is read and kept under its own ARN.
    for (const e of entries) {
      if (e.h1 !== h1 || e.h2 !== h2) continue;
      const r = e.load();
      this.byArn.set(r.arn, r);
    }
    return this.byArn.get(arn);
  }
}

interface LazyParent {
  readonly h1: number;
  readonly h2: number;
  readonly load: () => Resource;
}

const LAZY_KEY_MASK = 0x3fff_ffff;
const SCRATCH = new Uint32Array(2);

/** 53 bits of the ARN's 64-bit hash (hashArn), as a number a Set can hold. */
export function arnHashKey(arn: string): number {
  hashArn(arn, SCRATCH, 0);
  return hashKey(SCRATCH[0]!, SCRATCH[1]!);
}

function hashKey(h1: number, h2: number): number {
  return (h1 >>> 11) * 0x1_0000_0000 + h2;
}
