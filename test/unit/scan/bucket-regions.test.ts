import { describe, expect, it } from 'vitest';
import { createBucketRegions, regionFromLocation } from '../../../src/scan/bucket-regions.js';
import { fakeClient, sdkError, type FakeClient, type Handler } from './fake-client.js';

function regions(handlers: Record<string, Handler>) {
  const clients: Array<{ account: string; region: string; client: FakeClient }> = [];
  const resolver = createBucketRegions(async (account, region) => {
    const client = fakeClient(handlers);
    clients.push({ account, region, client });
    return client;
  });
  const count = (command: string) => clients.reduce((n, c) => n + c.client.count(command), 0);
  return { resolver, clients, count };
}

describe('regionFromLocation', () => {
  it('reads an empty constraint as us-east-1 and EU as eu-west-1', () => {
    expect(regionFromLocation(undefined)).toBe('us-east-1');
    expect(regionFromLocation(null)).toBe('us-east-1');
    expect(regionFromLocation('')).toBe('us-east-1');
    expect(regionFromLocation('EU')).toBe('eu-west-1');
    expect(regionFromLocation('ap-southeast-2')).toBe('ap-southeast-2');
  });
});

describe('createBucketRegions', () => {
  it('maps every bucket from one paginated ListBuckets per account, asking with MaxBuckets so BucketRegion is returned', async () => {
    const { resolver, clients, count } = regions({
      ListBuckets: (input) =>
        input.ContinuationToken === 'page2'
          ? { Buckets: [{ Name: 'c', BucketRegion: 'eu-central-1' }] }
          : { Buckets: [{ Name: 'a', BucketRegion: 'us-east-1' }, { Name: 'b', BucketRegion: 'eu-west-1' }], ContinuationToken: 'page2' },
    });
    const got = await Promise.all(['a', 'b', 'c'].map((b) => resolver.regionOf('111111111111', b, 'eu-west-1')));
    expect(got).toEqual([{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'eu-central-1' }]);
    expect(count('ListBuckets')).toBe(2);
    expect(count('GetBucketLocation')).toBe(0);
    expect(clients[0]!.client.calls[0]!.input).toEqual({ MaxBuckets: 10_000 });
    expect(clients.every((c) => c.account === '111111111111' && c.region === 'eu-west-1')).toBe(true);
  });

  it('gives a throttled GetBucketLocation another round after the SDK\'s own retries', async () => {
    let calls = 0;
    const { resolver, count } = regions({
      ListBuckets: () => ({ Buckets: [{ Name: 'a' }] }),
      GetBucketLocation: () => {
        calls++;
        if (calls === 1) throw sdkError('ThrottlingException', 400);
        return { LocationConstraint: 'eu-west-1' };
      },
    });
    expect(await resolver.regionOf('1', 'a', 'us-east-1')).toEqual({ region: 'eu-west-1' });
    expect(count('GetBucketLocation')).toBe(2);
  });

  it('falls back to GetBucketLocation for a bucket ListBuckets gave no region, once per bucket', async () => {
    const { resolver, count } = regions({
      ListBuckets: () => ({ Buckets: [{ Name: 'a' }, { Name: 'b' }] }),
      GetBucketLocation: (input) => ({ LocationConstraint: input.Bucket === 'a' ? 'us-west-2' : undefined }),
    });
    expect(await resolver.regionOf('1', 'a', 'us-east-1')).toEqual({ region: 'us-west-2' });
    expect(await resolver.regionOf('1', 'a', 'eu-west-1')).toEqual({ region: 'us-west-2' });
    expect(await resolver.regionOf('1', 'b', 'us-east-1')).toEqual({ region: 'us-east-1' });
    expect(count('ListBuckets')).toBe(1);
    expect(count('GetBucketLocation')).toBe(2);
  });

  it('lists each account separately', async () => {
    const { resolver, count } = regions({ ListBuckets: () => ({ Buckets: [{ Name: 'a', BucketRegion: 'sa-east-1' }] }) });
    expect(await resolver.regionOf('1', 'a', 'us-east-1')).toEqual({ region: 'sa-east-1' });
    expect(await resolver.regionOf('2', 'a', 'us-east-1')).toEqual({ region: 'sa-east-1' });
    expect(count('ListBuckets')).toBe(2);
  });

  it('uses GetBucketLocation when ListBuckets is denied, and says why when both fail', async () => {
    const { resolver } = regions({
      ListBuckets: () => sdkError('AccessDenied', 403, 'not allowed: s3:ListAllMyBuckets'),
      GetBucketLocation: (input) => (input.Bucket === 'ok' ? { LocationConstraint: 'EU' } : sdkError('AccessDenied', 403, 'not allowed: s3:GetBucketLocation')),
    });
    expect(await resolver.regionOf('1', 'ok', 'us-east-1')).toEqual({ region: 'eu-west-1' });
    const failed = await resolver.regionOf('1', 'denied', 'us-east-1');
    expect('error' in failed && failed.error).toMatch(/ListBuckets failed: .*s3:ListAllMyBuckets.*GetBucketLocation failed: .*s3:GetBucketLocation/);
  });

  it('reports a client that cannot be built instead of throwing', async () => {
    const resolver = createBucketRegions(() => Promise.reject(new Error('no credentials')));
    expect(await resolver.regionOf('1', 'a', 'us-east-1')).toEqual({ error: expect.stringContaining('no credentials') });
  });

  it('looks buckets up at most 8 at a time, and makes no call for those still queued once the scan is cancelled', async () => {
    const abort = new AbortController();
    let inFlight = 0;
    let most = 0;
    const client = fakeClient({
      ListBuckets: () => ({ Buckets: [] }),
      GetBucketLocation: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        abort.abort();
        return { LocationConstraint: 'EU' };
      },
    });
    const resolver = createBucketRegions(async () => client, abort.signal);
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => resolver.regionOf('111111111111', `b${i}`, 'us-east-1')));
    expect(most).toBe(8);
    expect(client.count('GetBucketLocation')).toBe(8);
    expect(got.filter((a) => 'region' in a)).toHaveLength(8);
    expect(got.filter((a) => 'error' in a && a.error === 'the scan was cancelled')).toHaveLength(12);
  });
});
