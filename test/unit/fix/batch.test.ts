import { describe, expect, it } from 'vitest';
import { batchTagWrites, batchUntagWrites, minimumCalls } from '../../../src/fix/batch.js';

const arn = (i: number): string => `arn:aws:lambda:us-east-1:111122223333:function:f${String(i).padStart(3, '0')}`;

describe('batching', () => {
  it('puts resources needing identical tags in one call, ≤ 20 ARNs each', () => {
    const items = Array.from({ length: 45 }, (_, i) => ({ arn: arn(i), tags: { a: '1', b: '2' } }));
    const batches = batchTagWrites(items);
    expect(batches.map((b) => b.arns.length)).toEqual([20, 20, 5]);
    expect(batches.every((b) => JSON.stringify(b.tags) === '{"a":"1","b":"2"}')).toBe(true);
    expect(new Set(batches.flatMap((b) => b.arns)).size).toBe(45);
  });

  it('reaches the lower bound: ceil(resources / 20) per distinct edit set, whatever the input order', () => {
    const sets: Record<string, string>[] = [{ x: '1' }, { x: '2' }, { y: '1', x: '1' }];
    const items = Array.from({ length: 101 }, (_, i) => ({ arn: arn(i), tags: sets[(i * 7) % 3]! }));
    const batches = batchTagWrites(items);
    expect(batches.length).toBe(minimumCalls(items.map((i) => JSON.stringify(Object.entries(i.tags).sort()))));
    expect(batches.length).toBe(Math.ceil(34 / 20) + Math.ceil(34 / 20) + Math.ceil(33 / 20));
  });

  it('treats key order as irrelevant and values as relevant', () => {
    const batches = batchTagWrites([
      { arn: arn(1), tags: { a: '1', b: '2' } },
      { arn: arn(2), tags: { b: '2', a: '1' } },
      { arn: arn(3), tags: { a: '1', b: '3' } },
    ]);
    expect(batches.map((b) => b.arns)).toEqual([[arn(1), arn(2)], [arn(3)]]);
  });

  it('splits a payload over 50 tags into parts of ≤ 50', () => {
    const tags = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']));
    const batches = batchTagWrites([{ arn: arn(1), tags }]);
    expect(batches.map((b) => Object.keys(b.tags).length)).toEqual([50, 20]);
  });

  it('batches removals by identical key sets', () => {
    const batches = batchUntagWrites([
      { arn: arn(1), keys: ['env'] },
      { arn: arn(2), keys: ['env'] },
      { arn: arn(3), keys: ['env', 'Owner'] },
      { arn: arn(4), keys: [] },
    ]);
    expect(batches).toEqual([
      { arns: [arn(1), arn(2)], keys: ['env'] },
      { arns: [arn(3)], keys: ['Owner', 'env'] },
    ]);
  });
});
