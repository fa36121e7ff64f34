/** At most `limit` tasks run at once; run() waits for a free place. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A single-consumer async queue with back-pressure: producers `await push()` while more than `highWater` items wait,
 * so a slow consumer (the rules) bounds how far the scanners run ahead.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private closed = false;
  private abandoned = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private readonly wakeProducers: Array<() => void> = [];

  constructor(private readonly highWater = 10_000) {}

  private get size(): number {
    return this.items.length - this.head;
  }

  async push(item: T): Promise<void> {
    if (this.abandoned) return;
    if (this.closed) throw new Error('channel closed');
    this.items.push(item);
    this.wake();
    if (this.size > this.highWater) await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
  }

  /** Ends the stream; `error`, when given, is thrown to the consumer after the queued items. */
  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (error !== undefined) this.failure = { error };
    this.wake();
  }

  /** The consumer has gone: drop what waits, release producers, ignore further pushes. */
  abandon(): void {
    this.abandoned = true;
    this.items.length = 0;
    this.head = 0;
    for (let p = this.wakeProducers.shift(); p; p = this.wakeProducers.shift()) p();
  }

  private wake(): void {
    const w = this.wakeConsumer;
    this.wakeConsumer = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.size > 0) {
        const item = this.items[this.head] as T;
        this.items[this.head] = undefined as T;
        this.head++;
        if (this.head > 4096 && this.head * 2 > this.items.length) {
          this.items.splice(0, this.head);
          this.head = 0;
        }
        if (this.size <= this.highWater / 2) for (let p = this.wakeProducers.shift(); p; p = this.wakeProducers.shift()) p();
        yield item;
        continue;
      }
      for (let p = this.wakeProducers.shift(); p; p = this.wakeProducers.shift()) p();
      if (this.closed) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }
}

/** Thrown into scan work once the consumer of a scan has stopped listening. */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
}
