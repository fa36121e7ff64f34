/**
 * A token bucket: at most `ratePerSecond` calls a second on average, with bursts of up to `burst` calls.
 * Callers await take() before each request; waiters are served in order.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1');
    this.tokens = burst;
    this.last = now();
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn;
    return turn;
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = ((1 - this.tokens) / this.ratePerSecond) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(waitMs))));
    }
  }
}

/** One bucket per key (e.g. `account/region`), created on first use. */
export class RateLimiters {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  for(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/**
 * AWS's documented Resource Groups Tagging API rate for GetResources, per account and region. AWS meters with token
 * buckets too; a burst of one second's worth lets a slice of up to ~1,500 resources page at full speed, while
 * sustained paging stays at the documented rate.
 */
export const GET_RESOURCES_RATE = { ratePerSecond: 15, burst: 15 } as const;
