import { describe, expect, it } from 'vitest';
import { DeferredChildren } from '../../../src/audit/deferred-children.js';
import type { Resource } from '../../../src/inventory/resource.js';

function job(i: number): Resource {
  const arn = `arn:aws:sagemaker:us-east-1:111122223333:training-job/job-${i}`;
  return { arn, accountId: '111122223333', region: 'us-east-1', service: 'sagemaker', resourceType: 'sagemaker:training-job', tags: {}, source: 'inventory' };
}

describe('DeferredChildren', () => {
  it('lets the oldest go past the limit, and releases the rest when their parent arrives', () => {
    const d = new DeferredChildren(2);
    expect(d.defer(job(1), ['p'])).toEqual([]);
    expect(d.defer(job(2), ['p'])).toEqual([]);
    expect(d.defer(job(3), ['p']).map((r) => r.arn)).toEqual([job(1).arn]);
    expect(d.release('p').map((r) => r.arn)).toEqual([job(2).arn, job(3).arn]);
    expect(d.size).toBe(0);
    expect(d.drain()).toEqual([]);
  });

  it('a child waiting for two parents is released once, by the first to arrive', () => {
    const d = new DeferredChildren(10);
    d.defer(job(1), ['a', 'b']);
    expect(d.release('a').map((r) => r.arn)).toEqual([job(1).arn]);
    expect(d.release('b')).toEqual([]);
    expect(d.size).toBe(0);
  });

  it('stays bounded when children name a parent that never comes (a Studio domain an export leaves out)', () => {
    const d = new DeferredChildren(100);
    let forced = 0;
    for (let i = 0; i < 20_000; i++) forced += d.defer(job(i), ['absent-domain', `absent-space-${i % 7}`]).length;
    expect(forced).toBe(20_000 - 100);
    expect(d.size).toBe(100);
    // Without sweeping the forced-out entries, the parents' lists would hold all 40,000 memberships.
    expect(d.listedEntries).toBeLessThan(3_000);
    expect(d.drain()).toHaveLength(100);
  });

  it('keeps counting right when released children also sit in lists of parents that never come', () => {
    const d = new DeferredChildren(50);
    const seen = new Set<string>();
    const take = (rs: Resource[]): void => rs.forEach((r) => seen.add(r.arn));
    for (let i = 0; i < 5_000; i++) {
      take(d.defer(job(i), [`p${i % 3}`, 'never']));
      if (i % 500 === 499) take(d.release(`p${i % 3}`));
    }
    expect(d.size).toBeLessThanOrEqual(50);
    expect(d.listedEntries).toBeLessThan(3_000);
    const waiting = d.size;
    const rest = d.drain();
    expect(rest).toHaveLength(waiting);
    take(rest);
    // Every child comes out exactly once.
    expect(seen.size).toBe(5_000);
  });
});
