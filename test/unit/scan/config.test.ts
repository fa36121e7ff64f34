import { describe, expect, it } from 'vitest';
import { discoverWithConfig, type ConfigSend } from '../../../src/scan/sources/config.js';
import { CONFIG_TYPES } from '../../../src/scan/sources/config-types.js';
import { fakeClient, sdkError, type Handler } from './fake-client.js';

const at = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

function client(overrides: Record<string, Handler>) {
  return fakeClient({
    DescribeConfigurationRecorderStatus: () => ({ ConfigurationRecordersStatus: [{ name: 'default', recording: true }] }),
    DescribeConfigurationRecorders: () => ({ ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }] }),
    GetDiscoveredResourceCounts: () => sdkError('InternalFailure', 500),
    ListDiscoveredResources: () => ({ resourceIdentifiers: [] }),
    ...overrides,
  });
}

const run = (c: ReturnType<typeof client>) => discoverWithConfig({ client: c as unknown as ConfigSend, at, retryPauseMs: 0 });

describe('discoverWithConfig', () => {
  it('does nothing but say so when no recorder records', async () => {
    const c = client({ DescribeConfigurationRecorderStatus: () => ({ ConfigurationRecordersStatus: [{ name: 'default', recording: false }] }) });
    expect(await run(c)).toEqual({ recording: false, items: [], failures: [] });
    expect(c.count('ListDiscoveredResources')).toBe(0);
  });

  it('does not claim Config is off when its recorder status cannot be read: recording is unknown, the failure says why', async () => {
    const c = client({ DescribeConfigurationRecorderStatus: () => sdkError('AccessDeniedException', 400) });
    const out = await run(c);
    expect(out.recording).toBeUndefined();
    expect(out.failures.map((f) => f.what)).toEqual(['recorder status (DescribeConfigurationRecorderStatus)']);
  });

  it('builds ARNs from ids and names, skipping deleted resources', async () => {
    const c = client({
      ListDiscoveredResources: (input) => {
        if (input.resourceType === 'AWS::S3::Bucket') return { resourceIdentifiers: [{ resourceId: 'b1', resourceName: 'b1' }, { resourceId: 'gone', resourceDeletionTime: new Date() }] };
        if (input.resourceType === 'AWS::Lambda::Function') return { resourceIdentifiers: [{ resourceId: 'fn', resourceName: 'fn' }] };
        if (input.resourceType === 'AWS::RDS::DBInstance') return { resourceIdentifiers: [{ resourceId: 'db-ABC', resourceName: 'orders' }] };
        if (input.resourceType === 'AWS::SNS::Topic') return { resourceIdentifiers: [{ resourceId: 'arn:aws:sns:eu-west-1:111122223333:t' }] };
        if (input.resourceType === 'AWS::EC2::Instance') return { resourceIdentifiers: [{ resourceId: 'i-0abc' }] };
        return { resourceIdentifiers: [] };
      },
    });
    const out = await run(c);
    expect(out.recording).toBe(true);
    expect(out.failures).toEqual([]);
    expect(out.items.map((i) => [i.arn, i.resourceType]).sort()).toEqual(
      [
        ['arn:aws:s3:::b1', 's3:bucket'],
        ['arn:aws:lambda:eu-west-1:111122223333:function:fn', 'lambda:function'],
        ['arn:aws:rds:eu-west-1:111122223333:db:orders', 'rds:db'],
        ['arn:aws:sns:eu-west-1:111122223333:t', 'sns:topic'],
        ['arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc', 'ec2:instance'],
      ].sort(),
    );
    // Counts could not be read: every mapped type is listed.
    expect(c.count('ListDiscoveredResources')).toBe(CONFIG_TYPES.length);
  });

  it('lists only types Config counts resources of', async () => {
    const c = client({
      GetDiscoveredResourceCounts: () => ({ resourceCounts: [{ resourceType: 'AWS::S3::Bucket', count: 3 }, { resourceType: 'AWS::SQS::Queue', count: 0 }] }),
    });
    await run(c);
    expect(c.calls.filter((x) => x.command === 'ListDiscoveredResources').map((x) => x.input.resourceType)).toEqual(['AWS::S3::Bucket']);
  });

  it('lists only the types a recorder names', async () => {
    const c = client({
      DescribeConfigurationRecorders: () => ({
        ConfigurationRecorders: [{ recordingGroup: { allSupported: false, resourceTypes: ['AWS::Lambda::Function', 'AWS::IAM::Role'] } }],
      }),
    });
    await run(c);
    expect(c.calls.filter((x) => x.command === 'ListDiscoveredResources').map((x) => x.input.resourceType)).toEqual(['AWS::Lambda::Function']);
  });

  it('records a type that cannot be listed and keeps the others', async () => {
    const c = client({
      GetDiscoveredResourceCounts: () => ({ resourceCounts: [{ resourceType: 'AWS::S3::Bucket', count: 1 }, { resourceType: 'AWS::Lambda::Function', count: 1 }] }),
      ListDiscoveredResources: (input) =>
        input.resourceType === 'AWS::S3::Bucket' ? sdkError('AccessDeniedException', 400) : { resourceIdentifiers: [{ resourceId: 'fn', resourceName: 'fn' }] },
    });
    const out = await run(c);
    expect(out.items).toHaveLength(1);
    expect(out.failures.map((f) => f.what)).toEqual(['AWS::S3::Bucket (ListDiscoveredResources)']);
  });
});

describe('AWS Config types', () => {
  it('leave out KMS keys: Config lists AWS-managed keys too, which can never be tagged', () => {
    expect(CONFIG_TYPES.map((t) => t.configType)).not.toContain('AWS::KMS::Key');
    expect(CONFIG_TYPES.map((t) => t.resourceType)).not.toContain('kms:key');
  });
});
