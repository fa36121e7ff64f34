import type { Resource } from '../inventory/resource.js';

interface Entry {
  /** Dropped once the entry is done, so that a list a parent never claims holds no resources. */
  resource: Resource | undefined;
  done: boolean;
  /** How many byParent lists hold the entry. */
  readonly lists: number;
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
  /** Entries in byParent lists, and how many of them are done (forced out: their parent may never come). */
  private listed = 0;
  private stale = 0;

  constructor(private readonly limit: number) {}

  /** Parks `r` until one of `missing` (parent keys) arrives. Returns the entries forced out by the limit (oldest first). */
  defer(r: Resource, missing: readonly string[]): Resource[] {
    const entry: Entry = { resource: r, done: false, lists: missing.length };
    this.queue.push(entry);
    this.waiting++;
    this.listed += missing.length;
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
    this.listed -= list.length;
    const out: Resource[] = [];
    for (const e of list) {
      if (e.done) {
        this.stale--;
        continue;
      }
      out.push(this.finish(e));
      // Its other lists now hold a done entry.
      this.stale += e.lists - 1;
    }
    return out;
  }

  /** Everything still waiting, oldest first; empties the queue. */
  drain(): Resource[] {
    const out: Resource[] = [];
    for (let r = this.takeNext(); r; r = this.takeNext()) out.push(r);
    this.byParent.clear();
    this.listed = 0;
    this.stale = 0;
    return out;
  }

  get size(): number {
    return this.waiting;
  }

  /** Entries the parents' lists hold, done ones included (for tests of the memory bound). */
  get listedEntries(): number {
    return this.listed;
  }

  private takeNext(): Resource | undefined {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head++]!;
      if (e.done) continue;
      const r = this.finish(e);
      this.stale += e.lists;
      this.compact();
      this.sweep();
      return r;
    }
    return undefined;
  }

  private finish(e: Entry): Resource {
    const r = e.resource!;
    e.done = true;
    e.resource = undefined;
    this.waiting--;
    return r;
  }

  /**
   * Children forced out stay in the lists of parents that may never come (a Studio domain an export leaves out):
   * once most listed entries are such, the lists are rebuilt without them, so memory stays bounded by `limit`.
   */
  private sweep(): void {
    if (this.stale <= 1024 || this.stale * 2 <= this.listed) return;
    for (const [key, list] of this.byParent) {
      const live = list.filter((e) => !e.done);
      if (live.length === 0) this.byParent.delete(key);
      else if (live.length < list.length) this.byParent.set(key, live);
    }
    let listed = 0;
    for (const list of this.byParent.values()) listed += list.length;
    this.listed = listed;
    this.stale = 0;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
