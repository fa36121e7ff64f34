import { describe, expect, it } from 'vitest';
import { LIST_CONCURRENCY, listSageMaker } from '../../../src/scan/sources/sagemaker.js';
import type { SageMakerSend } from '../../../src/scan/sources/sagemaker-kinds.js';

/** Every call answers empty after a tick; records the most calls ever in flight at once. */
function slowEmptyClient() {
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  const client: SageMakerSend = {
    send: (async () => {
      calls++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return {};
    }) as unknown as SageMakerSend['send'],
  };
  return { client, peak: () => peak, calls: () => calls };
}

describe('listSageMaker concurrency', () => {
  it('keeps at most LIST_CONCURRENCY list calls of a slice in flight, and still lists every kind', async () => {
    const c = slowEmptyClient();
    const out = await listSageMaker({ client: c.client, since: new Date(0), arnPrefix: 'arn:aws:sagemaker:us-east-1:111122223333:', retryPauseMs: 0 });
    expect(LIST_CONCURRENCY).toBeGreaterThan(1);
    expect(c.peak()).toBe(LIST_CONCURRENCY);
    expect(out.failures).toEqual([]);
    // Every non-Studio kind was listed (Studio kinds need a domain; there is none).
    expect(out.listedTypes.has('sagemaker:model')).toBe(true);
    expect(out.listedTypes.has('sagemaker:training-job')).toBe(true);
    expect(out.listedTypes.has('sagemaker:pipeline')).toBe(true);
    expect(c.calls()).toBeGreaterThan(LIST_CONCURRENCY * 2);
  });

  it('honours an explicit concurrency', async () => {
    const c = slowEmptyClient();
    await listSageMaker({ client: c.client, since: new Date(0), arnPrefix: 'arn:aws:sagemaker:us-east-1:111122223333:', retryPauseMs: 0, concurrency: 1 });
    expect(c.peak()).toBe(1);
  });
});
