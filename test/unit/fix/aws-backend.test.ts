import { describe, expect, it } from 'vitest';
import { partitionBackend } from '../../../src/fix/aws-backend.js';
import { fakeClient } from './fake-send-client.js';

const L = (n: number): string => `arn:aws:lambda:us-east-1:111122223333:function:f${n}`;
const SM = 'arn:aws:sagemaker:us-east-1:111122223333:model/m1';
const tagList = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

describe('AWS backend (SDK-level fakes)', () => {
  it('re-reads by ResourceARNList when the service honours it; an ARN not returned has no tags', async () => {
    const tagging = fakeClient(() => ({ ResourceTagMappingList: [{ ResourceARN: L(1), Tags: tagList({ a: '1' }) }] }));
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: async () => fakeClient(() => ({})), autoscaling: async () => fakeClient(() => ({})), iam: async () => fakeClient(() => ({})) });
    const read = await backend.readTags([
      { arn: L(1), resourceType: 'lambda:function' },
      { arn: L(2), resourceType: 'lambda:function' },
    ]);
    expect(tagging.sent).toEqual([{ name: 'GetResourcesCommand', input: { ResourceARNList: [L(1), L(2)] } }]);
    expect([...read.tags]).toEqual([[L(1), { a: '1' }]]);
    expect(read.failed.size).toBe(0);
  });

  it('falls back to listing by resource type when ResourceARNList is ignored (as moto does)', async () => {
    const tagging = fakeClient((s) => {
      if (s.input.ResourceARNList) return { ResourceTagMappingList: [{ ResourceARN: L(9), Tags: [] }], PaginationToken: 't1' };
      if (!s.input.PaginationToken) return { ResourceTagMappingList: [{ ResourceARN: L(9), Tags: [] }], PaginationToken: 'p2' };
      return { ResourceTagMappingList: [{ ResourceARN: L(1), Tags: tagList({ a: '1' }) }] };
    });
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: async () => fakeClient(() => ({})), autoscaling: async () => fakeClient(() => ({})), iam: async () => fakeClient(() => ({})) });
    const read = await backend.readTags([{ arn: L(1), resourceType: 'lambda:function' }]);
    expect(tagging.sent.map((s) => s.input)).toEqual([
      { ResourceARNList: [L(1)] },
      { ResourceTypeFilters: ['lambda', 'lambda:function'], ResourcesPerPage: 100 },
      { ResourceTypeFilters: ['lambda', 'lambda:function'], ResourcesPerPage: 100, PaginationToken: 'p2' },
    ]);
    expect([...read.tags]).toEqual([[L(1), { a: '1' }]]);
  });

  it('reads SageMaker tags with ListTags (paged), and reports a resource it cannot read', async () => {
    const sagemaker = fakeClient((s) => {
      if (s.input.ResourceArn !== SM) return Object.assign(new Error('not found'), { name: 'ValidationException' });
      return s.input.NextToken ? { Tags: tagList({ b: '2' }) } : { Tags: tagList({ a: '1' }), NextToken: 'n' };
    });
    const backend = partitionBackend({ tagging: async () => fakeClient(() => ({})), sagemaker: async () => sagemaker, autoscaling: async () => fakeClient(() => ({})), iam: async () => fakeClient(() => ({})) });
    const gone = 'arn:aws:sagemaker:us-east-1:111122223333:model/gone';
    const read = await backend.readTags([
      { arn: SM, resourceType: 'sagemaker:model' },
      { arn: gone, resourceType: 'sagemaker:model' },
    ]);
    expect(read.tags.get(SM)).toEqual({ a: '1', b: '2' });
    expect(read.failed.get(gone)).toEqual({ code: 'ValidationException', message: 'not found' });
  });

  it('reads FailedResourcesMap per ARN; a 429 without a code is throttling', async () => {
    const tagging = fakeClient(() => ({
      FailedResourcesMap: {
        [L(1)]: { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: 'bad' },
        [L(2)]: { StatusCode: 429 },
      },
    }));
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: async () => fakeClient(() => ({})), autoscaling: async () => fakeClient(() => ({})), iam: async () => fakeClient(() => ({})) });
    const failed = await backend.tagResources([L(1), L(2), L(3)], { k: 'v' });
    expect(tagging.sent[0]).toEqual({ name: 'TagResourcesCommand', input: { ResourceARNList: [L(1), L(2), L(3)], Tags: { k: 'v' } } });
    expect(failed).toEqual({ [L(1)]: { code: 'InvalidParameterException', message: 'bad' }, [L(2)]: { code: 'ThrottlingException', message: '' } });
    await backend.untagResources([L(1)], ['k']);
    expect(tagging.sent[1]).toEqual({ name: 'UntagResourcesCommand', input: { ResourceARNList: [L(1)], TagKeys: ['k'] } });
  });

  it("offers SageMaker's own AddTags / DeleteTags for SageMaker types only", async () => {
    const sagemaker = fakeClient(() => ({}));
    const backend = partitionBackend({ tagging: async () => fakeClient(() => ({})), sagemaker: async () => sagemaker, autoscaling: async () => fakeClient(() => ({})), iam: async () => fakeClient(() => ({})) });
    expect(backend.ownerTagger('lambda:function')).toBeUndefined();
    const owner = backend.ownerTagger('sagemaker:model')!;
    await owner.addTags(SM, { k: 'v' });
    await owner.deleteTags(SM, ['old']);
    expect(sagemaker.sent).toEqual([
      { name: 'AddTagsCommand', input: { ResourceArn: SM, Tags: [{ Key: 'k', Value: 'v' }] } },
      { name: 'DeleteTagsCommand', input: { ResourceArn: SM, TagKeys: ['old'] } },
    ]);
  });
});
