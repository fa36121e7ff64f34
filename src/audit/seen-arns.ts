import { canonicalArn } from './parent-key.js';

/**
 * ARNs already audited in this run, so a resource listed in two inventories (or twice in one) is audited once. ARNs
 * are told apart in their canonical form (canonicalArn): one SageMaker resource listed under two spellings, as its
 * own list call and GetResources may give it, is audited once, the first spelling met being the one reported.
 *
 * A Set of a million ARN strings costs ~120 MB and, measured on the 1 M benchmark, more time than parsing the
 * lines (every ARN survives to the old generation and is hashed by the Set). This keeps a 64-bit hash per ARN in
 * an open-addressing table of typed arrays instead: 16 bytes a slot, no string kept alive. Two different ARNs share
 * a 64-bit hash with probability ~n²/2⁶⁵ (3·10⁻⁸ for a million): then the second would be counted as a duplicate.
 */
export class SeenArns {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  private count = 0;

  /** `expected`: about how many ARNs will come, to size the table once instead of growing it (at most 2²² slots). */
  constructor(expected = 0) {
    let size = 1 << 16;
    while (size < expected * 2 && size < MAX_PRESIZED_SLOTS) size *= 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.used = new Uint8Array(size);
  }

  /** false when the ARN (in its canonical form) was already seen. */
  add(arn: string): boolean {
    hashCanonicalArn(arn, SCRATCH, 0);
    return this.addHash(SCRATCH[0]!, SCRATCH[1]!);
  }

  /** add() for an ARN hashed elsewhere with hashCanonicalArn (a worker thread). */
  addHash(h1: number, h2: number): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    return this.insert(h1, h2);
  }

  get size(): number {
    return this.count;
  }

  private insert(h1: number, h2: number): boolean {
    const mask = this.used.length - 1;
    for (let i = h1 & mask; ; i = (i + 1) & mask) {
      if (this.used[i] === 0) {
        this.used[i] = 1;
        this.hi[i] = h1;
        this.lo[i] = h2;
        this.count++;
        return true;
      }
      if (this.hi[i] === h1 && this.lo[i] === h2) return false;
    }
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const size = used.length * 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.used = new Uint8Array(size);
    this.count = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.insert(hi[i]!, lo[i]!);
  }
}

const SCRATCH = new Uint32Array(2);
const MAX_PRESIZED_SLOTS = 1 << 22;

/**
 * hashArn of canonicalArn(arn): what a resource is known by across threads (SeenArns, and the parent index, whose
 * keys are the same canonical form). Lower-casing a SageMaker ARN adds tens of nanoseconds (20–70 ms for 600 k, on
 * top of ~70 ms of hashing); other ARNs are hashed as they are.
 */
export function hashCanonicalArn(arn: string, out: Uint32Array, at: number): void {
  hashArn(canonicalArn(arn), out, at);
}

/** The text's 64-bit hash (an ARN, a parent key, a line) as two 32-bit halves, written to out[at] and out[at + 1]. */
export function hashArn(arn: string, out: Uint32Array, at: number): void {
  // Two different 32-bit hashes in one pass (FNV-1a and the polynomial string hash), each finalized by fmix.
  let h1 = 0x811c9dc5;
  let h2 = arn.length;
  for (let i = 0; i < arn.length; i++) {
    const c = arn.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = (Math.imul(h2, 31) + c) | 0;
  }
  h1 = fmix(h1) >>> 0;
  out[at] = h1;
  out[at + 1] = fmix(h2 ^ h1) >>> 0;
}

// murmur3's finalizer: every input bit affects every output bit.
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
