import { describe, expect, it } from 'vitest';
import { resourceParents } from '../../../src/inventory/sagemaker-parents.js';
import { planSageMakerMerge, SeenArns, toResource } from '../../../src/scan/merge.js';
import type { ListedItem, TaggedItem } from '../../../src/scan/types.js';

const P = 'arn:aws:sagemaker:eu-west-1:111122223333:';
const slice = { accountId: '111122223333', region: 'eu-west-1' };

describe('toResource', () => {
  it('takes account and region from the ARN', () => {
    expect(toResource({ arn: `${P}model/m`, tags: { a: 'b' }, source: 'tagging-api' }, { accountId: '999999999999', region: 'us-east-1' })).toEqual({
      arn: `${P}model/m`,
      accountId: '111122223333',
      region: 'eu-west-1',
      service: 'sagemaker',
      resourceType: 'sagemaker:model',
      tags: { a: 'b' },
      source: 'tagging-api',
    });
  });

  it('makes an S3 bucket global with the slice account, whichever region returned it (the runner locates it)', () => {
    expect(toResource({ arn: 'arn:aws:s3:::b', tags: {}, source: 'config' }, slice)).toMatchObject({ accountId: '111122223333', region: 'global', resourceType: 's3:bucket' });
  });

  it('adds parents SageMaker records in tags, never the resource itself', () => {
    const r = toResource(
      {
        arn: `${P}app/d-1/alice/jupyterserver/default`,
        tags: { 'sagemaker:domain-arn': `${P}domain/d-1`, 'sagemaker:user-profile-arn': `${P}user-profile/d-1/alice` },
        source: 'tagging-api',
        parentArns: [`${P}domain/d-1`, `${P}app/d-1/alice/jupyterserver/default`],
      },
      slice,
    );
    expect(r?.parentArns).toEqual([`${P}domain/d-1`, `${P}user-profile/d-1/alice`]);
  });

  it('returns undefined for a string that is no ARN', () => {
    expect(toResource({ arn: 'nope', tags: {}, source: 'x' }, slice)).toBeUndefined();
  });
});

describe('resourceParents', () => {
  it('turns a pipeline execution into its pipeline, and ignores values that are no ARN', () => {
    const tags = { 'sagemaker:pipeline-execution-arn': `${P}pipeline/p/execution/abc`, 'sagemaker:domain-arn': 'not-an-arn' };
    expect(resourceParents(`${P}training-job/t`, 'sagemaker', tags, undefined)).toEqual([`${P}pipeline/p`]);
  });
});

describe('planSageMakerMerge', () => {
  const tagged = (arn: string, tags: Record<string, string>): [string, TaggedItem] => [arn.toLowerCase(), { arn, tags }];
  const listed = (arn: string, resourceType: string, extra: Partial<ListedItem> = {}): ListedItem => ({ arn, resourceType, ...extra });

  it('joins by ARN (case-insensitively), keeping GetResources tags and the list data', () => {
    const plan = planSageMakerMerge({
      tagged: new Map([tagged(`${P}model/MyModel`, { team: 'ml' })]),
      listed: [listed(`${P}model/mymodel`, 'sagemaker:model', { createdAt: '2024-01-01T00:00:00.000Z' })],
      listedTypes: new Set(['sagemaker:model']),
      windowedTypes: new Set(),
      answers: () => true,
    });
    expect(plan.ready).toEqual([{ arn: `${P}model/MyModel`, tags: { team: 'ml' }, source: 'tagging-api', createdAt: '2024-01-01T00:00:00.000Z' }]);
    expect(plan.needTags).toEqual([]);
  });

  it('marks a listed resource GetResources did not return as never-tagged, only where GetResources answered', () => {
    const plan = planSageMakerMerge({
      tagged: new Map(),
      listed: [
        listed(`${P}model/bare`, 'sagemaker:model', { state: 'x' }),
        listed(`${P}endpoint-config/c`, 'sagemaker:endpoint-config'),
        listed(`${P}feature-group/f`, 'sagemaker:feature-group', { tags: { from: 'search' } }),
      ],
      listedTypes: new Set(),
      windowedTypes: new Set(),
      answers: (t) => t !== 'sagemaker:endpoint-config' && t !== 'sagemaker:feature-group',
    });
    expect(plan.ready).toEqual([
      { arn: `${P}model/bare`, tags: {}, source: 'sagemaker', state: 'x' },
      { arn: `${P}feature-group/f`, tags: { from: 'search' }, source: 'sagemaker' },
    ]);
    expect(plan.needTags.map((i) => i.arn)).toEqual([`${P}endpoint-config/c`]);
  });

  it('drops tagged jobs the window excludes, but keeps them when the listing did not complete', () => {
    const input = {
      tagged: new Map([tagged(`${P}training-job/old`, { a: '1' }), tagged(`${P}model/unlisted`, { b: '2' })]),
      listed: [],
      windowedTypes: new Set(['sagemaker:training-job']),
      answers: () => true,
    };
    const complete = planSageMakerMerge({ ...input, listedTypes: new Set(['sagemaker:training-job', 'sagemaker:model']) });
    expect(complete.ready.map((c) => c.arn)).toEqual([`${P}model/unlisted`]);
    expect(complete.outsideWindow).toBe(1);
    const failed = planSageMakerMerge({ ...input, listedTypes: new Set() });
    expect(failed.ready.map((c) => c.arn).sort()).toEqual([`${P}model/unlisted`, `${P}training-job/old`]);
  });
});

describe('SeenArns', () => {
  it('accepts an ARN once', () => {
    const seen = new SeenArns();
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
    expect(seen.has('a')).toBe(true);
    expect(seen.size).toBe(1);
  });
});
