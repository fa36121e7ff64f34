import type { Resource } from '../inventory/resource.js';
import { parentKey } from './parent-key.js';
import { hashArn } from './seen-arns.js';

/**
 * Resource types that other resources name in `parentArns` (a training job's tuning job, an endpoint's config, a
 * config's models, a model package's group, an app's domain, user profile or space, a pipeline job's pipeline: an
 * execution named as a parent is read as its pipeline, see resourceParents). Only these are kept for parent lookups,
 * so a million-resource scan holds the few parents, not the many children.
 */
export const PARENT_TYPES: ReadonlySet<string> = new Set([
  'sagemaker:hyper-parameter-tuning-job',
  'sagemaker:pipeline',
  'sagemaker:endpoint-config',
  'sagemaker:model',
  'sagemaker:model-package-group',
  'sagemaker:domain',
  'sagemaker:user-profile',
  'sagemaker:space',
  'sagemaker:project',
]);

/** Whether `r` is of a kind children name as parent (kept whether or not a child has asked yet). */
export function isParentKind(r: Resource): boolean {
  // The service test first: a cheap compare that spares most resources the hashing of their type.
  return r.service === 'sagemaker' && PARENT_TYPES.has(r.resourceType);
}

/**
 * Parents seen so far, plus the ones children are still waiting for (kept whatever their type). Everything here is
 * keyed by parentKey (a SageMaker ARN lower-cased): a child naming `…:training-job/job` finds `…:training-job/Job`.
 * Of resources sharing a key (the same SageMaker resource listed twice in different case), the first one is kept.
 */
export class ParentIndex {
  private readonly byKey = new Map<string, Resource>();
  private readonly wanted = new Set<string>();
  /** hashKey of each wanted key (how many share it), so a resource known only by its hash (a worker audited it) is recognised. */
  private readonly wantedHashes = new Map<number, number>();
  /**
   * Parents known only by their key's hash (audited in a worker thread): read again only if a child names them, so a
   * scan does not carry every model of the estate across threads. Keyed by 30 bits of the hash (a small integer key
   * is much cheaper for a Map than a 53-bit one); entries hold the whole hash.
   */
  private readonly lazy = new Map<number, LazyParent | LazyParent[]>();

  /**
   * Keeps `r` if something may ask for it later. Returns its key when it is kept (children waiting for that key can
   * go on), undefined otherwise. The key is only computed for parent kinds, or while children wait.
   */
  remember(r: Resource): string | undefined {
    const parentKind = isParentKind(r);
    if (!parentKind && this.wanted.size === 0) return undefined;
    const key = parentKey(r.arn);
    const wanted = this.wanted.size > 0 && this.unwant(key);
    if (!wanted && !parentKind) return undefined;
    // A parent kept lazily under this key (audited in a worker) came first: it stays the parent. (Callers audit one
    // resource per canonical ARN, SeenArns, so this only holds the index to its word; it costs a hash while lazy
    // entries exist, on the worker path only.)
    if (!this.byKey.has(key) && this.materialize(key) === undefined) this.byKey.set(key, r);
    return key;
  }

  /** Stops waiting for `key`; false when nothing waited for it. */
  private unwant(key: string): boolean {
    if (!this.wanted.delete(key)) return false;
    const hash = arnHashKey(key);
    // Counted, so that of two wanted keys sharing a hash, the first to arrive does not unmark the other.
    const left = (this.wantedHashes.get(hash) ?? 1) - 1;
    if (left > 0) this.wantedHashes.set(hash, left);
    else this.wantedHashes.delete(hash);
    return true;
  }

  /**
   * Keeps a parent-kind resource known by the hash of its key (hashArn of parentKey(arn)); `load` reads it again, and
   * is called only when a child names an ARN with this key hash. The caller has claimed the ARN (the first of its
   * ARN) and checked mayWant first.
   */
  rememberLazy(h1: number, h2: number, load: () => Resource): void {
    const entry: LazyParent = { h1, h2, load };
    const key = h2 & LAZY_KEY_MASK;
    const known = this.lazy.get(key);
    if (known === undefined) this.lazy.set(key, entry);
    else if (Array.isArray(known)) known.push(entry);
    else this.lazy.set(key, [known, entry]);
  }

  /** Whether a resource whose key has this hash (hashArn of parentKey(arn)) may be one a child is waiting for. */
  mayWant(h1: number, h2: number): boolean {
    return this.wantedHashes.size > 0 && this.wantedHashes.has(hashKey(h1, h2));
  }

  /** Asks to keep these parents (ARNs as children name them, or their keys) when they arrive, whatever their type. */
  want(arns: readonly string[]): void {
    for (const arn of arns) {
      const key = parentKey(arn);
      if (this.byKey.has(key) || this.wanted.has(key)) continue;
      this.wanted.add(key);
      const hash = arnHashKey(key);
      this.wantedHashes.set(hash, (this.wantedHashes.get(hash) ?? 0) + 1);
    }
  }

  has(arn: string): boolean {
    return this.hasKey(parentKey(arn));
  }

  /** The keys of the parents of `r` not seen yet, or undefined when all have been (or it names none). */
  missingParentsOf(r: Resource): string[] | undefined {
    const parents = r.parentArns;
    if (!parents) return undefined;
    let missing: string[] | undefined;
    for (const p of parents) {
      const key = parentKey(p);
      if (!this.hasKey(key)) (missing ??= []).push(key);
    }
    return missing;
  }

  /** The parent a child names by `arn` (in any case, for SageMaker), as it was read. */
  readonly lookup = (arn: string): Resource | undefined => {
    const key = parentKey(arn);
    return this.byKey.get(key) ?? this.materialize(key);
  };

  private hasKey(key: string): boolean {
    return this.byKey.has(key) || this.materialize(key) !== undefined;
  }

  /** Reads again the lazily kept parents whose hash is `key`'s (all of them, collisions included) and keeps them. */
  private materialize(key: string): Resource | undefined {
    if (this.lazy.size === 0) return undefined;
    hashArn(key, SCRATCH, 0);
    const h1 = SCRATCH[0]!;
    const h2 = SCRATCH[1]!;
    const slot = h2 & LAZY_KEY_MASK;
    const known = this.lazy.get(slot);
    if (known === undefined) return undefined;
    const entries = Array.isArray(known) ? known : [known];
    const rest = entries.filter((e) => e.h1 !== h1 || e.h2 !== h2);
    if (rest.length === entries.length) return undefined;
    if (rest.length === 0) this.lazy.delete(slot);
    else this.lazy.set(slot, rest.length === 1 ? rest[0]! : rest);
    // Every entry with the whole hash (keys whose 64-bit hashes collide, too) is read and kept under its own key, the
    // first one read for a key winning, as remember() does.
    for (const e of entries) {
      if (e.h1 !== h1 || e.h2 !== h2) continue;
      const r = e.load();
      const own = parentKey(r.arn);
      if (!this.byKey.has(own)) this.byKey.set(own, r);
    }
    return this.byKey.get(key);
  }
}

interface LazyParent {
  readonly h1: number;
  readonly h2: number;
  readonly load: () => Resource;
}

const LAZY_KEY_MASK = 0x3fff_ffff;
const SCRATCH = new Uint32Array(2);

/** 53 bits of the 64-bit hash (hashArn) of an ARN or a parent key, as a number a Set can hold. */
export function arnHashKey(arn: string): number {
  hashArn(arn, SCRATCH, 0);
  return hashKey(SCRATCH[0]!, SCRATCH[1]!);
}

function hashKey(h1: number, h2: number): number {
  return (h1 >>> 11) * 0x1_0000_0000 + h2;
}
