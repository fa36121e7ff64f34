import { MAX_USER_TAGS } from '../inventory/resource.js';
import { MESSAGES } from './messages.js';
import type { TagEdit } from './types.js';

/**
 * The user-tag slots of one resource while its fixes are handed out: AWS allows MAX_USER_TAGS user tags, `aws:` tags
 * not counted (ResourceAnalysis.userTagCount leaves them out, as AWS does), and every new key a fix writes takes one
 * (see newKeysOf). The rules' planner (tag-plan.ts, before the findings are worded) and the engine's guard (engine.ts,
 * on the findings) both count with it, each with its own instance, in the same order.
 */
export class TagSlots {
  private free: number;
  private taken = 0;

  constructor(private readonly userTagCount: number) {
    this.free = MAX_USER_TAGS - userTagCount;
  }

  /** Whether `needed` more slots are free. */
  fits(needed: number): boolean {
    return needed <= this.free;
  }

  /** Takes `needed` slots when they are free; whether it did. */
  take(needed: number): boolean {
    if (!this.fits(needed)) return false;
    this.free -= needed;
    this.taken += needed;
    return true;
  }

  /** Why an edit that got no slot is not proposed: the resource is full, or its other fixes took what was free. */
  get reason(): string {
    return this.taken > 0 ? MESSAGES.withheldNoRoomLeft(this.userTagCount, MAX_USER_TAGS) : MESSAGES.withheldNoRoom(this.userTagCount, MAX_USER_TAGS);
  }
}

/**
 * The slots a fix takes while it runs: one per new key, an add's or a rename's target. The applier writes every new
 * key of a resource before it removes any old one (and the planner counts the same way), so a rename holds a slot
 * until the whole fix has run; a `set` or a `remove` takes none.
 */
export function newKeysOf(edits: readonly TagEdit[]): number {
  let n = 0;
  for (let i = 0; i < edits.length; i++) {
    const op = edits[i]!.op;
    if (op === 'add' || op === 'rename') n++;
  }
  return n;
}
