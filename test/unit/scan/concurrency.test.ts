import { afterEach, describe, expect, it, vi } from 'vitest';
import { Channel, mapLimit, Semaphore } from '../../../src/scan/concurrency.js';
import { TokenBucket } from '../../../src/scan/rate-limit.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('Semaphore and mapLimit', () => {
  it('never runs more than the limit at once, and keeps result order', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, x));
      active--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('frees its place when a task fails', async () => {
    const s = new Semaphore(1);
    await expect(s.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await s.run(async () => 'next')).toBe('next');
  });
});

describe('Channel', () => {
  it('hands items over in order and ends on close', async () => {
    const c = new Channel<number>();
    void (async () => {
      for (let i = 0; i < 5; i++) await c.push(i);
      c.close();
    })();
    const got: number[] = [];
    for await (const x of c) got.push(x);
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('makes producers wait while the consumer is behind', async () => {
    const c = new Channel<number>(2);
    let pushed = 0;
    void (async () => {
      for (let i = 0; i < 10; i++) {
        await c.push(i);
        pushed++;
      }
      c.close();
    })();
    await tick();
    expect(pushed).toBeLessThanOrEqual(3);
    const got: number[] = [];
    for await (const x of c) got.push(x);
    expect(got).toHaveLength(10);
  });

  it('throws the producer error to the consumer after the queued items', async () => {
    const c = new Channel<number>();
    await c.push(1);
    c.close(new Error('no credentials'));
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of c) got.push(x);
      })(),
    ).rejects.toThrow('no credentials');
    expect(got).toEqual([1]);
  });

  it('releases waiting producers when the consumer goes away', async () => {
    const c = new Channel<number>(1);
    await c.push(1);
    let released = false;
    const p = c.push(2).then(() => (released = true));
    await tick();
    expect(released).toBe(false);
    c.abandon();
    await p;
    expect(released).toBe(true);
    await c.push(3); // ignored, does not block
  });
});

describe('TokenBucket', () => {
  afterEach(() => vi.useRealTimers());

  it('allows a burst, then spaces calls at the rate', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket(10, 2, () => Date.now());
    const times: number[] = [];
    const start = Date.now();
    const all = Promise.all(Array.from({ length: 5 }, () => bucket.take().then(() => times.push(Date.now() - start))));
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    // 2 at once, then one every 100 ms.
    expect(times).toEqual([0, 0, 100, 200, 300]);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new TokenBucket(0, 1)).toThrow();
    expect(() => new TokenBucket(5, 0)).toThrow();
  });
});
