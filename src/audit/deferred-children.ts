import type { Resource } from '../inventory/resource.js';

interface Entry {
  readonly resource: Resource;
  done: boolean;
}

/**
 * Children that arrived before their parents, by the parentKey of each missing parent (a SageMaker parent named in
 * lower case is released by its mixed-case ARN, and the other way round). Each waits until its last missing parent
 * arrives, until the input ends, or — to bound memory — until more than `limit` are waiting, when the oldest is let
 * go (and is audited without that parent, exactly as if the parent were not in the inventory).
 */
export class DeferredChildren {
  private readonly queue: Entry[] = [];
  private head = 0;
  private readonly byParent = new Map<string, Entry[]>();
  private waiting = 0;

  constructor(private readonly limit: number) {}

  /** Parks `r` until one of `missing` (parent keys) arrives. Returns the entries forced out by the limit (oldest first). */
  defer(r: Resource, missing: readonly string[]): Resource[] {
    const entry: Entry = { resource: r, done: false };
    this.queue.push(entry);
    this.waiting++;
    for (const key of missing) {
      const list = this.byParent.get(key);
      if (list) list.push(entry);
      else this.byParent.set(key, [entry]);
    }
    const forced: Resource[] = [];
    while (this.waiting > this.limit) {
      const oldest = this.takeNext();
      if (oldest) forced.push(oldest);
    }
    return forced;
  }

  /** Children waiting for the parent of this parentKey; the caller decides whether each is now ready (or parks it again). */
  release(parentKey: string): Resource[] {
    const list = this.byParent.get(parentKey);
    if (!list) return [];
    this.byParent.delete(parentKey);
    const out: Resource[] = [];
    for (const e of list) {
      if (e.done) continue;
      e.done = true;
      this.waiting--;
      out.push(e.resource);
    }
    return out;
  }

  /** Everything still waiting, oldest first; empties the queue. */
  drain(): Resource[] {
    const out: Resource[] = [];
    for (let r = this.takeNext(); r; r = this.takeNext()) out.push(r);
    this.byParent.clear();
    return out;
  }

  get size(): number {
    return this.waiting;
  }

  private takeNext(): Resource | undefined {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head++]!;
      if (e.done) continue;
      e.done = true;
      this.waiting--;
      this.compact();
      return e.resource;
    }
    return undefined;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
