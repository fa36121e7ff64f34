import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/inventory/resource.js';
import { startLiveScan, type LiveScan } from '../../src/scan/live-scan.js';
import { useMoto } from '../support/moto-workspace.js';
import { createOrganization, Seeder, type SeededResource } from '../support/seed.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const NOW = new Date();

const moto = useMoto('scan-estate');
let accounts: string[];
const seeded: SeededResource[] = [];
let pipelineJobArn = '';
let pipelineArn = '';

async function seedSlice(accountId: string, region: string, n: number): Promise<void> {
  const tag = (extra: Record<string, string> = {}) => ({ CostCenter: `cc-${n}`, Team: 'ml', ...extra });
  await Seeder.using(moto, accountId, region, async (s) => {
    await s.lambda(`fn-${n}`, tag());
    await s.rdsInstance(`db-${n}`, tag({ Environment: 'prod' }));
    await s.s3Bucket(`bucket-tagged-${accountId}-${region}`, tag());
    await s.s3Bucket(`bucket-never-tagged-${accountId}-${region}`); // found only through AWS Config
    await s.startConfigRecorder();
    await s.sagemakerModel(`model-${n}`, tag());
    await s.sagemakerModel(`model-untagged-${n}`);
    // An endpoint whose config was deleted afterwards (allowed, as in AWS): an existing endpoint config would make
    // moto's GetResources fail for SageMaker in the region — that case has its own test.
    await s.endpointConfig(`cfg-${n}`, `model-${n}`);
    await s.endpoint(`endpoint-${n}`, `cfg-${n}`, tag({ Stage: 'live' }));
    await s.deleteEndpointConfig(`cfg-${n}`);
    await s.trainingJob(`train-${n}`, tag());
    await s.trainingJob(`train-untagged-${n}`);
    await s.processingJob(`process-untagged-${n}`);
    await s.notebook(`notebook-${n}`);
    const pipe = await s.pipeline(`pipeline-${n}`, tag());
    if (n === 0) {
      pipelineArn = pipe;
      pipelineJobArn = await s.trainingJob(`train-by-pipeline-${n}`, { 'sagemaker:pipeline-execution-arn': `${pipe}/execution/abc123` });
    }
    seeded.push(...s.created);
  });
}

async function collect(scan: LiveScan): Promise<Resource[]> {
  const out: Resource[] = [];
  for await (const r of scan.resources()) out.push(r);
  return out;
}

beforeAll(async () => {
  const org = await createOrganization(moto, 2);
  accounts = [org.management, ...org.members];
  seeded.push(...org.accessRoles);
  let n = 0;
  for (const accountId of accounts) for (const region of REGIONS) await seedSlice(accountId, region, n++);
});

describe('live scan of an organisation: 3 accounts × 2 regions', () => {
  let scan: LiveScan;
  let found: Resource[];
  const progress: Array<{ slicesDone: number; slicesTotal: number }> = [];

  beforeAll(async () => {
    scan = startLiveScan({
      env: moto.env,
      org: true,
      regions: REGIONS,
      roleName: 'OrganizationAccountAccessRole',
      since: new Date(NOW.getTime() - 90 * 86_400_000),
      concurrency: 4,
      progress: (p) => progress.push(p),
    });
    found = await collect(scan);
  });

  it('finds every seeded resource exactly once, in the right account and region, with its tags', () => {
    const arns = found.map((r) => r.arn);
    expect(new Set(arns).size).toBe(arns.length);
    const byArn = new Map(found.map((r) => [r.arn, r]));
    for (const s of seeded) {
      const r = byArn.get(s.arn);
      expect(r, s.arn).toBeDefined();
      expect({ arn: r!.arn, accountId: r!.accountId, region: r!.region, resourceType: r!.resourceType, tags: r!.tags }).toEqual({
        arn: s.arn,
        accountId: s.accountId,
        region: s.region,
        resourceType: s.resourceType,
        tags: s.tags,
      });
    }
    expect(found.length).toBe(seeded.length);
  });

  it('reports each S3 bucket in the region it was created in, though its ARN has none and every region returns it', () => {
    const buckets = found.filter((r) => r.resourceType === 's3:bucket');
    expect(buckets.length).toBe(accounts.length * REGIONS.length * 2);
    // Each bucket's name ends with the region its seeder created it in (CreateBucketConfiguration.LocationConstraint).
    for (const b of buckets) expect(b.region, b.arn).toBe(REGIONS.find((r) => b.arn.endsWith(`-${r}`)));
    expect(new Set(buckets.map((b) => b.region))).toEqual(new Set(REGIONS));
  });

  it('completes without gaps and covers the three accounts and both regions', () => {
    expect(scan.errors).toEqual([]);
    expect(scan.status()).toBe('complete');
    expect(scan.scope()).toEqual({ mode: 'live', accounts: [...accounts].sort((a, b) => (a === '123456789012' ? -1 : b === '123456789012' ? 1 : a.localeCompare(b))), regions: REGIONS.slice().sort() });
    expect(new Set(found.map((r) => r.accountId))).toEqual(new Set(accounts));
  });

  it('records state, creation time and parents for SageMaker resources', () => {
    const job = found.find((r) => r.arn.endsWith(':training-job/train-untagged-0'));
    expect(job).toMatchObject({ tags: {}, state: 'Completed', source: 'sagemaker' });
    expect(Date.parse(job!.createdAt!)).toBeGreaterThan(NOW.getTime() - 3_600_000);
    const endpoint = found.find((r) => r.arn.endsWith(':endpoint/endpoint-0'));
    expect(endpoint).toMatchObject({ state: 'InService', source: 'tagging-api' });
    expect(found.find((r) => r.arn === pipelineJobArn)?.parentArns).toEqual([pipelineArn]);
  });

  it('reads tags for tagged resources in pages: no per-resource tag calls', () => {
    const calls = scan.apiCalls();
    expect(calls.ListTags ?? 0).toBe(0);
    expect(calls.GetResources).toBeGreaterThanOrEqual(accounts.length * REGIONS.length);
    expect(calls.GetResources).toBeLessThanOrEqual(accounts.length * REGIONS.length * 2);
    expect(calls.AssumeRole).toBe(2);
  });

  it('reports progress up to every slice done', () => {
    // 3 accounts × 2 regions, and each account's IAM read (global, once per account).
    expect(progress.at(-1)).toMatchObject({ slicesDone: 9, slicesTotal: 9 });
  });
});
