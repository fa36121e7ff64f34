import { describe, expect, it } from 'vitest';
import { arnHashKey, ParentIndex } from '../../../src/audit/parent-index.js';
import { hashArn } from '../../../src/audit/seen-arns.js';
import { parseArn } from '../../../src/inventory/arn.js';
import type { Resource } from '../../../src/inventory/resource.js';

const resource = (arn: string): Resource => {
  const p = parseArn(arn);
  return { arn, accountId: p.accountId, region: p.region, service: p.service, resourceType: p.resourceType, tags: {}, source: 'inventory' };
};
const hashOf = (arn: string): [number, number] => {
  const h = new Uint32Array(2);
  hashArn(arn, h, 0);
  return [h[0]!, h[1]!];
};
const MODEL = 'arn:aws:sagemaker:us-east-1:111122223333:model/m-1';
const JOB = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/j-1';

describe('ParentIndex', () => {
  it('stops waiting for a wanted ARN once it arrives, parent kind or not', () => {
    const index = new ParentIndex();
    index.want([MODEL, JOB]);
    expect(index.mayWant(...hashOf(MODEL))).toBe(true);
    expect(index.mayWant(...hashOf(JOB))).toBe(true);
    index.remember(resource(MODEL));
    index.remember(resource(JOB));
    expect(index.mayWant(...hashOf(MODEL))).toBe(false);
    expect(index.mayWant(...hashOf(JOB))).toBe(false);
    expect(index.has(MODEL) && index.has(JOB)).toBe(true);
  });

  it('keeps parent kinds always, other resources only when wanted', () => {
    const index = new ParentIndex();
    index.remember(resource(MODEL));
    index.remember(resource(JOB));
    expect(index.lookup(MODEL)?.arn).toBe(MODEL);
    expect(index.has(JOB)).toBe(false);
  });

  it('reads a lazily kept parent only when asked for, once', () => {
    const index = new ParentIndex();
    let loads = 0;
    index.rememberLazy(...hashOf(MODEL), () => (loads++, resource(MODEL)));
    expect(loads).toBe(0);
    expect(index.has(JOB)).toBe(false);
    expect(index.has(MODEL)).toBe(true);
    expect(index.lookup(MODEL)?.arn).toBe(MODEL);
    expect(loads).toBe(1);
    expect(arnHashKey(MODEL)).not.toBe(arnHashKey(JOB));
  });
});
