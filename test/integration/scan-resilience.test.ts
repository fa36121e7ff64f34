import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/inventory/resource.js';
import { startLiveScan, type LiveScan, type LiveScanOptions } from '../../src/scan/live-scan.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { useMoto } from '../support/moto-workspace.js';
import { createOrganization, MANAGEMENT_ACCOUNT, Seeder, type SeededResource } from '../support/seed.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
/** A region of the management account holding an endpoint config (moto's GetResources then fails for SageMaker). */
const BROKEN_REGION = 'us-west-2';

const moto = useMoto('scan-resilience');
let members: string[];
const seeded: SeededResource[] = [];
const brokenRegionSeeded: SeededResource[] = [];

async function seed(accountId: string, region: string, n: number, into: SeededResource[], withEndpointConfig = false): Promise<void> {
  await Seeder.using(moto, accountId, region, async (s) => {
    const tags = { CostCenter: `cc-${n}`, Owner: 'platform' };
    await s.lambda(`fn-${n}`, tags);
    await s.lambda(`fn-b-${n}`, { CostCenter: 'shared' });
    await s.rdsInstance(`db-${n}`, tags);
    // moto returns an account's buckets in every region: keep them out of the region scanned on its own.
    if (!withEndpointConfig) await s.s3Bucket(`res-bucket-${accountId}-${region}`, tags);
    await s.sagemakerModel(`model-${n}`, tags);
    await s.sagemakerModel(`model-bare-${n}`);
    await s.trainingJob(`train-${n}`, tags);
    await s.trainingJob(`train-bare-${n}`);
    await s.notebook(`nb-${n}`, { Owner: 'data' });
    await s.pipeline(`pipe-${n}`);
    if (withEndpointConfig) {
      await s.endpointConfig(`cfg-tagged-${n}`, `model-${n}`, { CostCenter: 'serving' });
      await s.endpointConfig(`cfg-bare-${n}`, `model-${n}`);
      await s.endpoint(`ep-${n}`, `cfg-tagged-${n}`, { CostCenter: 'serving' });
    }
    into.push(...s.created);
  });
}

function options(env: Record<string, string>, extra: Partial<LiveScanOptions> = {}): LiveScanOptions {
  return {
    env,
    org: true,
    regions: REGIONS,
    roleName: 'OrganizationAccountAccessRole',
    since: new Date(Date.now() - 90 * 86_400_000),
    concurrency: 6,
    ...extra,
  };
}

async function collect(scan: LiveScan): Promise<Resource[]> {
  const out: Resource[] = [];
  for await (const r of scan.resources()) out.push(r);
  return out.sort((a, b) => a.arn.localeCompare(b.arn));
}

/** What must not change whatever the network does. */
const essence = (rs: readonly Resource[]) =>
  rs.map((r) => ({ arn: r.arn, accountId: r.accountId, region: r.region, tags: r.tags, state: r.state, createdAt: r.createdAt, parentArns: r.parentArns }));

beforeAll(async () => {
  const org = await createOrganization(moto, 2);
  members = org.members;
  seeded.push(...org.accessRoles);
  let n = 0;
  for (const accountId of [MANAGEMENT_ACCOUNT, ...members]) for (const region of REGIONS) await seed(accountId, region, n++, seeded);
  await seed(MANAGEMENT_ACCOUNT, BROKEN_REGION, n++, brokenRegionSeeded, true);
});

describe('a region where GetResources fails for SageMaker', () => {
  let scan: LiveScan;
  let found: Resource[];

  beforeAll(async () => {
    scan = startLiveScan(options(moto.env, { org: false, regions: [BROKEN_REGION], retryPauseMs: 100 }));
    found = await collect(scan);
  });

  it('still yields every resource, each once, with its tags', () => {
    // S3 buckets and IAM roles are global: the account's ones seeded with other regions belong to this scan too.
    const global = (s: SeededResource) => s.resourceType === 's3:bucket' || s.resourceType === 'iam:role';
    const expected = [...brokenRegionSeeded, ...seeded.filter((s) => global(s) && s.accountId === MANAGEMENT_ACCOUNT)];
    expect(essence(found).map(({ arn, tags }) => ({ arn, tags }))).toEqual(
      expected.map(({ arn, tags }) => ({ arn, tags })).sort((a, b) => a.arn.localeCompare(b.arn)),
    );
  });

  it('reports the unfiltered failure (services tagaudit does not list may be missing), not the type ListEndpointConfigs listed whole', () => {
    expect(scan.errors).toEqual([
      expect.objectContaining({
        source: 'tagging-api',
        accountId: MANAGEMENT_ACCOUNT,
        region: BROKEN_REGION,
        message: expect.stringMatching(/^GetResources failed without filters .*re-queried service by service/),
      }),
    ]);
    expect(scan.status()).toBe('partial');
    // Only the failing type is read resource by resource; everything else came from pages.
    expect(scan.apiCalls().ListTags).toBe(2);
  });

  it('links the endpoint to its config and the config to its model', () => {
    const seededArn = (type: string, prefix: string) => brokenRegionSeeded.find((s) => s.resourceType === type && s.arn.includes(`/${prefix}`))!.arn;
    const byArn = (arn: string) => found.find((r) => r.arn === arn);
    const config = byArn(seededArn('sagemaker:endpoint-config', 'cfg-tagged-'));
    expect(byArn(seededArn('sagemaker:endpoint', 'ep-'))?.parentArns).toEqual([config?.arn]);
    expect(config?.parentArns).toEqual([seededArn('sagemaker:model', 'model-')]);
  });
});

