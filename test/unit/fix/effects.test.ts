import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/fix/effects.js';
import { tagDigest } from '../../../src/fix/digest.js';
import type { PlannedResource } from '../../../src/fix/plan.js';
import { userTags } from '../../../src/fix/apply.js';
import { tagRecord } from '../../../src/scan/types.js';

const ENV = 'anycompany:workload:environment';
const EMAIL = 'jane.doe@example.com';

const planned: PlannedResource = {
  arn: 'arn:aws:lambda:us-east-1:111122223333:function:f',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceType: 'lambda:function',
  expectedTags: [
    { key: 'Owner', value: 'ml' },
    { key: 'contact', value: 'j***@e*****e.com', digest: tagDigest('contact', EMAIL) },
    { key: 'env', value: 'prod' },
  ],
  edits: [
    { op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' },
    { op: 'add', type: 'add-default', key: 'class', value: 'internal' },
    { op: 'remove', type: 'pii-remove', key: 'contact', expected: 'j***@e*****e.com', digest: tagDigest('contact', EMAIL) },
  ],
  ruleIds: [],
};

const start = { Owner: 'ml', contact: EMAIL, env: 'prod' };
const middle = { ...start, [ENV]: 'production', class: 'internal' };
const end = { Owner: 'ml', [ENV]: 'production', class: 'internal' };

describe('classify: where a resource stands against its plan', () => {
  it('at the start: both phases, with raw writes and removes', () => {
    const c = classify(planned, start, new Map());
    expect(c).toMatchObject({ state: 'pending', phase: 1, edits: { writes: { [ENV]: 'production', class: 'internal' }, removes: ['env', 'contact'] } });
  });

  it('after the writes: only the removals are left', () => {
    expect(classify(planned, middle, new Map())).toMatchObject({ state: 'pending', phase: 2 });
  });

  it('part-way through the writes or the removals is still ours', () => {
    expect(classify(planned, { ...start, class: 'internal' }, new Map())).toMatchObject({ state: 'pending', phase: 1 });
    expect(classify(planned, { ...middle, env: undefined as never }, new Map())).toMatchObject({ state: 'pending', phase: 2 });
  });

  it('at the end: done', () => {
    expect(classify(planned, end, new Map())).toMatchObject({ state: 'done' });
  });

  it('drift: an untouched tag changed, a tag appeared, a changed key holds a third value', () => {
    expect(classify(planned, { ...start, Owner: 'other' }, new Map())).toMatchObject({ state: 'drifted', reason: 'the value of tag Owner changed since the plan' });
    expect(classify(planned, { ...start, x: EMAIL }, new Map())).toMatchObject({ state: 'drifted', reason: '1 tag was added since the plan' });
    expect(classify(planned, { ...start, env: 'staging' }, new Map())).toMatchObject({ state: 'drifted' });
    expect(classify(planned, { ...start, contact: 'someone@else.com' }, new Map())).toMatchObject({ state: 'drifted' });
  });

  it('drift: an old key removed before the new one was written (that value is lost; not ours)', () => {
    const { env: _env, ...withoutEnv } = start;
    expect(classify(planned, withoutEnv, new Map())).toMatchObject({ state: 'drifted' });
  });

  it('never puts a raw PII value or an unknown key in a reason', () => {
    for (const live of [{ ...start, [EMAIL]: 'x' }, { ...start, contact: 'x' }]) {
      const c = classify(planned, live, new Map());
      expect(c.state).toBe('drifted');
      expect(JSON.stringify(c)).not.toContain(EMAIL);
    }
  });
});

describe('classify: a tag key named __proto__', () => {
  it('is a tag like any other: the rename elsewhere on the resource goes ahead, and the tag is written back as read', () => {
    const withProto: PlannedResource = {
      ...planned,
      expectedTags: [
        { key: '__proto__', value: 'odd' },
        { key: 'env', value: 'prod' },
      ],
      edits: [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' }],
    };
    const live = tagRecord([
      { Key: '__proto__', Value: 'odd' },
      { Key: 'env', Value: 'prod' },
    ]);
    expect(Object.keys(live)).toEqual(['__proto__', 'env']);
    expect(classify(withProto, live, new Map())).toMatchObject({ state: 'pending', phase: 1 });
    expect(userTags(live)).toEqual(live);
    expect(Object.keys(userTags(live))).toEqual(['__proto__', 'env']);
  });
});
