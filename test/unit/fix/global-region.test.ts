import { describe, expect, it } from 'vitest';
import { awsTagBackend } from '../../../src/fix/aws-backend.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { globalRegionFor, globalRegionOfPartition } from '../../../src/scan/partition-info.js';

describe('globalRegionFor (the installed SDK partition table)', () => {
  it.each([
    ['us-east-1', 'us-east-1'],
    ['eu-west-1', 'us-east-1'],
    ['cn-north-1', 'cn-northwest-1'],
    ['us-gov-east-1', 'us-gov-west-1'],
  ])('%s → %s', async (region, global) => {
    expect(await globalRegionFor(region)).toBe(global);
  });

  it('falls back to us-east-1 when the SDK table cannot be read', async () => {
    expect(await globalRegionFor('cn-north-1', () => undefined)).toBe('us-east-1');
  });
});

describe('globalRegionOfPartition (a partition named by id)', () => {
  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-northwest-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-iso-b', 'us-isob-east-1'],
  ])('%s → %s', async (partition, global) => {
    expect(await globalRegionOfPartition(partition)).toBe(global);
  });

  it('judges a partition the SDK does not know by the fallback region', async () => {
    expect(await globalRegionOfPartition('aws-future', 'cn-north-1')).toBe('cn-northwest-1');
  });
});

/** A factory whose Tagging API clients record the region they were built for and list no resources. */
function recordingFactory(configured: string | undefined): { factory: ClientFactory; regions: string[] } {
  const regions: string[] = [];
  const tagging = async (_account: string, region: string) => {
    regions.push(region);
    return { send: async () => ({ ResourceTagMappingList: [] }) };
  };
  const factory = {
    callerIdentity: async () => ({ accountId: '111122223333', arn: 'arn:aws-cn:iam::111122223333:user/x', partition: 'aws-cn' }),
    configuredRegion: async () => configured,
    credentialsFor: async () => async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
    tagging,
  } as unknown as ClientFactory;
  return { factory, regions };
}

describe('awsTagBackend: resources with no region', () => {
  const route53 = { arn: 'arn:aws-cn:route53:::hostedzone/Z1', resourceType: 'route53:hostedzone' };

  it('are read and written through the global region of the configured region’s partition', async () => {
    const { factory, regions } = recordingFactory('cn-north-1');
    const backend = await awsTagBackend(factory)('111122223333', 'global');
    await backend.readTags([route53]);
    expect(regions).toEqual(['cn-northwest-1']);
  });

  it('go through us-east-1 when no region is configured, and a regional resource through its own region', async () => {
    const { factory, regions } = recordingFactory(undefined);
    await (await awsTagBackend(factory)('111122223333', 'global')).readTags([route53]);
    await (await awsTagBackend(factory)('111122223333', 'eu-west-1')).readTags([
      { arn: 'arn:aws:lambda:eu-west-1:111122223333:function:f', resourceType: 'lambda:function' },
    ]);
    expect(regions).toEqual(['us-east-1', 'eu-west-1']);
  });
});