describe('faults: throttling on 30 % of calls, 5 % HTTP 500, added latency', () => {
  let proxy: FaultProxy;
  let clean: Resource[];
  let faulted: Resource[];
  let faultedScan: LiveScan;

  beforeAll(async () => {
    clean = await collect(startLiveScan(options(moto.env)));
    proxy = await startFaultProxy({ target: moto.endpoint, throttleShare: 0.3, errorShare: 0.05, latencyMs: [2, 25], seed: 7 });
    faultedScan = startLiveScan(options(proxy.env(moto.env)));
    faulted = await collect(faultedScan);
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  it('finds the same resources with the same data as without faults', () => {
    expect(clean.length).toBe(seeded.length);
    expect(essence(faulted)).toEqual(essence(clean));
    expect(faultedScan.errors).toEqual([]);
    expect(faultedScan.status()).toBe('complete');
  });

  it('really met throttling and server errors', () => {
    const counts = Object.values(proxy.counts());
    expect(counts.reduce((n, c) => n + c.throttled, 0)).toBeGreaterThan(10);
    expect(counts.reduce((n, c) => n + c.failed, 0)).toBeGreaterThan(0);
  });
});

describe('a region where every GetResources answers 500', () => {
  let proxy: FaultProxy;
  let scan: LiveScan;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: moto.endpoint, errorShare: 1, spare: (operation) => operation !== 'GetResources' });
    scan = startLiveScan(options(proxy.env(moto.env), { org: false, regions: ['eu-west-1'], sources: ['tagging-api'], retryPauseMs: 100 }));
    await collect(scan);
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  it('is one gap for the account-region, after the first level of the split only', () => {
    expect(scan.errors).toEqual([
      expect.objectContaining({
        accountId: MANAGEMENT_ACCOUNT,
        region: 'eu-west-1',
        source: 'tagging-api',
        message: expect.stringMatching(/^GetResources failed for all resource types \(retried by service group: all \d+ failed the same way\): /),
      }),
    ]);
    expect(scan.status()).toBe('partial');
    // The unfiltered query (2 rounds) and 8 service groups, each with the SDK's attempts: before, ~480 requests.
    const requests = proxy.counts().GetResources!.requests;
    expect(requests).toBeGreaterThanOrEqual(10);
    expect(requests).toBeLessThanOrEqual(10 * 5);
  });
});

describe('an account whose role cannot be assumed', () => {
  let proxy: FaultProxy;
  let scan: LiveScan;
  let found: Resource[];

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: moto.endpoint, denyAssumeRoleFor: [members[0]!] });
    scan = startLiveScan(options(proxy.env(moto.env)));
    found = await collect(scan);
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  it('is reported, and every other account is scanned completely', () => {
    expect(scan.errors).toHaveLength(1);
    expect(scan.errors[0]).toMatchObject({ accountId: members[0], source: 'sts', code: 'AccessDenied' });
    expect(scan.errors[0]!.message).toMatch(
      new RegExp(` \\[deploy role OrganizationAccountAccessRole in ${members[0]} with a trust policy for \\S.*\\(and grant the caller sts:AssumeRole on it\\), or leave the account out with --exclude-accounts ${members[0]}\\]$`),
    );
    expect(scan.status()).toBe('partial');
    const expected = seeded.filter((s) => s.accountId !== members[0]).map((s) => s.arn);
    expect(found.map((r) => r.arn)).toEqual(expected.sort());
  });
});
